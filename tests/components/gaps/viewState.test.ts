import fc from "fast-check";
import {describe, expect, test} from "vitest";
import {indicatorIds} from "../../../src/engine/indicators.js";
import {gapColumnKeys} from "../../../src/components/gaps/gapColumns.js";
import {defaultGapView, gapViewQuery, parseGapView, readableUrl, sameGapView, viewGrades, viewLevels, type GapView} from "../../../src/components/gaps/viewState.js";
import {disabilityCategories} from "../../../src/schemas/disabilityCategories.js";

// A view of the gap page is a link a planner can put in a briefing: it must come back exactly as it was.

describe("the gap page's view in the URL", () => {
  test("a link with every key set opens that view, and writes back to the same link", () => {
    const link = "?indicator=archive&level=community&unit=990106&year=2027&category=visual,physical&grade=1,2&sort=gap_cost_yuan&order=desc";
    const {view, notes} = parseGapView(link);
    expect(notes).toEqual([]);
    expect(view).toEqual({indicator: "archive", level: "community", unit: "990106", year: 2027, categories: ["visual", "physical"], grades: [1, 2], sort: "gap_cost_yuan", order: "desc", q: ""});
    expect(gapViewQuery(view)).toBe(link);
  });

  test("search text (perhaps an imported unit's name) is read from an old link but never written into one", () => {
    const {view} = parseGapView("?indicator=archive&q=%E4%B8%9C%E5%9F%8E%E8%A1%97%E9%81%93");
    expect(view.q).toBe("东城街道");
    const written = gapViewQuery(view);
    expect(written).not.toMatch(/q=/);
    expect(decodeURIComponent(written)).not.toContain("东城");
    // Still a different view on the page, though the links agree.
    expect(sameGapView(view, {...view, q: ""})).toBe(false);
  });

  test("a malformed percent-escape neither throws nor stops the page", () => {
    expect(() => parseGapView("?indicator=%E4%B8&year=%zz&q=%")).not.toThrow();
    expect(parseGapView("?indicator=%E4%B8").notes).toHaveLength(1);
    expect(readableUrl("http://127.0.0.1/gaps?q=%E4%B8")).toBe("http://127.0.0.1/gaps?q=%E4%B8");
    expect(readableUrl("http://127.0.0.1/gaps?unit=%E4%B8%9C")).toBe("http://127.0.0.1/gaps?unit=东");
  });

  test("an empty query string is the default view, and the default link still names indicator, level and year", () => {
    expect(parseGapView("")).toEqual({view: defaultGapView, notes: []});
    expect(gapViewQuery(defaultGapView)).toBe(`?indicator=screening&level=district&year=${defaultGapView.year}`);
  });

  test("filters come back in the classification's order without repeats, whatever order the link has", () => {
    const {view} = parseGapView("?category=physical,visual,physical&grade=3,1");
    expect(view.categories).toEqual(["visual", "physical"]);
    expect(view.grades).toEqual([1, 3]);
  });

  test("values the page cannot use fall back to the default and are said in Chinese, never thrown", () => {
    const {view, notes} = parseGapView("?indicator=nope&level=province&unit=a%20b&year=20x6&category=visual,alien&grade=0,2&sort=salary&order=up");
    expect(view).toEqual({...defaultGapView, categories: ["visual"], grades: [2]});
    expect(notes).toHaveLength(8);
    expect(notes[0]).toContain("“nope”");
    for (const note of notes) expect(note).toMatch(/[\u4e00-\u9fff]/);
  });

  test("keys of other tools are ignored, and an over-long search is cut", () => {
    const {view, notes} = parseGapView(`?utm_source=mail&q=${"东".repeat(80)}`);
    expect(notes).toEqual([]);
    expect(view.q).toHaveLength(50);
  });

  test("every view survives the trip through its link (property)", () => {
    const subset = <T>(values: readonly T[]) => fc.subarray([...values]);
    const view: fc.Arbitrary<GapView> = fc.record({
      indicator: fc.constantFrom(...indicatorIds),
      level: fc.constantFrom(...viewLevels),
      unit: fc.option(fc.stringMatching(/^[0-9A-Za-z]{2,24}$/), {nil: null}),
      year: fc.integer({min: 1900, max: 2199}),
      categories: subset(disabilityCategories),
      grades: subset(viewGrades),
      sort: fc.constantFrom(...gapColumnKeys),
      order: fc.constantFrom("asc" as const, "desc" as const),
      q: fc.string({maxLength: 50}).map((s) => s.trim()),
    });
    fc.assert(
      fc.property(view, (v) => {
        expect(parseGapView(gapViewQuery(v))).toEqual({view: {...v, q: ""}, notes: []});
      }),
    );
  });
});
