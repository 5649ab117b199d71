/**
 * Figures the text leaves blank (数字留空): a template's placeholder where a number belongs — `20*年`,
 * `20__年`, `****%`, `___人`, `第**屆`. A placeholder counts when digits touch it, when a unit of
 * measure follows it (年 % 人 元 个 户 名 …), or when 第 precedes it; a blank word (`健全___,`) and a
 * form field (`日期:______`) do not. Names blanked with ×× are anonymisation, not missing figures.
 */
import type {AuditRow} from "../../src/schemas/audit.js";

const placeholder = String.raw`(?:[*＊]+|[_＿]{2,})`;
const unitAfter = String.raw`(?:年|月|日|%|％|‰|人|个|個|元|万|萬|户|戶|名|张|張|件|次|届|屆|期|天|岁|歲|平方米|公里|所|家|处|處|项|項|条|條|篇|场|場|辆|輛)`;
const blank = new RegExp(
  String.raw`[0-9０-９]+${placeholder}[0-9０-９]*|第${placeholder}|${placeholder}[0-9０-９]*(?=${unitAfter})`,
  "g",
);

/** Clause around a position: from the previous to the next punctuation or line break, at most 20 characters each side. */
function clause(text: string, start: number, end: number): string {
  const stop = /[。;；,，、:：\n“”"《》()（）]/;
  let from = start;
  while (from > 0 && start - from < 20 && !stop.test(text[from - 1])) from--;
  let to = end;
  while (to < text.length && to - end < 20 && !stop.test(text[to])) to++;
  return text.slice(from, to).trim();
}

/** One finding per placeholder, numbered in text order. */
export function findBlanks(document: string, text: string): AuditRow[] {
  const findings: AuditRow[] = [];
  const seen = new Set<number>();
  for (const match of text.matchAll(blank)) {
    if (seen.has(match.index)) continue;
    seen.add(match.index);
    const quote = clause(text, match.index, match.index + match[0].length);
    findings.push({
      id: `${document.slice(0, 3)}-blank-${String(findings.length + 1).padStart(3, "0")}`,
      document,
      kind: "blank",
      severity: "warning",
      message_zh: `原文此处数字留空（${match[0]}）：「${quote}」。`,
      message_en: `The text leaves a figure blank (${match[0]}): “${quote}”.`,
      expected: null,
      reported: null,
      unit: null,
      figure_a: null,
      quote_a: quote,
      figure_b: null,
      quote_b: null,
    });
  }
  return findings;
}
