import type {BriefingData} from "../../schemas/briefingData.js";
import {esc} from "./briefingProse.js";
import {sourceTitle} from "../shared/sourceTitle.js";

/**
 * The sources of a briefing by document title (附录：来源文件): the city's data first, then every
 * document a footnote quotes or a parameter or target takes its value from, each with the footnotes
 * that quote it and the parameters it sets. Names only titles, never file names. Pure: shared by the
 * page, the single file and the composer.
 */

export interface BriefingSourceEntry {
  title: string;
  /** What the briefing takes from it, in words. */
  uses_zh: string;
  /** Footnote numbers quoting it. */
  notes: number[];
}

const special: Record<string, string> = {assumption: "测算假设（本站设定，见附录一各参数的说明）", scenario: "方案设定（规划员在方案中设定的取值）"};

export function briefingSources(data: BriefingData): BriefingSourceEntry[] {
  const entries = new Map<string, {notes: Set<number>; parameters: Set<string>; targets: Set<string>}>();
  const entry = (source: string) => {
    const title = special[source] ?? sourceTitle(source);
    if (!entries.has(title)) entries.set(title, {notes: new Set(), parameters: new Set(), targets: new Set()});
    return entries.get(title)!;
  };
  data.figures.forEach((f, i) => entry(f.document).notes.add(i + 1));
  for (const s of data.scenarios) for (const p of s.parameters) for (const v of p.sources) entry(v.source).parameters.add(p.label_zh);
  for (const g of data.gaps) if (g.target) entry(g.target.source).targets.add(g.target.label_zh);
  const city: BriefingSourceEntry = {title: data.city.source_zh, uses_zh: `全部覆盖与缺口计数、测算所用人数（数据截至 ${data.city.vintage_zh}）`, notes: []};
  return [
    city,
    ...[...entries].map(([title, e]) => ({
      title,
      uses_zh: [e.targets.size ? `目标：${[...e.targets].join("、")}` : "", e.parameters.size ? `参数：${[...e.parameters].join("、")}` : "", e.notes.size && !e.targets.size && !e.parameters.size ? "正文引用的数字" : ""].filter(Boolean).join("；"),
      notes: [...e.notes].sort((a, b) => a - b),
    })),
  ];
}

/** The appendix table; `noteLink(n)` writes a link to footnote n. */
export function sourcesHtml(entries: readonly BriefingSourceEntry[], noteLink: (n: number) => string): string {
  const rows = entries.map((e) => `<tr><th scope="row">${esc(e.title)}</th><td>${esc(e.uses_zh)}</td><td>${e.notes.map(noteLink).join(" ")}</td></tr>`);
  return `<table class="briefing-table sources-table" data-table="sources"><thead><tr><th scope="col">文件</th><th scope="col">本简报采用的内容</th><th scope="col">注释</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}
