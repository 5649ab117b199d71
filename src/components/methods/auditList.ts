import type {AuditRow} from "../../schemas/audit.js";
import {formatNumber, missingText} from "../shared/format.js";
import {sourceTitle} from "../shared/sourceTitle.js";

/** The audit's units (as the figures catalogue writes them) in Chinese. */
const unitZh: Record<string, string> = {
  yuan: "元",
  "10k yuan": "万元",
  "100m yuan": "亿元",
  persons: "人",
  "10k persons": "万人",
  "person-times": "人次",
  "10k person-times": "万人次",
  households: "户",
  units: "个单位",
  "yuan per person": "元/人",
  "yuan per household": "元/户",
  "yuan per person per month": "元/人·月",
  "yuan per person per year": "元/人·年",
  percent: "%",
};
const unitText = (unit: string | null) => (unit ? (unitZh[unit] ?? unit) : "");

const severityLabels: Record<string, string> = {error: "错误", warning: "存疑", info: "提示"};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/**
 * The consistency audit as a list a careful reader can check: each finding with its message, the
 * recomputed and reported values, and both quotes with their figure ids. Text only (no HTML from data).
 */
export function AuditList(findings: readonly AuditRow[]): HTMLElement {
  const list = el("div", undefined, "audit-list");
  if (findings.length === 0) {
    list.append(el("p", "核查未发现问题。"));
    return list;
  }
  const blanks = findings.filter((f) => f.kind === "blank");
  for (const f of findings.filter((f) => f.kind !== "blank")) list.append(finding(f));
  if (blanks.length) {
    const details = el("details");
    details.append(el("summary", `原文留空未填的数字（${blanks.length} 处）`), ...blanks.map(finding));
    list.append(details);
  }
  return list;
}

function finding(f: AuditRow): HTMLElement {
  {
    const item = el("section", undefined, `audit-finding audit-${f.severity}`);
    item.dataset.findingId = f.id;
    const head = el("h4");
    head.append(el("span", severityLabels[f.severity] ?? f.severity, "audit-severity"), ` ${f.unit ? f.message_zh.replaceAll(`（${f.unit}）`, `（${unitText(f.unit)}）`) : f.message_zh}`);
    item.append(head);
    if (f.expected !== null || f.reported !== null) {
      const unit = f.unit ? ` ${unitText(f.unit)}` : "";
      item.append(el("p", `重算值：${f.expected === null ? missingText : formatNumber(f.expected, f.expected % 1 ? 2 : 0)}${unit}；原文值：${f.reported === null ? missingText : formatNumber(f.reported, f.reported % 1 ? 2 : 0)}${unit}`, "muted"));
    }
    const quotes = el("dl", undefined, "audit-quotes");
    quotes.append(el("dt", `原文（${f.figure_a ? `摘录 ${f.figure_a}` : sourceTitle(f.document)}）`), el("dd", f.quote_a));
    if (f.quote_b) quotes.append(el("dt", `对照（${f.figure_b ? `摘录 ${f.figure_b}` : ""}）`), el("dd", f.quote_b));
    item.append(quotes, el("p", `来源：${sourceTitle(f.document)}`, "muted"));
    return item;
  }
}
