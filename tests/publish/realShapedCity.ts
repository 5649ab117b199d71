import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {generateDemoCity, loadDemoCityConfig} from "../../loaders/demoCity/index.js";
import {disabilityCategoryLabels} from "../../src/schemas/disabilityCategories.js";

/**
 * A real-shaped city as a planner would export it: the demo generator's structure (districts, streets,
 * communities of realistic size, categories, grades, ages and statuses as a city has them) written as
 * the import template's two CSV files, with Chinese headers and 是/否 — imported, it is a real
 * (non-synthetic) city. `communities` sets its size.
 */
export async function writeRealShapedCity(communities: number): Promise<{files: string[]; persons: number}> {
  const {units, persons} = await generateDemoCity(loadDemoCityConfig(), {units: communities});
  const dir = mkdtempSync(join(tmpdir(), "dpf-real-shaped-"));
  const yes = (v: boolean | null) => (v === null ? "" : v ? "是" : "否");
  const csv = (rows: (string | number)[][]) => `\uFEFF${rows.map((r) => r.join(",")).join("\n")}\n`;
  const unitsFile = join(dir, "units.csv");
  const personsFile = join(dir, "persons.csv");
  writeFileSync(unitsFile, csv([["单位代码", "单位名称", "层级名称", "上级单位代码", "常住人口（人）"], ...units.map((u) => [u.unit_code, u.unit_name, u.level_label, u.parent_code ?? "", u.level === "community" ? u.residents : ""])]));
  writeFileSync(
    personsFile,
    csv([
      ["所属社区代码", "残疾类别", "残疾等级", "年龄", "有康复需求", "已做康复需求筛查", "已建康复档案", "义务教育在学", "符合低保条件", "享受低保", "五保/特困供养", "享受困难残疾人生活补贴", "享受重度残疾人护理补贴"],
      ...persons.map((p) => [p.community_code, disabilityCategoryLabels[p.category], p.grade, p.age, yes(p.rehab_need), yes(p.screened), yes(p.archived), yes(p.enrolled), yes(p.dibao_eligible), yes(p.dibao_recipient), yes(p.wubao_recipient), yes(p.poor_subsidy_recipient), yes(p.severe_subsidy_recipient)]),
    ]),
  );
  return {files: [unitsFile, personsFile], persons: persons.length};
}
