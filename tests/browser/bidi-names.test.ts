import {chromium, type Browser} from "playwright-core";
import {afterAll, beforeAll, expect, test} from "vitest";
import {bytesSource, importFiles} from "../../src/importer/index.js";
import {chromiumArgs, chromiumPath} from "./harness.js";

/**
 * A unit name carrying a right-to-left override (U+202E), as a hostile or damaged file can: shown
 * before "共 12 个社区" (the gap explorer's sentence) it reverses the figure to "21". Imported, the name
 * has no bidi control left, and Chromium lays the figure out as written. Positions of the glyphs are
 * measured, not the string compared.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({executablePath: chromiumPath, args: chromiumArgs});
});
afterAll(async () => {
  await browser?.close();
});

const hostileName = "\u202E东城社区";

/** Whether "1" is drawn left of "2" in `${name}共 12 个社区` (the sentence as the page writes it). */
async function figureReadsLeftToRight(name: string): Promise<boolean> {
  const page = await browser.newPage();
  try {
    await page.setContent(`<!doctype html><html lang="zh-CN"><body><p id="s"></p></body></html>`);
    return await page.evaluate((text) => {
      const p = document.getElementById("s")!;
      p.textContent = text;
      const node = p.firstChild!;
      const at = (i: number) => {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        return range.getBoundingClientRect().left;
      };
      const one = text.indexOf("12");
      return at(one) < at(one + 1);
    }, `${name}共 12 个社区`);
  } finally {
    await page.close();
  }
}

test("a name with U+202E reverses 共 12 个社区 as written; the imported name does not", async () => {
  expect(await figureReadsLeftToRight(hostileName)).toBe(false);
  const csv = `单位代码,单位名称,层级名称,上级单位代码,常住人口（人）\nC1,某市,市,,\nD1,某区,区,C1,\nS1,某街道,街道,D1,\nK1,${hostileName},社区,S1,1200\nK2,西\u2067城\u2069社区,社区,S1,800\n`;
  const result = await importFiles([bytesSource("units.csv", new TextEncoder().encode(csv))], {referenceDate: "2025-12-31"});
  const names = result.units.filter((u) => u.level === "community").map((u) => u.unit_name);
  expect(names).toEqual(["东城社区", "西城社区"]);
  for (const name of names) expect(await figureReadsLeftToRight(name)).toBe(true);
});
