/**
 * Recomputations (重算核查): a sum of parts, a rate from its numerator and denominator, a product of
 * factors, compared with what the document reports. A finding only when the recomputed value, with the
 * rounding its inputs allow, cannot be the reported value rounded to its written precision.
 */
import type {AuditCheck, AuditRow} from "../../src/schemas/audit.js";
import {unitMultiplier, type FigureRow} from "../../src/schemas/figures.js";
import {addIntervals, baseInterval, divideIntervals, halfWidth, multiplyIntervals, overlaps, type Interval} from "./precision.js";

/** A check that names a figure the catalogue does not have, or figures that cannot be combined. */
export class AuditCheckError extends Error {}

/** How many units of a rate unit make one whole: 100 for %, 1000 for ‰, 1 for a plain ratio. */
function rateScale(unit: string): number {
  return unit === "%" ? 100 : unit === "‰" ? 1000 : 1;
}

/** Rounds for messages: enough digits to show the difference, no float noise. */
function show(value: number): string {
  return String(Number(value.toPrecision(6)));
}

const unitLabel = (unit: string) => (unit === "%" || unit === "‰" ? unit : ` ${unit}`);

function joinQuotes(figures: FigureRow[]): string {
  return [...new Set(figures.map((f) => f.quote))].join(" … ");
}

function finding(check: AuditCheck, reported: FigureRow, inputs: FigureRow[], expected: number, severity: AuditRow["severity"], zh: string, en: string): AuditRow {
  return {
    id: check.id,
    document: reported.document,
    kind: check.kind,
    severity: check.severity ?? severity,
    message_zh: check.note ? `${zh}${check.note.zh}` : zh,
    message_en: check.note ? `${en} ${check.note.en}` : en,
    expected: Number(expected.toPrecision(10)),
    reported: reported.value,
    unit: reported.unit,
    figure_a: reported.id,
    quote_a: reported.quote,
    figure_b: inputs.map((f) => f.id).join(", "),
    quote_b: joinQuotes(inputs),
  };
}

function lookup(check: AuditCheck, figures: ReadonlyMap<string, FigureRow>, ids: string[]): FigureRow[] {
  return ids.map((id) => {
    const figure = figures.get(id);
    if (!figure) throw new AuditCheckError(`audit check ${check.id}: figure ${id} is not in the catalogue`);
    if (figure.document.slice(0, 3) !== check.id.slice(0, 3)) throw new AuditCheckError(`audit check ${check.id}: figure ${id} belongs to another document`);
    return figure;
  });
}

/** Whether a count and a total can be added: same base unit once 万/亿 prefixes are taken off. */
function baseUnit(unit: string): string {
  return unit.replace(/^(10k|100m) /, "");
}

/** Runs one check; null when the figures agree within their written precision. */
export function runCheck(check: AuditCheck, figures: ReadonlyMap<string, FigureRow>): AuditRow | null {
  if (check.kind === "sum") {
    const [total] = lookup(check, figures, [check.total]);
    const parts = lookup(check, figures, check.parts);
    for (const part of parts)
      if (baseUnit(part.unit) !== baseUnit(total.unit)) throw new AuditCheckError(`audit check ${check.id}: part ${part.id} is in ${part.unit}, the total in ${total.unit}`);
    const sum = parts.map(baseInterval).reduce(addIntervals);
    if (overlaps(sum, baseInterval(total))) return null;
    const expected = parts.reduce((s, p) => s + p.value * unitMultiplier(p.unit), 0) / unitMultiplier(total.unit);
    return finding(check, total, parts, expected, "error",
      `分项之和为 ${show(expected)}，原文合计为 ${show(total.value)}（${total.unit}）。`,
      `The parts add up to ${show(expected)}, the text gives a total of ${show(total.value)} (${total.unit}).`);
  }
  if (check.kind === "product") {
    const [total] = lookup(check, figures, [check.total]);
    const factors = lookup(check, figures, check.factors);
    const product = factors.map(baseInterval).reduce(multiplyIntervals);
    if (overlaps(product, baseInterval(total))) return null;
    const expected = factors.reduce((p, f) => p * f.value * unitMultiplier(f.unit), 1) / unitMultiplier(total.unit);
    const formula = factors.map((f) => show(f.value)).join(" × ");
    return finding(check, total, factors, expected, "error",
      `${formula} = ${show(expected)}，原文为 ${show(total.value)}。`,
      `${formula} = ${show(expected)}, the text gives ${show(total.value)}.`);
  }
  const [rate, numerator, denominator] = lookup(check, figures, [check.rate, check.numerator, check.denominator]);
  const scale = rateScale(rate.unit) / unitMultiplier(rate.unit);
  const quotient = divideIntervals(baseInterval(numerator), baseInterval(denominator));
  if (!quotient) throw new AuditCheckError(`audit check ${check.id}: the denominator ${denominator.id} may be zero`);
  const recomputed: Interval = [quotient[0] * scale, quotient[1] * scale];
  const h = halfWidth(rate);
  if (overlaps(recomputed, [rate.value - h, rate.value + h])) return null;
  const expected = ((numerator.value * unitMultiplier(numerator.unit)) / (denominator.value * unitMultiplier(denominator.unit))) * scale;
  const decimals = Math.max(0, -Math.round(Math.log10(2 * h || 1)));
  const rounded = expected.toFixed(decimals);
  const num = numerator.value * unitMultiplier(numerator.unit);
  const den = denominator.value * unitMultiplier(denominator.unit);
  // Reported = recomputed cut off (not rounded) at the written digit: a common way such reports are made.
  const truncated = h > 0 && overlaps(recomputed, [rate.value, rate.value + 2 * h - 1e-12]);
  const u = unitLabel(rate.unit);
  const zh = `按 ${show(num)} ÷ ${show(den)} 重算为 ${show(expected)}${u}（约 ${rounded}${u}），原文为 ${show(rate.value)}${u}${truncated ? "；仅在截尾而非四舍五入时相符" : ""}。`;
  const en = `${show(num)} ÷ ${show(den)} gives ${show(expected)}${u} (about ${rounded}${u}); the text gives ${show(rate.value)}${u}${truncated ? ", which agrees only if the figure was cut off rather than rounded" : ""}.`;
  return finding(check, rate, [numerator, denominator], expected, truncated ? "warning" : "error", zh, en);
}
