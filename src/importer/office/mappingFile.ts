import {z} from "zod";
import type {ColumnMapping} from "./columnMapping.js";
import {mappableFields, type OfficeField} from "./vocabulary.js";

/**
 * A column mapping saved from the import page's mapping step (列对应): for each layout (its joined headers),
 * which field each column holds. The same file is read by `npm run import -- --mapping` and by the build route
 * (dpf.config.yaml `mapping:`), so a planner's confirmed choices hold on every door.
 */

export const MAPPING_FORMAT = "dpf-sandbox/column-mapping";

const fieldNames = mappableFields.map((f) => f.field) as [OfficeField, ...OfficeField[]];

const mappingFile = z.object({
  format: z.literal(MAPPING_FORMAT),
  version: z.literal(1),
  layouts: z.record(z.string().max(20_000), z.record(z.string().max(500), z.enum(fieldNames).nullable())),
});

export function mappingFileText(mapping: ColumnMapping): string {
  return `${JSON.stringify({format: MAPPING_FORMAT, version: 1, layouts: mapping}, null, 2)}\n`;
}

/** Reads a mapping file; throws an Error with a Chinese message naming what is wrong. */
export function parseMappingFile(text: string): ColumnMapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("列对应文件不是有效的 JSON");
  }
  const parsed = mappingFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join(" → ");
    throw new Error(issue.code === "invalid_value" && issue.path.length === 3 ? `列对应文件中「${String(issue.path[2])}」对应的字段不存在（${where}）` : `列对应文件格式不对（${where || "根"}：应为 ${MAPPING_FORMAT} 第 1 版）`);
  }
  return parsed.data.layouts as ColumnMapping;
}

/** The remembered choices that apply to one layout, and how they were found. */
export interface LayoutMapping {
  /** Header → field (null: not imported) for the headers the remembered layout shares with this one. */
  choices: Record<string, OfficeField | null>;
  /** "same": this layout was remembered; "similar": a remembered layout sharing most of its headers. */
  match: "same" | "similar" | null;
  /** Headers of this layout the remembered one did not have (matched automatically, to be confirmed). */
  added: string[];
  /** Headers the remembered layout had and this one does not (renamed or removed). */
  dropped: string[];
}

/**
 * The remembered mapping for a layout, keyed by its joined headers. The same form next year often has one
 * column more or a header renamed: then its signature differs, and the remembered layout sharing the most
 * headers (at least two, and at least half of this layout's) still applies to the columns it shares; the
 * rest are matched automatically and named, never dropped in silence.
 */
export function mappingFor(mapping: ColumnMapping | undefined, signature: string, headers: readonly string[]): LayoutMapping {
  const none: LayoutMapping = {choices: {}, match: null, added: [], dropped: []};
  if (!mapping) return none;
  const own = headers.filter(Boolean);
  if (mapping[signature]) return {choices: mapping[signature]!, match: "same", added: own.filter((h) => !(h in mapping[signature]!)), dropped: []};
  let best: {key: string; shared: number} | null = null;
  const mine = new Set(own);
  for (const [key, choices] of Object.entries(mapping)) {
    const shared = Object.keys(choices).filter((h) => mine.has(h)).length;
    if (shared > (best?.shared ?? 0)) best = {key, shared};
  }
  if (!best || best.shared < 2 || best.shared * 2 < mine.size) return none;
  const remembered = mapping[best.key]!;
  return {
    choices: Object.fromEntries(Object.entries(remembered).filter(([h]) => mine.has(h))),
    match: "similar",
    added: own.filter((h) => !(h in remembered)),
    dropped: Object.keys(remembered).filter((h) => !mine.has(h)),
  };
}

/** The sheet note for a remembered mapping that was found by likeness, or had columns added. */
export function mappingNote(m: LayoutMapping): string | null {
  if (!m.match || (m.match === "same" && !m.added.length)) return null;
  const parts = [m.match === "similar" ? `表头与记住的列对应不完全相同：共同的 ${Object.keys(m.choices).length} 列沿用您上次的选择` : "沿用您上次的列对应"];
  if (m.added.length) parts.push(`新增的列 ${m.added.map((h) => `「${h}」`).join("、")} 按自动识别，请在「列对应」中确认`);
  if (m.dropped.length) parts.push(`上次有、这次没有的列 ${m.dropped.map((h) => `「${h}」`).join("、")}（改名或删除）`);
  return parts.join("；");
}
