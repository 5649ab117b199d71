/**
 * Framework 1.13 writes a few words of its own in English into every page: the sidebar's search box
 * ("Search"), its toggle ("Toggle sidebar") and the search results ("no results", "3 results"). Our
 * users read Simplified Chinese only, and Framework has no option for these words, so the build
 * replaces them (scripts/postbuild.ts, before the CSP hashes and the compressed siblings are made).
 * Each replacement must find its text: when a Framework upgrade changes the words, the build fails
 * here instead of quietly showing English again.
 */

interface Replacement {
  /** What Framework writes. */
  from: string;
  to: string;
}

/** In every page's HTML (the sidebar). */
export const pageReplacements: readonly Replacement[] = [
  {from: `<input type="search" placeholder="Search">`, to: `<input type="search" placeholder="搜索本站" aria-label="搜索本站">`},
  {from: `title="Toggle sidebar"`, to: `title="显示或隐藏侧栏"`},
];

/** In the search client (dist/_observablehq/search.<hash>.js), minified. */
export const searchClientReplacements: readonly Replacement[] = [
  {from: `"<div>no results</div>"`, to: `"<div>没有找到</div>"`},
  // `${n.toLocaleString("en-US")} result${n===1?"":"s"}` with a minifier's name for n.
  {from: String.raw`/\$\{(\w+)\.length\.toLocaleString\("en-US"\)\} result\$\{\1\.length===1\?"":"s"\}/`, to: "找到 ${$1.length.toLocaleString(\"zh-CN\")} 项"},
];

function apply(text: string, replacements: readonly Replacement[], what: string): string {
  let out = text;
  for (const {from, to} of replacements) {
    const pattern = from.startsWith("/") && from.endsWith("/") ? new RegExp(from.slice(1, -1), "g") : null;
    const found = pattern ? pattern.test(out) : out.includes(from);
    if (!found) throw new Error(`${what}: Framework's text ${from} was not found; update scripts/localiseFramework.ts for this Framework version`);
    out = pattern ? out.replace(new RegExp(pattern.source, "g"), to) : out.replaceAll(from, to);
  }
  return out;
}

/** A page with its sidebar's words in Chinese (a page without the sidebar is returned as it is). */
export function localisePage(html: string, file: string): string {
  return html.includes(`id="observablehq-sidebar"`) ? apply(html, pageReplacements, file) : html;
}

export function localiseSearchClient(js: string, file: string): string {
  return apply(js, searchClientReplacements, file);
}
