import {unitMultiplier, type FigureRow} from "../../src/schemas/figures.js";
import {foldDigits, findValue} from "../figures/numbers.js";

/** A closed interval of values a written figure may stand for: [low, high]. */
export type Interval = readonly [number, number];

const rateUnits = new Set(["%", "‰"]);

/**
 * How far the true value may lie from a figure as written (半个末位单位): a rate is rounded to its last
 * written digit (83% → ±0.5); a count or amount written with decimals or with 万/亿 is rounded too
 * (1152万 → ±0.5万, 4250.77万元 → ±0.005万元); a whole count written in full (69243人) is exact.
 * In the figure's own unit.
 */
export function halfWidth(figure: Pick<FigureRow, "quote" | "value" | "unit">): number {
  const [match] = findValue(figure.quote, figure.value, unitMultiplier(figure.unit));
  if (!match) return 0;
  const written = foldDigits(match.text);
  const decimals = written.includes(".") ? written.length - written.indexOf(".") - 1 : 0;
  if (decimals === 0 && match.multiplier === 1 && !rateUnits.has(figure.unit)) return 0;
  return (0.5 * 10 ** -decimals * match.multiplier) / unitMultiplier(figure.unit);
}

/** The values a figure may stand for, in its unit's base (persons, yuan …: 1152 in `10k persons` → 11 520 000). */
export function baseInterval(figure: Pick<FigureRow, "quote" | "value" | "unit">): Interval {
  const scale = unitMultiplier(figure.unit);
  const h = halfWidth(figure);
  return [(figure.value - h) * scale, (figure.value + h) * scale];
}

export const addIntervals = (a: Interval, b: Interval): Interval => [a[0] + b[0], a[1] + b[1]];

/** Product of intervals of non-negative values. */
export const multiplyIntervals = (a: Interval, b: Interval): Interval => [a[0] * b[0], a[1] * b[1]];

/** Quotient of intervals of non-negative values; null when the denominator may be zero. */
export function divideIntervals(a: Interval, b: Interval): Interval | null {
  if (b[0] <= 0) return null;
  return [a[0] / b[1], a[1] / b[0]];
}

export const overlaps = (a: Interval, b: Interval): boolean => a[0] <= b[1] + 1e-9 && b[0] <= a[1] + 1e-9;
