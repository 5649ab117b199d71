import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {afterEach, describe, expect, it} from "vitest";
import {cataloguePasses, checkCatalogue, formatReport, loadFigureRows} from "../../loaders/figures/checkCatalogue.js";

/** A tiny document (traditional script with pinyin): seven digit numbers, four of them figures, and 三 twice. */
const sourcesDir = fileURLToPath(new URL("./fixtures/sources/", import.meta.url));

const indicators = `
community_rehab_room_rate: {zh: 社区康复室设置率, en: Community rehab room set-up rate}
community_rehab_station_area: {zh: 社区康复站面积, en: Community rehab station floor area}
dibao_households: {zh: 城乡低保户数, en: Households receiving subsistence allowance}
dibao_funds: {zh: 城乡低保资金, en: Subsistence allowance funds paid}
training_sessions: {zh: 培训期数, en: Training sessions held}
`;

const figure = (id: string, fields: string) => `
  - id: "${id}"
    section: 一、主要目標
    place: 全區
    level: 区
    year: null
${fields.trim().split("\n").map((line) => `    ${line.trim()}`).join("\n")}`;

const roomRate = figure("900-001", `indicator: community_rehab_room_rate\nvalue: 80\nunit: "%"\nkind: target\nquote: 社區康復室設置率達80%`);
const stationArea = figure("900-002", `indicator: community_rehab_station_area\nvalue: 30\nunit: m²\nkind: standard\nquote: 康復站面積不少于30平方米`);
const households = figure("900-003", `indicator: dibao_households\nvalue: 123\nunit: households\nkind: achieved\nquote: 共有低保戶１２３戶`);
const funds = figure("900-004", `indicator: dibao_funds\nvalue: 4250.77\nunit: 10k yuan\nkind: achieved\nquote: 發放低保資金4250.77萬元`);
const ignored = `
ignored:
  - {quote: "ID:4711", reason: file metadata}
  - {quote: (2012年), reason: date}
  - {quote: "聯系電話:12345678", reason: phone number}
`;

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, {recursive: true, force: true})));

/** Writes a figures directory with the given catalogue for the fixture document and checks it. */
function check(figures: string[], ignoredBlock = ignored) {
  const dir = mkdtempSync(join(tmpdir(), "dpf-figures-"));
  dirs.push(dir);
  writeFileSync(join(dir, "indicators.yaml"), indicators);
  writeFileSync(join(dir, "900.yaml"), `document: 900_abcdef.txt\nfigures:${figures.join("")}\n${ignoredBlock}`);
  return {result: checkCatalogue({sourcesDir, figuresDir: dir}), dir};
}

