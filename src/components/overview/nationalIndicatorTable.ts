import type {NationalIndicatorRow} from "../../schemas/nationalIndicators.js";
import {dataTable} from "../sandbox/scenarioDom.js";
import {h} from "../shared/dom.js";
import {quoteLang} from "../shared/sourceTitle.js";
import {simplifiedReadingText} from "../shared/simplifiedReading.js";

/**
 * The national plan's main indicators on the overview (全国“十四五”主要指标): 2020 baseline → 2025
 * target → latest outturn, the 2026–2030 value the sandbox assumes, and where each figure is quoted
 * from (the page's Chinese title as a link, the quote beneath). Rows come from `national_indicators`.
 */

/** A source: its title linking to the page, and the quoted text (English quotes marked lang="en"). */
function sourceCell(label: string, url: string, title: string, quote: string, note: string | null): HTMLElement {
  return h(
    "div",
    {class: "national-source"},
    h("span", {class: "source-kind"}, `${label}：`),
    h("a", {href: url, rel: "noreferrer noopener", target: "_blank", class: "source-doc"}, title),
    h("q", {class: "source-quote", lang: quoteLang(quote)}, quote),
    simplifiedReadingText(quote) ? h("span", {class: "quote-reading"}, simplifiedReadingText(quote)) : null,
    note ? h("span", {class: "source-note"}, `（${note}）`) : null,
  );
}

export function NationalIndicatorTable(rows: readonly NationalIndicatorRow[]): HTMLTableElement {
  return dataTable(
    rows,
    [
      {key: "no", label: "序号", value: (r) => String(r.no), header: true},
      {key: "indicator_zh", label: "指标", value: (r) => r.indicator_zh},
      {key: "attribute_zh", label: "属性", value: (r) => r.attribute_zh},
      {key: "baseline_text", label: "2020年基线", value: (r) => r.baseline_text},
      {key: "target_text", label: "2025年目标", value: (r) => r.target_text},
      {key: "outturn_text", label: "最新进展", value: (r) => h("span", {}, r.outturn_text, h("span", {class: "muted"}, `（${r.outturn_period}）`))},
      {key: "later_years_zh", label: "2026–2030年（测算假设）", value: (r) => (r.later_years_zh ? `${r.target_text}：${r.later_years_zh}` : "无数值目标")},
      {
        key: "sources",
        label: "来源",
        value: (r) =>
          h(
            "details",
            {class: "national-sources"},
            h("summary", {}, "出处与原文"),
            sourceCell("指标", r.plan_source, r.plan_source_title, r.plan_quote, r.plan_note),
            sourceCell("进展", r.outturn_source, r.outturn_source_title, r.outturn_quote, r.outturn_note),
          ),
      },
    ],
    {caption: "“十四五”残疾人保障和发展规划主要指标（国发〔2021〕10号）", className: "national-table", testid: "national-indicators", rowAttributes: (r) => ({"data-indicator": r.no, "data-parameter": r.parameter_id ?? undefined})},
  );
}

/** A figure of the reference dataset, as the bulletin list needs it. */
export interface BulletinFigure {
  indicator_zh: string;
  period: string | null;
  value_text: string;
  unit: string | null;
  source: string | null;
  document: string | null;
  source_quote: string | null;
  note: string | null;
}

/** The national figures of the CDPF 2024 statistical bulletin that are no plan indicator (counts, not rates). */
export function NationalBulletinTable(rows: readonly BulletinFigure[]): HTMLTableElement {
  return dataTable(
    rows,
    [
      {key: "indicator_zh", label: "项目", value: (r) => r.indicator_zh, header: true},
      {key: "value_text", label: "数值", value: (r) => `${r.value_text}${r.unit ?? ""}`},
      {key: "period", label: "时期", value: (r) => r.period ?? "—"},
      {key: "source", label: "来源", value: (r) => sourceCell("出处", r.source ?? "", r.document ?? "", r.source_quote ?? "", r.note)},
    ],
    {caption: "中国残联2024年残疾人事业发展统计公报（部分数字）", className: "national-table", testid: "national-bulletin"},
  );
}
