import {describe, expect, it} from "vitest";
import {encodeDataset} from "../../loaders/emit.js";
import {checkCatalogue} from "../../loaders/figures/checkCatalogue.js";
import {readSources} from "../../loaders/sources/readSources.js";
import {sourceRows} from "../../loaders/sources/sourceRows.js";
import {figures} from "../../src/schemas/figures.js";

describe("the figures dataset", () => {
  it("writes the same Parquet and JSON bytes twice", async () => {
    for (const format of ["parquet", "json"] as const) {
      const first = await encodeDataset(figures, checkCatalogue().rows, format);
      const second = await encodeDataset(figures, checkCatalogue().rows, format);
      expect(Buffer.from(first).equals(Buffer.from(second)), format).toBe(true);
    }
  });

  it("holds the curated figures of documents 000, 002 and 004 with their labels", () => {
    const rows = checkCatalogue().rows;
    const count = (doc: string) => rows.filter((r) => r.document.startsWith(doc)).length;
    expect([count("000"), count("002"), count("004")]).toEqual([7, 2, 132]);
    expect(rows.find((r) => r.id === "004-072")).toMatchObject({indicator_zh: "城市低保保障标准", value: 450, unit: "yuan per person per month", kind: "standard"});
  });
});

describe("quote positions", () => {
  it("point at the quote in the normalised text and at its first character in the original", () => {
    const texts = new Map(readSources().map((s) => [s.document, {text: Array.from(s.text), original: Array.from(s.original)}]));
    for (const row of checkCatalogue().rows) {
      const {text, original} = texts.get(row.document)!;
      const quote = Array.from(row.quote);
      expect(text.slice(row.quote_offset, row.quote_offset + quote.length).join(""), row.id).toBe(row.quote);
      expect(original[row.original_offset], row.id).toBe(quote[0]);
    }
  });
});

describe("the sources and figures_ignored datasets", () => {
  it("give each document its description, the annotations removed and its coverage", () => {
    const rows = sourceRows(checkCatalogue());
    expect(rows.map((r) => r.document.slice(0, 3))).toEqual(["000", "001", "002", "003", "004"]);
    const doc002 = rows.find((r) => r.document.startsWith("002"))!;
    expect(doc002).toMatchObject({annotations_removed: 388, original_chars: 4165, normalised_chars: 2134});
    expect(doc002.title).toContain("Sunshine Home");
    for (const doc of ["000", "002", "004"]) expect(rows.find((r) => r.document.startsWith(doc))!.coverage).toBe(1);
  });

  it("list every ignored passage with its reason and how often it occurs", () => {
    const ignored = checkCatalogue().ignoredRows;
    expect(ignored.find((r) => r.quote === "ID:1364351")).toMatchObject({document: "000_dc4091e04329abc0.txt", reason: "file metadata", numbers: 1, occurrences: 1});
    expect(ignored.every((r) => r.numbers > 0 && r.occurrences > 0)).toBe(true);
  });
});
