import {existsSync, readFileSync, readdirSync, statSync} from "node:fs";
import {basename, join, relative, sep} from "node:path";
import {fileURLToPath} from "node:url";
import {parse as parseYaml} from "yaml";
import type {z} from "zod";
import {normaliseText} from "../sources/normaliseText.js";
import {readSources, sourcesDir} from "../sources/readSources.js";
import {ASSUMPTION_SOURCE, parameterFile, type ParameterFile, type ParameterRow} from "../../src/schemas/parameters.js";

/** The repository root, so the loader finds data/ whatever the working directory. */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** One rule a parameter file broke: which file, which key inside it, which rule, what to fix. */
export interface ParameterProblem {
  /** Path relative to the repository, e.g. data/parameters/subsidy/dibao.urban_monthly.yaml. */
  file: string;
  /** Dotted key inside the file (`references.2013-01-01.quote`), or `(file)`. */
  key: string;
  rule: string;
  message: string;
}

export class ParameterValidationError extends Error {
  constructor(readonly problems: ParameterProblem[]) {
    super(`parameters: ${problems.length} problem(s)\n` + problems.map((p) => `  ${p.file}: ${p.key}: rule ${p.rule}: ${p.message}`).join("\n"));
  }
}

/** A parameter file's text and where it was read from. */
export interface ParameterSourceFile {
  /** Absolute path. */
  path: string;
  text: string;
}

/** The reference tables (data/reference/), whatever the working directory. */
export const referenceDir = join(repoRoot, "data/reference");

/**
 * The texts a reference may cite, by file name, normalised (pinyin annotations removed): the source
 * documents in data/sources/ and the tables in data/reference/.
 */
export function readSourceTexts(documentsDir = sourcesDir, tablesDir = referenceDir): Map<string, string> {
  const texts = new Map<string, string>(readSources(documentsDir).map((doc) => [doc.document, doc.text]));
  for (const name of readdirSync(tablesDir).filter((n) => n.endsWith(".csv")).sort()) {
    if (texts.has(name)) throw new Error(`source file name ${name} occurs in two source folders; references cite sources by file name`);
    texts.set(name, normaliseText(readFileSync(join(tablesDir, name), "utf8")).text);
  }
  return texts;
}

/** Every file below a parameters folder except README.md, in path order. */
export function readParameterDir(dir: string): ParameterSourceFile[] {
  const files: ParameterSourceFile[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!(folder === dir && name === "README.md")) files.push({path, text: readFileSync(path, "utf8")});
    }
  };
  walk(dir);
  return files;
}

function ruleOf(issue: z.core.$ZodIssue): {rule: string; message: string} {
  const tagged = /^rule ([a-z-]+): (.*)$/s.exec(issue.message);
  if (tagged) return {rule: tagged[1], message: tagged[2]};
  if (issue.code === "unrecognized_keys") return {rule: "unknown-field", message: issue.message};
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) return {rule: "required-field", message: issue.message};
  return {rule: "schema", message: issue.message};
}

/** One parameter file checked against the schema and the rules that need the file system. */
function checkFile(entry: ParameterSourceFile, dir: string, sources: ReadonlyMap<string, string>): {file?: ParameterFile; problems: ParameterProblem[]} {
  const file = relative(repoRoot, entry.path).split(sep).join("/");
  const problems: ParameterProblem[] = [];
  const add = (key: string, rule: string, message: string) => problems.push({file, key, rule, message});

  const parts = relative(dir, entry.path).split(sep);
  if (parts.length !== 2 || !parts[1].endsWith(".yaml")) {
    add("(file)", "file-layout", "a parameter file is data/parameters/<folder>/<rest of id>.yaml");
    return {problems};
  }
  let data: unknown;
  try {
    data = parseYaml(entry.text);
  } catch (error) {
    add("(file)", "yaml-syntax", (error as Error).message.split("\n")[0]);
    return {problems};
  }
  const result = parameterFile.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const {rule, message} = ruleOf(issue);
      add(issue.path.map(String).join(".") || "(file)", rule, message);
    }
    return {problems};
  }
  const parsed = result.data;
  const expectedId = `${parts[0]}.${basename(parts[1], ".yaml")}`;
  if (parsed.id !== expectedId) add("id", "file-name", `id ${parsed.id} does not match its path: this file must hold ${expectedId}`);

  for (const [date, ref] of Object.entries(parsed.references)) {
    if (ref.source === ASSUMPTION_SOURCE) continue;
    const text = sources.get(ref.source);
    if (text === undefined) {
      add(`references.${date}.source`, "unknown-source", `${ref.source} is not a file in data/sources/ or data/reference/ (nor "assumption")`);
      continue;
    }
    if (ref.quote && !text.includes(normaliseText(ref.quote).text))
      add(`references.${date}.quote`, "quote-in-source", `quote not found in ${ref.source}: ${JSON.stringify(ref.quote)}`);
  }
  return {file: parsed, problems};
}

/** The rows of the `parameters` dataset one checked file gives: one per effective date. */
export function parameterRowsOf(file: ParameterFile, path: string): ParameterRow[] {
  return Object.entries(file.values).map(([date, value]) => {
    const ref = file.references[date];
    return {
      id: file.id,
      kind: file.kind,
      label_zh: file.label.zh,
      label_en: file.label.en,
      unit: file.unit,
      period: file.period,
      effective_date: date,
      value,
      source: ref.source,
      quote: ref.quote ? normaliseText(ref.quote).text : null,
      date_note: ref.date_note ?? null,
      note: ref.note ?? null,
      note_zh: ref.note_zh ?? null,
      attribute: file.attribute ?? null,
      role: ref.role ?? null,
      target_year: ref.target_year ?? null,
      description: file.description,
      last_checked: file.last_checked,
      file: path,
    };
  });
}

export interface LoadParametersOptions {
  /** The parameters folder; data/parameters by default. */
  dir?: string;
  /** Normalised texts a reference may cite, by file name; data/sources/ and data/reference/ by default. */
  sources?: ReadonlyMap<string, string>;
}

/**
 * Reads and checks every parameter file and returns the `parameters` rows, sorted by id and date.
 * Any problem in any file stops the load with one error listing each file, key and rule.
 */
export function loadParameters(options: LoadParametersOptions = {}): ParameterRow[] {
  const dir = options.dir ?? join(repoRoot, "data/parameters");
  if (!existsSync(dir)) throw new Error(`parameters folder ${dir} does not exist`);
  const sources = options.sources ?? readSourceTexts();
  const problems: ParameterProblem[] = [];
  const rows: ParameterRow[] = [];
  const seen = new Map<string, string>();
  for (const entry of readParameterDir(dir)) {
    const checked = checkFile(entry, dir, sources);
    problems.push(...checked.problems);
    if (!checked.file) continue;
    const path = relative(repoRoot, entry.path).split(sep).join("/");
    const first = seen.get(checked.file.id);
    if (first) problems.push({file: path, key: "id", rule: "unique-id", message: `id ${checked.file.id} is already defined in ${first}`});
    else seen.set(checked.file.id, path);
    rows.push(...parameterRowsOf(checked.file, path));
  }
  if (problems.length) throw new ParameterValidationError(problems);
  return rows.sort((a, b) => (a.id === b.id ? (a.effective_date < b.effective_date ? -1 : 1) : a.id < b.id ? -1 : 1));
}

