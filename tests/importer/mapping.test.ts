import {beforeAll, describe, expect, it} from "vitest";
import {bytesSource, importFiles, type ColumnMapping} from "../../src/importer/index.js";
import {mappingFor} from "../../src/importer/office/mappingFile.js";
import {summariseImport} from "../../src/importer/summary.js";
import {officeCorpus, type OfficeCase} from "../fixtures/office/corpus.js";

/**
 * The mapping step's choices (列对应), remembered per layout: they hold on the indicator-per-row forms (whose
 * "columns" are indicator rows), and on next year's form with a column more or a header renamed — the
 * columns it shares keep the planner's choice, the new ones are matched automatically and named.
 */

const csv = (name: string, lines: string[]) => bytesSource(name, new TextEncoder().encode(lines.join("\n")));
const read = (files: ReturnType<typeof csv>[], mapping?: ColumnMapping) => importFiles(files, {referenceDate: "2025-12-31", mapping});

let corpus: OfficeCase[];
beforeAll(async () => {
  corpus = await officeCorpus();
});

describe("the mapping step on indicator-per-row forms (指标名称 | 指标单位 | 指标代码 | 数量)", () => {
  it("lists every indicator row of the form with its suggested field and its figure", async () => {
    const c = corpus.find((x) => x.id.startsWith("i-"))!;
    const result = await read(c.files.map((f) => bytesSource(f.name, f.bytes)));
    const forms = result.office!.sheets.filter((s) => s.role === "indicator_form");
    expect(forms.length).toBe(c.truth.communities);
    // One form per community, all of one layout: one signature, so one choice holds for all of them.
    expect(new Set(forms.map((s) => s.signature)).size).toBe(1);
    const archived = forms[0]!.columns.find((col) => col.header === "其中已建档案人数")!;
    expect(archived.field).toBe("archived");
    expect(archived.samples).toHaveLength(1);
    expect(forms[0]!.columns.map((col) => col.field)).toContain("rehab_need");
  });

  it("a planner's change applies to every form of the layout and keeps the other figures exact", async () => {
    const c = corpus.find((x) => x.id.startsWith("i-"))!;
    const files = c.files.map((f) => bytesSource(f.name, f.bytes));
    const first = await read(files);
    const signature = first.office!.sheets.find((s) => s.role === "indicator_form")!.signature!;
    // 其中已建档案人数 not imported; 有康复需求人数 read as what the planner says it is (已筛查人数 stays).
    const mapping: ColumnMapping = {[signature]: {其中已建档案人数: null}};
    const again = await read(files, mapping);
    const sum = (r: typeof again, f: "archived" | "rehab_need" | "persons") => r.communityCounts.reduce((n, row) => n + (row[f] ?? 0), 0);
    expect(again.communityCounts.every((row) => row.archived === null)).toBe(true);
    expect(sum(again, "rehab_need")).toBe(c.truth.expected_counts_sum.rehab_need);
    expect(sum(again, "persons")).toBe(c.truth.persons.total);
    const s = summariseImport(again);
    expect(s.communities).toBe(c.truth.communities);
    // The unimported indicator row is skipped, not rejected; the choice shows as the planner's.
    expect(s.rows.rejected).toBe(0);
    expect(s.rows.skipped).toBe(c.truth.rows.skipped + c.truth.communities);
    const col = again.office!.sheets.find((x) => x.role === "indicator_form")!.columns.find((x) => x.header === "其中已建档案人数")!;
    expect(col).toMatchObject({field: null, confidence: "planner"});
  });

  it("an indicator the reader does not know is read once the planner names its field", async () => {
    const form = (unit: string, extra: number) => csv(`${unit}.csv`, [
      "社区康复统计汇总表,,,",
      `填表单位(公章)：${unit},,,`,
      "指标名称,指标单位,指标代码,数量",
      "常住人口,人,01,5000",
      "社区内残疾人总数,人,02,120",
      `持证康复对象,人,03,${extra}`,
      "填表人：张三,,,",
    ]);
    const files = [form("东湖街道东湖社区", 40), form("东湖街道西湖社区", 25)];
    const auto = await read(files);
    const sheet = auto.office!.sheets[0]!;
    expect(sheet.columns.find((c) => c.header === "持证康复对象")!.field, "the label is not in the vocabulary").toBeNull();
    expect(auto.communityCounts.every((r) => r.rehab_need === null)).toBe(true);
    const mapped = await read(files, {[sheet.signature!]: {持证康复对象: "rehab_need"}});
    expect(mapped.communityCounts.map((r) => r.rehab_need).sort()).toEqual([25, 40]);
    expect(mapped.communityCounts.map((r) => r.persons)).toEqual([120, 120]);
  });
});

