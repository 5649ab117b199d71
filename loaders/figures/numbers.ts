/**
 * Numbers as the documents write them (数字识别): Arabic and full-width digits, decimals, thousands
 * separators, 万/亿 multipliers, and Chinese numerals (三, 十五, 两万) for checking a figure's value.
 *
 * The coverage scanner counts digit numbers only. Chinese numerals are not scanned: 一 … 十 are part of
 * ordinary words (统一, 一些, 十分, 三上墙) and of list numbering (一、), so a scan would be mostly noise;
 * a Chinese-numeral figure a planner could use is still catalogued by hand, and its value is checked.
 */

/** A number found in a text; `start`/`end` are UTF-16 indices of the digits (multiplier not included). */
export interface NumberToken {
  start: number;
  end: number;
  /** The digits as written, e.g. `4250.77`, `１２`, `1,234`. */
  text: string;
  /** The digits' value, e.g. 4250.77. */
  value: number;
  /** 1, or the 万 / 亿 / 千万 … that follows the digits (`40多萬` → 10 000). */
  multiplier: number;
}

const fullWidthDigit = /[０-９．]/g;
/** Folds full-width digits and the full-width point to ASCII. */
export function foldDigits(text: string): string {
  return text.replace(fullWidthDigit, (c) => (c === "．" ? "." : String.fromCharCode(c.charCodeAt(0) - 0xff10 + 48)));
}

/** Digits with an optional decimal part; ASCII thousands separators only between groups of three. */
const digitNumber = /[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9０-９]+(?:[.．][0-9０-９]+)?/g;
/** What may follow the digits to multiply them: an optional 多/余 (approximately), then the multiplier. */
const multiplierSuffix = /^[多余餘几幾]?(千万|千萬|百万|百萬|万|萬|亿|億)/;
const multipliers: Record<string, number> = {千万: 1e7, 千萬: 1e7, 百万: 1e6, 百萬: 1e6, 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8};

/** Every digit number of a text, in order. */
export function scanNumbers(text: string): NumberToken[] {
  const tokens: NumberToken[] = [];
  for (const match of text.matchAll(digitNumber)) {
    const start = match.index;
    const end = start + match[0].length;
    const suffix = multiplierSuffix.exec(text.slice(end, end + 3));
    tokens.push({
      start,
      end,
      text: match[0],
      value: Number(foldDigits(match[0]).replaceAll(",", "")),
      multiplier: suffix ? multipliers[suffix[1]] : 1,
    });
  }
  return tokens;
}

const chineseDigits: Record<string, number> = {零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 兩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9};
const chineseSmallUnits: Record<string, number> = {十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000};
const chineseLargeUnits: Record<string, number> = {万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8};
const chineseNumeral = /[零〇一二两兩三四五六七八九十拾百佰千仟万萬亿億]+/g;

/**
 * Value of a Chinese numeral: `十五` → 15, `一百二十` → 120, `两万` → 20 000, `二〇一三` → 2013.
 * Returns null for a run with no digit and no leading 十 (`万`, `百`), which is a word, not a number.
 */
export function parseChineseNumeral(run: string): number | null {
  const chars = [...run];
  if (!chars.some((c) => c in chineseDigits) && !/^[十拾]/.test(run)) return null;
  if (chars.every((c) => c in chineseDigits)) return Number(chars.map((c) => chineseDigits[c]).join(""));
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const c of chars) {
    if (c in chineseDigits) digit = chineseDigits[c];
    else if (c in chineseSmallUnits) {
      section += (digit || 1) * chineseSmallUnits[c];
      digit = 0;
    } else {
      const unit = chineseLargeUnits[c];
      total = unit === 1e8 ? (total + section + digit) * unit : total + (section + digit) * unit;
      section = 0;
      digit = 0;
    }
  }
  return total + section + digit;
}

/** Chinese numerals of a text with their values (runs that are words, like a lone 万, are left out). */
export function scanChineseNumerals(text: string): {start: number; end: number; text: string; value: number}[] {
  const out = [];
  for (const match of text.matchAll(chineseNumeral)) {
    const value = parseChineseNumeral(match[0]);
    if (value !== null) out.push({start: match.index, end: match.index + match[0].length, text: match[0], value});
  }
  return out;
}

/** Whether two values are equal up to floating-point noise (4250.77 × 10 000 / 10 000). */
function same(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Where a figure's value is written in its quote, and with what multiplier (1 for Chinese numerals). */
export interface ValueMatch {
  start: number;
  end: number;
  text: string;
  multiplier: number;
}

/**
 * The numbers of a quote that are `value` in a unit with multiplier `unitMultiplier` (10 000 for
 * `10k yuan`): a digit number times its own 万/亿 divided by the unit's (4700万 is 4700 in 10k yuan and
 * 47 000 000 in yuan), or a Chinese numeral (两万 is 20 000 yuan). Empty when the value is not in the quote.
 */
export function findValue(quote: string, value: number, unitMultiplier = 1): ValueMatch[] {
  const digits = scanNumbers(quote).filter((t) => same((t.value * t.multiplier) / unitMultiplier, value));
  const chinese = scanChineseNumerals(quote).filter((t) => same(t.value / unitMultiplier, value));
  return [...digits.map(({start, end, text, multiplier}) => ({start, end, text, multiplier})), ...chinese.map(({start, end, text}) => ({start, end, text, multiplier: 1}))];
}
