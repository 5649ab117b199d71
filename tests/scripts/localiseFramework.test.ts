import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {localisePage, localiseSearchClient, pageReplacements} from "../../scripts/localiseFramework.js";

const framework = join(import.meta.dirname, "..", "..", "node_modules", "@observablehq", "framework", "dist");

describe("Framework's own words in Chinese", () => {
  it("Framework's sidebar still writes the English this build replaces", () => {
    const render = readFileSync(join(framework, "render.js"), "utf-8");
    for (const {from} of pageReplacements) expect(render).toContain(from);
  });

  it("a page's search box and sidebar toggle read in Chinese", () => {
    const page = `<nav id="observablehq-sidebar"></nav><input id="observablehq-sidebar-toggle" type="checkbox" title="Toggle sidebar"><div id="observablehq-search"><input type="search" placeholder="Search"></div>`;
    const out = localisePage(page, "index.html");
    expect(out).toContain(`placeholder="搜索本站"`);
    expect(out).toContain(`title="显示或隐藏侧栏"`);
    expect(out).not.toMatch(/Search"|Toggle sidebar/);
  });

  it("search results are counted in Chinese, whatever name the minifier gave the list", () => {
    const client = 'c.innerHTML=q.length===0?"<div>no results</div>":`<div>${q.length.toLocaleString("en-US")} result${q.length===1?"":"s"}</div><ol>${q.map(Se).join("")}</ol>`';
    const out = localiseSearchClient(client, "search.js");
    expect(out).toBe('c.innerHTML=q.length===0?"<div>没有找到</div>":`<div>找到 ${q.length.toLocaleString("zh-CN")} 项</div><ol>${q.map(Se).join("")}</ol>`');
  });

  it("fails the build when a Framework upgrade changed the words, rather than showing English", () => {
    expect(() => localiseSearchClient("no such text", "search.js")).toThrow(/not found/);
    expect(() => localisePage(`<nav id="observablehq-sidebar"></nav>`, "a.html")).toThrow(/a\.html/);
    // A page without Framework's sidebar (e.g. a single-file briefing) is left alone.
    expect(localisePage("<p>简报</p>", "b.html")).toBe("<p>简报</p>");
  });
});