describe("a remembered mapping on a layout that changed a little", () => {
  const header = ["序号", "所属街道", "社区名称", "常住人口", "持证残疾人数", "视力残疾", "肢体残疾", "备用一"];
  const rows = [["1", "东湖街道", "东湖社区", "5000", "100", "10", "60", "7"], ["2", "东湖街道", "西湖社区", "4000", "80", "8", "50", "3"]];
  const file = (h: string[], extra: (r: string[]) => string[] = (r) => r) => csv("社区.csv", [h.join(","), ...rows.map((r) => extra(r).join(","))]);
  // Last time the planner said 备用一 holds 已筛查人数 and 常住人口 is not to be imported.
  let remembered: ColumnMapping;
  beforeAll(async () => {
    const first = await read([file(header)]);
    const signature = first.office!.sheets[0]!.signature!;
    remembered = {[signature]: {...Object.fromEntries(first.office!.sheets[0]!.columns.map((c) => [c.header, c.field])), 常住人口: null, 备用一: "screened"}};
  });

  it("applies as remembered to the same layout", async () => {
    const r = await read([file(header)], remembered);
    expect(r.communityCounts.map((x) => x.screened)).toEqual([7, 3]);
    expect(summariseImport(r).residents).toBe(0);
  });

  it("with one column more, keeps the planner's choices on the shared columns and names the new one", async () => {
    const r = await read([file([...header, "听力残疾"], (x) => [...x, "5"])], remembered);
    expect(r.communityCounts.map((x) => x.screened)).toEqual([7, 3]);
    expect(summariseImport(r).residents).toBe(0);
    // The new column is matched automatically (听力残疾 → hearing) and marked as new.
    expect(r.communityCounts.map((x) => x.category_hearing)).toEqual([5, 5]);
    const sheet = r.office!.sheets[0]!;
    expect(sheet.columns.find((c) => c.header === "听力残疾")).toMatchObject({field: "category_hearing", added: true});
    expect(sheet.columns.find((c) => c.header === "备用一")).toMatchObject({field: "screened", confidence: "planner"});
    expect(sheet.notes.join("\n")).toContain("新增的列 「听力残疾」");
  });

  it("with a header renamed, the renamed column is new and named, the others keep the planner's choice", async () => {
    const renamed = header.map((h) => (h === "持证残疾人数" ? "持证残疾人总数" : h));
    const r = await read([file(renamed)], remembered);
    expect(r.communityCounts.map((x) => x.screened)).toEqual([7, 3]);
    expect(r.communityCounts.map((x) => x.persons)).toEqual([100, 80]);
    const notes = r.office!.sheets[0]!.notes.join("\n");
    expect(notes).toContain("「持证残疾人总数」");
    expect(notes).toContain("上次有、这次没有的列 「持证残疾人数」");
  });

  it("does not apply to a layout that shares too little", () => {
    expect(mappingFor(remembered, "x", ["所属街道", "村名", "人口", "甲", "乙", "丙"]).match).toBeNull();
    expect(mappingFor(remembered, "x", ["社区名称", "常住人口", "持证残疾人数", "听力残疾"]).match).toBe("similar");
  });
});
