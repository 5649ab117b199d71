/**
 * Figures the text leaves blank (数字留空): a template's placeholder where a number belongs — `20*年`,
 * `20__年`, `****%`, `___人`, `第**屆`. A placeholder counts when digits touch it, when a unit of
 * measure follows it (年 % 人 元 个 户 名 …), or when 第 precedes it; a blank word (`健全___,`) and a
 * form field (`日期:______`) do not. Names blanked with ×× are anonymisation, not missing figures.
 *
 * A figure can also be omitted with no placeholder at all: in a list of amounts one item names its label
 * and goes straight to the unit (`本科生3000元，大专生元，中专生1000元`). Such an item counts only when
 * another item of the same list carries a figure in the same unit, so a word that merely ends in a
 * unit's character (`残疾人`, `单元`) alone is never a finding.
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

const listUnit = String.raw`(?:万元|萬元|元|人次|人|户|戶|个|個|名|所|家|%|％)`;
const digits = String.raw`[0-9０-９.．]+|[零〇一二三四五六七八九十百千万萬两兩]+`;
/** A list item that is a label and a figure with its unit, e.g. `本科生3000元`. */
const figuredItem = new RegExp(String.raw`^[\p{Script=Han}]{1,10}(?:${digits})(${listUnit})$`, "u");
/** A list item that is a label going straight to the unit, e.g. `大专生元`. */
const unfiguredItem = new RegExp(String.raw`^([\p{Script=Han}]{1,10}?)(${listUnit})$`, "u");

/** A list item without the words that introduce the list (标准为本科生3000元 → 本科生3000元). */
const listItem = (part: string) => part.trim().replace(/^(?:标准为|標準為|其中|分别为|分別為|为|為|即)/, "");

/** Items of lists of amounts (split at ，、；) whose figure is left out, with their position in the text. */
function omittedFigures(text: string): {index: number; item: string; list: string}[] {
  const found: {index: number; item: string; list: string}[] = [];
  // A list stays inside one sentence; its items are separated by commas, enumeration commas or semicolons.
  for (const sentence of text.matchAll(/[^。！？!?\n]+/g)) {
    const parts = [...sentence[0].matchAll(/[^，,、；;]+/g)];
    for (let i = 0; i < parts.length; i++) {
      const item = listItem(parts[i][0]);
      const unfigured = unfiguredItem.exec(item);
      // `培训一人` is a figure in words, not a label without one.
      if (!unfigured || unfigured[1] === "" || /[零〇一二三四五六七八九十百千万萬两兩几幾]$/.test(unfigured[1])) continue;
      // Nouns that end in a unit's character: 残疾人, 盲人, 老人, 个人, 专家, 国家, 店家, 户 as 农户.
      if (/(?:残疾|殘疾|盲|聋|聾|病|老|家|个|個|工|主|法|责任|責任|监护|監護|经纪|經紀|带头|帶頭|成年|年轻|年輕)人$|(?:国|國|大|专|專|店|商|农|農|作|画|畫|企业|企業|人)家$|(?:农|農|住|用|客|贫困|貧困|散|商|万元|萬元)户$|(?:农|農|住|用|客|贫困|貧困|散|商)戶$/.test(item)) continue;
      // A neighbour in the same list (either side) has a figure in the same unit.
      const neighbours = [parts[i - 1], parts[i + 1]].filter((p) => p !== undefined).map((p) => figuredItem.exec(listItem(p[0])));
      if (!neighbours.some((n) => n !== null && n[1] === unfigured[2])) continue;
      const index = sentence.index + parts[i].index + parts[i][0].indexOf(item);
      const from = Math.max(0, i - 1);
      const list = parts.slice(from, i + 2).map((p) => p[0].trim()).join("，");
      found.push({index, item, list});
    }
  }
  return found;
}

/** One finding per placeholder or omitted figure, numbered in text order. */
export function findBlanks(document: string, text: string): AuditRow[] {
  const findings: AuditRow[] = [];
  const seen = new Set<number>();
  const blanks = [
    ...[...text.matchAll(blank)].map((match) => ({index: match.index, shown: match[0], quote: clause(text, match.index, match.index + match[0].length)})),
    ...omittedFigures(text).map((o) => ({index: o.index, shown: o.item, quote: o.list})),
  ].sort((a, b) => a.index - b.index);
  for (const {index, shown, quote} of blanks) {
    if (seen.has(index)) continue;
    seen.add(index);
    findings.push({
      id: `${document.slice(0, 3)}-blank-${String(findings.length + 1).padStart(3, "0")}`,
      document,
      kind: "blank",
      severity: "warning",
      message_zh: `原文此处数字留空（${shown}）：「${quote}」。`,
      message_en: `The text leaves a figure blank (${shown}): “${quote}”.`,
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
