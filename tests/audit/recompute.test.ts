import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {AuditCheckError, runCheck} from "../../loaders/audit/recompute.js";
import {byId, figure} from "./fixtures.js";

const urban = figure("002", 92, "persons", "其中城鎮兵92名、農村兵79名");
const rural = figure("003", 79, "persons", "其中城鎮兵92名、農村兵79名");
const sumCheck = {id: "900-veterans", kind: "sum" as const, total: "900-001", parts: ["900-002", "900-003"]};

describe("sum checks", () => {
  it("stay silent when the parts add up to the total", () => {
    const total = figure("001", 171, "persons", "退役士兵和士官171名");
    expect(runCheck(sumCheck, byId(total, urban, rural))).toBeNull();
  });

  it("report a planted mismatch with both quotes and the recomputed total", () => {
    const total = figure("001", 172, "persons", "退役士兵和士官172名");
    expect(runCheck(sumCheck, byId(total, urban, rural))).toMatchObject({
      id: "900-veterans", kind: "sum", severity: "error", expected: 171, reported: 172,
      figure_a: "900-001", quote_a: "退役士兵和士官172名", figure_b: "900-002, 900-003", quote_b: "其中城鎮兵92名、農村兵79名",
    });
  });

  it("add parts written in 万 to a total in yuan", () => {
    const total = figure("001", 62_000, "yuan", "共計62000元");
    const a = figure("002", 4.2, "10k yuan", "補助4.2萬元");
    const b = figure("003", 2, "10k yuan", "支出2萬元");
    expect(runCheck(sumCheck, byId(total, a, b))).toBeNull();
  });

  it("stay silent whenever the total is the exact sum of whole counts (property)", () => {
    fc.assert(fc.property(fc.array(fc.integer({min: 0, max: 100_000}), {minLength: 2, maxLength: 6}), (counts) => {
      const parts = counts.map((n, i) => figure(String(i + 2).padStart(3, "0"), n, "persons", `${n}人`));
      const total = figure("001", counts.reduce((s, n) => s + n, 0), "persons", `共${counts.reduce((s, n) => s + n, 0)}人`);
      expect(runCheck({...sumCheck, parts: parts.map((p) => p.id)}, byId(total, ...parts))).toBeNull();
    }));
  });
});

describe("ratio checks", () => {
  const registered = figure("002", 69243, "persons", "已為69243名精神病患者建檔立卡");
  const monitored = figure("003", 57408, "persons", "對其中57408人進行了有效監護");
  const ratio = {id: "900-rate", kind: "ratio" as const, rate: "900-001", numerator: "900-003", denominator: "900-002"};

  it("stay silent when the rate is the quotient rounded to its written digit", () => {
    expect(runCheck(ratio, byId(figure("001", 83, "%", "監護率達到83%"), registered, monitored))).toBeNull();
  });

  it("report a rate one point off as an error", () => {
    const finding = runCheck(ratio, byId(figure("001", 84, "%", "監護率達到84%"), registered, monitored));
    expect(finding).toMatchObject({severity: "error", reported: 84});
    expect(finding!.expected).toBeCloseTo(82.908, 3);
    expect(finding!.message_zh).toContain("57408 ÷ 69243");
  });

  it("call a rate that agrees only when cut off rather than rounded a warning", () => {
    const improved = figure("004", 37251, "persons", "顯好病人37251人");
    const check = {...ratio, numerator: "900-004", denominator: "900-003"};
    expect(runCheck(check, byId(figure("001", 64, "%", "顯好率64%"), monitored, improved))).toMatchObject({severity: "warning"});
    expect(runCheck(check, byId(figure("001", 65, "%", "顯好率65%"), monitored, improved))).toBeNull();
  });

  it("allow for the rounding of a denominator written in 万 and compare per mille", () => {
    const population = figure("005", 1152, "10k persons", "覆蓋1152萬人口");
    const check = {...ratio, denominator: "900-005", numerator: "900-002"};
    expect(runCheck(check, byId(figure("001", 6.0, "‰", "占轄區總人口的6.0‰"), registered, population))).toBeNull();
    expect(runCheck(check, byId(figure("001", 6.1, "‰", "占轄區總人口的6.1‰"), registered, population))).toMatchObject({severity: "error", reported: 6.1});
  });

  it("stay silent whenever a percentage is the rounded quotient of whole counts (property)", () => {
    fc.assert(fc.property(fc.integer({min: 1, max: 1_000_000}), fc.integer({min: 0, max: 1_000_000}), (d, n0) => {
      const n = n0 % (d + 1);
      const pct = Math.round((100 * n) / d);
      const check = {...ratio, numerator: "900-003", denominator: "900-002"};
      const found = runCheck(check, byId(figure("001", pct, "%", `${pct}%`), figure("002", d, "persons", `${d}人`), figure("003", n, "persons", `${n}人`)));
      expect(found).toBeNull();
    }));
  });
});

describe("product checks", () => {
  const districts = figure("002", 13, "units", "此次調研的13個區縣(市)");
  const perDistrict = figure("003", 2, "units", "在每個區縣(市)中抽查2個街道、鄉鎮");
  const product = {id: "900-sample", kind: "product" as const, total: "900-001", factors: ["900-002", "900-003"]};

  it("stay silent when the factors multiply to the total", () => {
    expect(runCheck(product, byId(figure("001", 26, "units", "抽查的26個街道"), districts, perDistrict))).toBeNull();
  });

  it("report the difference with the severity and note the check gives", () => {
    const check = {...product, severity: "info" as const, note: {zh: "计划与实际不同。", en: "Plan and outcome differ."}};
    expect(runCheck(check, byId(figure("001", 24, "units", "抽查的24個街道"), districts, perDistrict))).toMatchObject({
      severity: "info", expected: 26, reported: 24, message_zh: "13 × 2 = 26，原文为 24。计划与实际不同。", message_en: "13 × 2 = 26, the text gives 24. Plan and outcome differ.",
    });
  });
});

describe("broken checks", () => {
  it("stop with the check id when a figure is not in the catalogue", () => {
    expect(() => runCheck(sumCheck, byId(urban, rural))).toThrow(AuditCheckError);
    expect(() => runCheck(sumCheck, byId(urban, rural))).toThrow(/900-veterans: figure 900-001/);
  });

  it("stop when a part and the total are in different units", () => {
    const total = figure("001", 171, "households", "171戶");
    expect(() => runCheck(sumCheck, byId(total, urban, rural))).toThrow(/in persons, the total in households/);
  });
});
