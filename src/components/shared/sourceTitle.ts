/**
 * The sources as a planner names them: by their documents' titles in Simplified Chinese (《…》), never by
 * the hash file names under data/sources/ and data/reference/. The five source files are web pages
 * that each collect several plans, so a title names the collection as its page does. The file name
 * stays available to researchers (the figure catalogue, the downloads) and as a tooltip.
 */

/** Titles by file name (data/sources/README.md and data/reference/README.md describe each file). */
export const sourceTitles: Readonly<Record<string, string>> = {
  "000_dc4091e04329abc0.txt": "关于和谐社区建设残疾人工作实施方案",
  "001_72bb10b6e39b4b65.txt": "残联工作计划范文（11 篇）",
  "002_0b50dc9131de8548.txt": "阳光家园示范区建设方案",
  "003_e0a4d45436166eee.txt": "街道残疾人工作计划（11 篇）",
  "004_f20733b96c2a913c.txt": "社区民政残联工作计划范例（6 篇）",
  "cdpf_national_stats.csv": "中国残疾人事业发展统计公报（2014—2022 年）",
  "second_disability_survey_2006.csv": "第二次全国残疾人抽样调查主要数据公报（2006 年）",
  "population_province_census2020.csv": "第七次全国人口普查公报（第三号）：地区人口情况",
  "two_subsidies_standards_by_province.csv": "各省残疾人两项补贴标准（第三方汇编）",
  "province_tiles.csv": "省级方块图布局（本站绘制）",
  "national_plan_14th.csv": "“十四五”残疾人保障和发展规划主要指标（转载件摘录）",
  "national_outturns.csv": "全国残疾人事业最新进展（2024年统计公报、2025年7月22日国新办发布会，转载件摘录）",
};

/**
 * The language of a quote for its `lang` attribute: a few reference tables quote English pages, which
 * are marked as English; a Chinese quote (simplified or traditional) keeps the page's language.
 */
export function quoteLang(quote: string): "en" | null {
  return /[\u3400-\u9fff]/.test(quote) ? null : "en";
}

/** A source's title in book-title marks: 《关于和谐社区建设残疾人工作实施方案》; an unknown file keeps its name. */
export function sourceTitle(file: string): string {
  const name = file.replace(/^data\/(sources|reference)\//, "");
  const title = sourceTitles[name];
  return title ? `《${title}》` : file;
}
