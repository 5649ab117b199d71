/**
 * The consistency audit (一致性核查): runs the recomputations of `data/audit/checks.yaml`, looks for
 * conflicting targets and blank figures, and returns the findings — none for figures that agree.
 * `npm run audit` prints them; `src/data/audit.parquet.ts` publishes them.
 */
import {existsSync, readFileSync} from "node:fs";
import {fileURLToPath, pathToFileURL} from "node:url";
import {parse} from "yaml";
import {auditChecksFile, type AuditChecksFile, type AuditRow} from "../../src/schemas/audit.js";
import type {FigureRow} from "../../src/schemas/figures.js";
import {checkCatalogue, loadFigureRows} from "../figures/checkCatalogue.js";
import {readSources} from "../sources/readSources.js";
import {findBlanks} from "./blanks.js";
import {findConflicts} from "./conflicts.js";
import {AuditCheckError, runCheck} from "./recompute.js";

export const checksPath = fileURLToPath(new URL("../../data/audit/checks.yaml", import.meta.url));

/** Reads and validates the checks file; a broken file stops the build with the rule it broke. */
export function readChecks(path = checksPath): AuditChecksFile {
  if (!existsSync(path)) return {checks: [], not_conflicts: []};
  const result = auditChecksFile.safeParse(parse(readFileSync(path, "utf8")) ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.map(String).join(".") || "(file)"}: ${issue.message}`);
  throw new AuditCheckError(`${path}:\n${problems.join("\n")}`);
}

export interface AuditInput {
  figures: readonly FigureRow[];
  /** Normalised texts of the documents, by file name (for blanks). */
  documents: readonly {document: string; text: string}[];
  checks: AuditChecksFile;
}

/** All findings, sorted by id. Pure: the same input gives the same findings. */
export function runAudit({figures, documents, checks}: AuditInput): AuditRow[] {
  const ids = new Set<string>();
  for (const check of checks.checks) {
    if (ids.has(check.id)) throw new AuditCheckError(`audit check id ${check.id} is used twice`);
    ids.add(check.id);
  }
  const byId = new Map(figures.map((f) => [f.id, f]));
  for (const exception of checks.not_conflicts)
    for (const id of exception.figures) if (!byId.has(id)) throw new AuditCheckError(`not_conflicts: figure ${id} is not in the catalogue`);
  const findings = [
    ...checks.checks.map((check) => runCheck(check, byId)).filter((f): f is AuditRow => f !== null),
    ...findConflicts(figures, checks.not_conflicts),
    ...documents.flatMap((d) => findBlanks(d.document, d.text)),
  ];
  return findings.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The audit of the committed catalogue and sources. Strict (the build): throws when the catalogue check
 * fails or a check is broken. Not strict (`npm run audit` while curating): audits the figures that pass.
 */
export function loadAudit(options: {strict?: boolean} = {}): AuditRow[] {
  const figures = options.strict === false ? checkCatalogue().rows : loadFigureRows();
  return runAudit({figures, documents: readSources(), checks: readChecks()});
}

/** A readable report: counts by severity, then each finding with its quotes. */
export function formatAudit(findings: readonly AuditRow[], checksRun: number): string {
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const lines = [`audit — ${checksRun} recomputations checked; ${findings.length} findings (${count("error")} error, ${count("warning")} warning, ${count("info")} info)`];
  for (const f of findings) {
    lines.push("", `${f.severity.toUpperCase().padEnd(7)} ${f.id} [${f.kind}] ${f.message_zh}`, `        ${f.message_en}`);
    lines.push(`        ${f.figure_a ?? "原文"}: ${f.quote_a}`);
    if (f.quote_b) lines.push(`        ${f.figure_b}: ${f.quote_b}`);
  }
  return lines.join("\n");
}

// `npm run audit [-- --lenient]`: prints the findings; fails only when the catalogue or a check is broken
// (--lenient: audit the figures that pass while the catalogue is being curated).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const checks = readChecks();
  console.log(formatAudit(loadAudit({strict: !process.argv.includes("--lenient")}), checks.checks.length));
}