describe("checkCatalogue", () => {
  it("passes a complete catalogue and counts every number of the document as covered", () => {
    const {result} = check([roomRate, stationArea, households, funds]);
    expect(result.failures).toEqual([]);
    expect(result.documents[0]).toMatchObject({figures: 4, ignored: 3, numbers: 7, covered: 7, uncovered: []});
    expect(cataloguePasses(result)).toBe(true);
  });

  it("fails a quote that is not in the document's normalised text", () => {
    const wrong = roomRate.replace("設置率達80%", "設置率达80%");
    const {result} = check([wrong, stationArea, households, funds]);
    expect(result.failures).toMatchObject([{file: "900.yaml", entry: "900-001", rule: "quote-not-found"}]);
  });

  it("finds a quote that spans a removed pinyin annotation", () => {
    const spanning = households.replace("共有低保戶１２３戶", "全區共有低保戶１２３戶");
    expect(check([roomRate, stationArea, spanning, funds]).result.failures).toEqual([]);
  });

  it("fails a value that does not appear in its quote", () => {
    const {result} = check([roomRate.replace("value: 80", "value: 95"), stationArea, households, funds]);
    expect(result.failures).toMatchObject([{entry: "900-001", rule: "value-not-in-quote"}]);
  });

  it("fails a 万 amount given in yuan but written with the 10k multiplier's number", () => {
    const {result} = check([roomRate, stationArea, households, funds.replace("unit: 10k yuan", "unit: yuan")]);
    expect(result.failures).toMatchObject([{entry: "900-004", rule: "value-not-in-quote"}]);
  });

  it("accepts the same amount converted to yuan", () => {
    const inYuan = funds.replace("unit: 10k yuan", "unit: yuan").replace("value: 4250.77", "value: 42507700");
    expect(check([roomRate, stationArea, households, inYuan]).result.failures).toEqual([]);
  });

  it("reads full-width digits in a quote as the value they write", () => {
    const {result} = check([roomRate, stationArea, households.replace("value: 123", "value: 124"), funds]);
    expect(result.failures).toMatchObject([{entry: "900-003", rule: "value-not-in-quote"}]);
  });

  it("lists the numbers left uncovered, with their context, when figures are missing", () => {
    const {result} = check([roomRate, stationArea]);
    const doc = result.documents[0];
    expect([doc.covered, doc.numbers]).toEqual([5, 7]);
    expect(doc.uncovered.map((u) => u.text)).toEqual(["１２３", "4250.77"]);
    expect(doc.uncovered[1].context).toContain("【4250.77】");
    expect(cataloguePasses(result)).toBe(false);
    expect(formatReport(result)).toContain("covered 5/7  71.4%");
  });

  it("fails an unknown indicator, a duplicate id and an id of another document", () => {
    const {result} = check([roomRate, roomRate.replace("社區康復室設置率達80%", "設置率達80%"), stationArea.replace("900-002", "901-002").replace("community_rehab_station_area", "station_size"), households, funds]);
    expect(result.failures.map((f) => f.rule).sort()).toEqual(["id", "id", "indicator"]);
  });

  it("fails a quote that occurs twice, since it does not say which place it means", () => {
    const once = figure("900-005", `indicator: training_sessions\nvalue: 3\nunit: sessions\nkind: plan\nquote: 培訓三期`);
    expect(check([roomRate, stationArea, households, funds, once]).result.failures).toEqual([]);
    const twice = once.replace("quote: 培訓三期", "quote: 三期");
    expect(check([roomRate, stationArea, households, funds, twice]).result.failures).toMatchObject([{entry: "900-005", rule: "quote-ambiguous"}]);
  });

  it("reports schema errors with the file and the figure id", () => {
    const {result} = check([roomRate.replace("kind: target", "kind: goal"), stationArea, households, funds]);
    expect(result.failures).toMatchObject([{file: "900.yaml", entry: "900-001", rule: "schema"}]);
  });

  it("checks the other entries when one is broken, and still counts the broken one's quote as covered", () => {
    const {result} = check([roomRate.replace("kind: target", "kind: goal"), stationArea.replace("value: 30", "value: 40"), households, funds]);
    expect(result.failures.map((f) => [f.entry, f.rule])).toEqual([["900-001", "schema"], ["900-002", "value-not-in-quote"]]);
    expect(result.documents[0].uncovered).toEqual([]);
  });

  it("reports a file that is not YAML instead of crashing", () => {
    const {result} = check([roomRate, stationArea, households, funds], "ignored: [unclosed");
    expect(result.failures).toMatchObject([{file: "900.yaml", rule: "schema"}]);
    expect(result.failures[0].message).toMatch(/not valid YAML/);
  });

  it("fails an ignored quote that holds no number", () => {
    const {result} = check([roomRate, stationArea, households, funds], `${ignored}  - {quote: 主要目標, reason: heading}\n`);
    expect(result.failures).toMatchObject([{rule: "ignored-without-number"}]);
  });

  it("gives each figure its quote's position in the normalised and in the original text", () => {
    const {result} = check([roomRate, stationArea, households, funds]);
    const row = result.rows.find((r) => r.id === "900-003")!;
    expect(row).toMatchObject({indicator_zh: "城乡低保户数", unit: "households", value: 123});
    expect(row.original_offset - row.quote_offset).toBe("(lián)(qū)".length);
  });

  it("makes the dataset loader throw the report when the catalogue does not pass", () => {
    const {dir} = check([roomRate]);
    expect(() => loadFigureRows({sourcesDir, figuresDir: dir})).toThrow(/uncovered numbers in 900_abcdef\.txt/);
  });
});

describe("the committed catalogue", () => {
  it("has no failure in the files of documents 000, 002 and 004", () => {
    const result = checkCatalogue();
    expect(result.failures.filter((f) => /^00[024]\.yaml$/.test(f.file))).toEqual([]);
  });
});
