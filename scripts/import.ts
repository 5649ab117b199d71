/**
 * What an import would give, without a browser (导入检查):
 *
 *   npm run import -- FILE... [--json] [--reference-date 2025-12-31] [--mapping mapping.json]
 *
 * Reads the files with the same importer as the import page and the build route (dpf.config.yaml) and
 * prints communities, residents, persons by category, units by level, rows (in, accepted, rejected,
 * skipped) and the problems grouped by cause. `--json` prints one JSON object (src/importer/summary.ts).
 * `--mapping` applies a column mapping saved from the import page. Nothing is written; exit code 1 when the
 * import has errors, 2 when it cannot run (no file, unreadable mapping).
 */
import {readFileSync, statSync} from "node:fs";
import {basename} from "node:path";
import {parseArgs} from "node:util";
import {bytesSource, formatProblem, importFiles} from "../src/importer/index.js";
import {parseMappingFile} from "../src/importer/office/mappingFile.js";
import {summariseImport} from "../src/importer/summary.js";
import {disabilityCategoryLabels} from "../src/schemas/disabilityCategories.js";
import {unitLevelLabels} from "../src/schemas/units.js";

const {values, positionals} = parseArgs({
  allowPositionals: true,
  options: {json: {type: "boolean"}, "reference-date": {type: "string"}, mapping: {type: "string"}},
});

if (!positionals.length) {
  console.error("用法：npm run import -- 文件1 [文件2 …] [--json] [--reference-date 2025-12-31] [--mapping 列对应.json]");
  process.exit(2);
}

const referenceDate = values["reference-date"] ?? new Date(Math.max(...positionals.map((f) => statSync(f).mtimeMs))).toISOString().slice(0, 10);
if (!/^\d{4}-\d{2}-\d{2}$/.test(referenceDate)) {
  console.error(`--reference-date 应写作 2025-12-31，收到「${referenceDate}」`);
  process.exit(2);
}
let mapping;
if (values.mapping) {
  try {
    mapping = parseMappingFile(readFileSync(values.mapping, "utf-8"));
  } catch (error) {
    console.error(`${values.mapping}：${(error as Error).message}`);
    process.exit(2);
  }
}

const sources = positionals.map((f) => bytesSource(basename(f), new Uint8Array(readFileSync(f))));
const result = await importFiles(sources, {referenceDate, mapping});
const summary = summariseImport(result);

if (values.json) {
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
} else {
  const n = (x: number) => x.toLocaleString("zh-CN");
  const lines = [
    `社区/村 ${n(summary.communities)} 个，常住人口 ${n(summary.residents)} 人`,
    `持证残疾人 ${n(summary.persons.total)} 人（${summary.persons.from === "counts" ? "按社区人数汇总" : summary.persons.from === "persons" ? "按人员名单" : "文件中没有人数"}）：${Object.entries(summary.persons.by_category).map(([c, v]) => `${disabilityCategoryLabels[c as keyof typeof disabilityCategoryLabels]} ${v === null ? "（未填报）" : n(v)}`).join("，")}`,
    `单位：${Object.entries(summary.units.by_level).map(([l, v]) => `${unitLevelLabels[l as keyof typeof unitLevelLabels]} ${n(v)}`).join("，")}`,
    `行：读入 ${n(summary.rows.in)}，接受 ${n(summary.rows.accepted)}，拒绝 ${n(summary.rows.rejected)}，跳过 ${n(summary.rows.skipped)}（标题、表头、小计、合计、表尾、空行、重复行）`,
    ...result.notes.map((t) => `说明：${t}`),
    ...(summary.problems.length ? ["问题（按原因归并，影响大的在前）："] : []),
    ...summary.problems.map((g) => `  ${g.count > 1 ? `${n(g.count)} 处 ` : ""}${formatProblem({file: g.file, sheet: g.sheet, row: g.row, column: g.column, field: null, value: g.value, rule: g.rule, message: g.message_zh, severity: g.severity})}`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
process.exitCode = result.errors ? 1 : 0;
