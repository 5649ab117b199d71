import {describe, expect, test} from "vitest";
import {citedInText, proseHtml} from "../../../src/components/briefing/briefingProse.js";

describe("a planner's text in a briefing (briefingProse)", () => {
  const cite = (id: string) => `<sup>${id}</sup>`;
  test("paragraphs split by a blank line, numbered and plain lists, [004-013] as footnote marks", () => {
    expect(proseHtml("甲[004-013]。\n乙。\n\n1. 一\n2. 二\n\n- 子\n- 丑", cite)).toBe("<p>甲<sup>004-013</sup>。乙。</p>\n<ol><li>一</li><li>二</li></ol>\n<ul><li>子</li><li>丑</li></ul>");
  });
  test("escapes markup: a planner's text never becomes HTML", () => {
    expect(proseHtml('<script>alert("x")</script> & **重点**', cite)).toBe("<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <strong>重点</strong></p>");
  });
  test("no text, no markup; the figures cited in order of first citation", () => {
    expect(proseHtml(null, cite)).toBe("");
    expect(proseHtml("  \n", cite)).toBe("");
    expect(citedInText("a[004-002] b[000-003] c[004-002] [4-2]")).toEqual(["004-002", "000-003"]);
  });
});
