// Observable Framework configuration. Everything the site loads comes from its own origin:
// npm libraries are vendored from node_modules (scripts/vendorNpm.ts), no web fonts, no DuckDB
// extension downloads, and scripts/postbuild.ts adds lang="zh-CN" and a Content-Security-Policy.
export default {
  title: "残联规划沙盘",
  root: "src",
  output: "dist",
  pages: [
    {name: "概览", path: "/"},
    {name: "覆盖缺口", path: "/gaps"},
    {name: "预算沙盘", path: "/sandbox"},
    {name: "测算简报", path: "/briefings/example"},
    {name: "撰写简报", path: "/compose"},
    {name: "数据与下载", path: "/data"},
    {name: "导入数据", path: "/import"},
    {name: "方法与来源", path: "/methods"},
  ],
  // No Google Fonts: the CJK font stack in style.css uses fonts every OS ships.
  globalStylesheets: [],
  style: "style.css",
  head: '<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">',
  footer: '残联规划沙盘 <span lang="en">DPF Sandbox</span> · 示例市数据为合成数据 · 数据仅在本机浏览器中处理',
  // Inline code in the pages is an identifier (a column, a file, a command), written in English: it is
  // marked lang="en", so readers and screen readers know it is the second language, not Chinese.
  markdownIt: (md: {renderer: {rules: Record<string, ((tokens: {attrSet(name: string, value: string): void}[], idx: number, ...rest: unknown[]) => string) | undefined>}}) => {
    const render = md.renderer.rules.code_inline!;
    md.renderer.rules.code_inline = (tokens, idx, ...rest) => {
      tokens[idx]!.attrSet("lang", "en");
      return render(tokens, idx, ...rest);
    };
    return md;
  },
  // Pages use their own DuckDB-WASM adapter (src/components/shared/sandboxDb.ts); never download extensions.
  duckdb: {extensions: {json: null, parquet: null}},
  search: true,
  toc: {label: "本页目录"},
  pager: false,
  // The downloads (数据与下载): each file of data/downloads.zip, at a stable path; cached publishing
  // outputs whose inputs changed are rebuilt (loaders/publish/downloads.ts, freshness.ts).
  async *dynamicPaths() {
    yield* await (await import("./loaders/publish/downloads.js")).publishPaths();
  },
  preserveExtension: false,
};
