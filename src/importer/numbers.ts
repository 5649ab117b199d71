/**
 * Reading numbers, yes/no and dates as Chinese statistical tables write them: "1.2万", "12,345",
 * "85%", "６０％", "1.5亿", "¥3,000", "30平方米", "2024年3月5日", "二〇二四年三月五日". Each parser returns
 * a value or null for "cannot read"; none throws. Decimal scaling goes through the number's text
 * ("1.15万" → Number("1.15e4") = 11500), so 万/亿/% never add binary rounding error.
 */

import {stripBidiControls} from "./bidi.js";

/** Full-width to half-width (NFKC), every kind of space and bidi control removed, Excel's leading text apostrophe dropped. */
export function normaliseCellText(text: string): string {
  return stripBidiControls(text)
    .normalize("NFKC")
    .replace(/[\s\u00a0\u2000-\u200b\u3000\ufeff]+/g, "")
    .replace(/^'/, "");
}

/** Cells that mean "nothing reported". */
const BLANKS = new Set(["", "-", "--", "—", "——", "–", "/", "\\", "不详", "未知", "未填", "未填报", "n/a", "na", "null", "none", "#n/a", "空"]);

export function isBlankText(text: string): boolean {
  return BLANKS.has(normaliseCellText(text).toLowerCase());
}

const MULTIPLIERS: Record<string, number> = {"": 0, "十": 1, "百": 2, "千": 3, "万": 4, "十万": 5, "百万": 6, "千万": 7, "亿": 8, "万亿": 12};
/** Unit words a count or amount may carry after the number (they do not scale it). */
const UNIT_WORDS = ["平方米", "周岁", "m²", "m2", "㎡", "人", "名", "元", "个", "户", "岁", "间", "次"];

export interface ParsedNumber {
  value: number;
  /** Written with a percent (or per-mille) sign: the value is already divided by 100 (1000). */
  percent: boolean;
}

const NUMBER_BODY = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?(?:e([+-]?\d+))?$/i;

/**
 * Reads a number: optional sign (+, -, −), digits with optional thousands commas (groups of three),
 * decimals, exponent, then a 万/亿-type multiplier, a % / ‰ sign or a unit word; a leading ¥.
 * Returns null when the text is not one number.
 */
export function parseNumber(text: string): ParsedNumber | null {
  let s = normaliseCellText(text).replace(/\u2212/g, "-");
  if (s.startsWith("¥") || s.startsWith("￥")) s = s.slice(1);
  else if (/^-[¥￥]/.test(s)) s = `-${s.slice(2)}`;
  if (s.length === 0 || s.length > 64) return null;
  let scale = 0;
  let percent = false;
  if (s.endsWith("%")) {
    (scale = -2), (percent = true), (s = s.slice(0, -1));
  } else if (s.endsWith("‰")) {
    (scale = -3), (percent = true), (s = s.slice(0, -1));
  } else {
    for (const word of UNIT_WORDS) if (s.endsWith(word)) {
      s = s.slice(0, -word.length);
      break;
    }
    const m = /(万亿|十万|百万|千万|十|百|千|万|亿)$/.exec(s);
    if (m) {
      scale = MULTIPLIERS[m[1]!]!;
      s = s.slice(0, -m[1]!.length);
    }
  }
  const m = NUMBER_BODY.exec(s);
  if (!m || (m[2] === undefined && m[3] === undefined)) return null;
  const [, sign, whole = "0", fraction = "", exponent = "0"] = m;
  const value = Number(`${sign}${whole.replaceAll(",", "")}.${fraction || "0"}e${Number(exponent) + scale}`);
  if (!Number.isFinite(value)) return null;
  return {value: Object.is(value, -0) ? 0 : value, percent};
}

const TRUE_WORDS = new Set(["是", "有", "已", "对", "√", "✓", "✔", "y", "yes", "true", "t", "1", "是的", "具备", "配备", "合格"]);
const FALSE_WORDS = new Set(["否", "无", "没有", "未", "不", "不是", "×", "✗", "✘", "x", "n", "no", "false", "f", "0", "不具备", "不合格"]);

/** Reads yes/no: 是/否, 有/无, 已…/未…, √/×, Y/N, TRUE/FALSE, 1/0. Null when it is neither. */
export function parseBoolean(text: string): boolean | null {
  const s = normaliseCellText(text).toLowerCase();
  if (TRUE_WORDS.has(s)) return true;
  if (FALSE_WORDS.has(s)) return false;
  // 已筛查 / 未筛查, 已建档 / 未建档, 有康复室 / 无康复室, 不合格.
  if (/^(未|无|没有|不)./.test(s)) return false;
  if (/^(已|有)./.test(s)) return true;
  return null;
}

const CHINESE_DIGITS: Record<string, number> = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9};

/** 二〇二四 → 2024 (digit by digit); 十二 → 12, 二十五 → 25, 三十一 → 31 (day and month numbers). */
function chineseNumber(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  if (!text.includes("十")) {
    let n = 0;
    for (const ch of text) {
      const d = CHINESE_DIGITS[ch];
      if (d === undefined) return null;
      n = n * 10 + d;
    }
    return text.length ? n : null;
  }
  const [tens, ones] = text.split("十");
  const t = tens === "" ? 1 : CHINESE_DIGITS[tens!];
  const o = ones === "" ? 0 : CHINESE_DIGITS[ones!];
  return t === undefined || o === undefined ? null : t * 10 + o;
}

function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > days) return null;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** Days from 1899-12-30 (Excel's 1900 date system, leap-year bug included) to an ISO date. */
export function excelSerialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 80000) return null;
  const ms = Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Reads a date: 2024年3月5日, 2024-03-05, 2024/3/5, 2024.3.5, 20240305, 二〇二四年三月五日, a month
 * (2024年3月 → the 1st), an Excel serial day number or a Date cell. Returns ISO YYYY-MM-DD or null.
 */
export function parseDate(value: string | number | Date): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  if (typeof value === "number") return excelSerialToIso(value);
  const s = normaliseCellText(value).replace(/号$/, "日");
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})[-/.](\d{1,2})$/.exec(s);
  if (m) return isoDate(Number(m[1]), Number(m[2]), 1);
  m = /^([\d〇零○O一二三四五六七八九]{4})年([\d一二三四五六七八九十]{1,3})月(?:([\d一二三四五六七八九十]{1,3})日)?$/.exec(s);
  if (m) {
    const [y, mo, d] = [chineseNumber(m[1]!), chineseNumber(m[2]!), m[3] === undefined ? 1 : chineseNumber(m[3])];
    return y === null || mo === null || d === null ? null : isoDate(y, mo, d);
  }
  if (/^\d{5}(\.\d+)?$/.test(s)) return excelSerialToIso(Number(s));
  return null;
}

/** Completed years between a birth date and a reference date (both ISO). */
export function ageOn(birth: string, reference: string): number {
  const [by, bm, bd] = birth.split("-").map(Number) as [number, number, number];
  const [ry, rm, rd] = reference.split("-").map(Number) as [number, number, number];
  return ry - by - (rm < bm || (rm === bm && rd < bd) ? 1 : 0);
}
