import {z} from "zod";
import type {ColumnMapping} from "./readOffice.js";
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
