import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {openccReading, readingTable, readingTableModule, shownQuotes} from "../../loaders/figures/quoteReadings.js";
import {characterReader, simplifiedReading, simplifiedReadingText} from "../../src/components/shared/simplifiedReading.js";

describe("simplified readings of traditional quotes", () => {
  const quotes = shownQuotes();

  it("the committed table is the one the quotes in data/ give (run npm run quote-readings when it is not)", () => {
    const committed = readFileSync(new URL("../../src/components/shared/simplifiedReadingTable.ts", import.meta.url), "utf8");
    expect(committed).toBe(readingTableModule(readingTable(quotes)));
  });

  it("reads every shown quote as OpenCC does, and leaves a simplified quote alone", () => {
    const traditional = quotes.filter((q) => openccReading(q) !== q);
    expect(traditional.length).toBeGreaterThan(100);
    for (const q of quotes) expect(simplifiedReading(q) ?? q, q).toBe(openccReading(q));
    expect(simplifiedReading("残疾人康复需求筛出率不低于60%")).toBeNull();
    expect(simplifiedReadingText("殘疾人康復需求篩出率不低于60%")).toBe("（简体：残疾人康复需求筛出率不低于60%）");
    expect(simplifiedReadingText("農村五保供養標準再次提高,由每人每月350元,提高到每人每月480元")).toBe("（简体：农村五保供养标准再次提高,由每人每月350元,提高到每人每月480元）");
    expect(simplifiedReadingText(null)).toBe("");
  });

  it("reads a phrase OpenCC reads apart from its characters as a whole", () => {
    // 乾 is 干 in 乾淨 but stays in 乾隆: no one character map serves both.
    const table = readingTable(["衣服乾淨", "乾隆年間"]);
    expect(table.whole).toEqual({"乾隆年間": openccReading("乾隆年間")});
    expect(characterReader(table.traditional, table.simplified)("衣服乾淨")).toBe(openccReading("衣服乾淨"));
  });
});

describe("where a page names a parameter with its quote", () => {
  it("the gap page's target line carries the simplified reading after the traditional quote", async () => {
    const {parameterText} = await import("../../src/components/gaps/gapText.js");
    const text = parameterText({id: "target.rehab.screening_rate", label_zh: "残疾人康复需求筛出率", value: 0.6, unit: "share 0–1", period: "point", effective_date: "2026-01-01", source: "004_f20733b96c2a913c.txt", quote: "殘疾人康復需求篩出率不低于60%"} as never);
    expect(text).toContain("“殘疾人康復需求篩出率不低于60%”（简体：残疾人康复需求筛出率不低于60%）");
  });
});
