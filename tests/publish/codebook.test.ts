import {describe, expect, test} from "vitest";
import {codebook, codebookCsv, codebookMarkdown} from "../../loaders/publish/codebook.js";
import {publications} from "../../loaders/publish/registry.js";
import {personsSummary} from "../../src/schemas/personsSummary.js";
import {z} from "zod";
import {column, dataset} from "../../src/schemas/column.js";

describe("codebooks generated from the schemas", () => {
  test.each(publications.map((p) => [p.dataset.name, p]))("%s: every column has a type, zh and en labels and a description", (_, p) => {
    const book = codebook(p.dataset);
    expect(book.columns.map((c) => c.column)).toEqual(Object.keys(p.dataset.row.shape));
    for (const c of book.columns) {
      expect(c.label_zh).toMatch(/\p{Script=Han}/u);
      expect(c.label_en.length).toBeGreaterThan(0);
      expect(c.description.length).toBeGreaterThan(10);
      expect(["VARCHAR", "INTEGER", "DOUBLE", "BOOLEAN"]).toContain(c.type);
    }
  });

  test("a coded column lists its values; counts carry their unit and say null means suppressed", () => {
    const book = codebook(personsSummary);
    const category = book.columns.find((c) => c.column === "category")!;
    expect(category.values).toEqual(["visual", "hearing", "speech", "physical", "intellectual", "psychiatric", "multiple"]);
    const screened = book.columns.find((c) => c.column === "screened")!;
    expect(screened).toMatchObject({type: "INTEGER", nullable: true, unit: "persons"});
    expect(screened.description).toContain("Null where suppressed");
  });

  test("a column without codebook metadata fails loudly", () => {
    const bad = dataset({name: "bad", title: {zh: "坏", en: "bad"}, description: "x", row: z.object({a: column(z.string(), {zh: "甲", en: "A", description: "fine column"}), b: z.number()}), sortKey: ["a"]});
    expect(() => codebook(bad)).toThrow(/bad\.b has no codebook metadata/);
  });

  test("Markdown escapes pipes in cells and the CSV has one row per column", () => {
    const d = dataset({name: "d", title: {zh: "测试", en: "test"}, description: "x", row: z.object({a: column(z.string(), {zh: "甲|乙", en: "A", description: "a | b"})}), sortKey: ["a"]});
    expect(codebookMarkdown(codebook(d))).toContain("| 甲\\|乙 | A | a \\| b |");
    const csv = new TextDecoder().decode(codebookCsv(codebook(d))).trim().split("\r\n");
    expect(csv).toEqual(["column,type,nullable,unit,label_zh,label_en,description,values", "a,VARCHAR,false,,甲|乙,A,a | b,"]);
  });
});
