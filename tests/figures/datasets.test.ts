import {describe, expect, it} from "vitest";
import {encodeDataset} from "../../loaders/emit.js";
import {checkCatalogue} from "../../loaders/figures/checkCatalogue.js";
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
    expect([count("000"), count("002"), count("004")]).toEqual([5, 2, 132]);
    expect(rows.find((r) => r.id === "004-072")).toMatchObject({indicator_zh: "城市低保保障标准", value: 450, unit: "yuan per person per month", kind: "standard"});
  });
});
