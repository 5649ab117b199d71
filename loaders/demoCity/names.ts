/**
 * Names of the demo city's units: systematic, so that nobody mistakes them for real places
 * (甲一街道, 戊二镇第五村).
 */

const DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
const POWERS = ["", "十", "百", "千"];

/** A positive integer below 10,000 in Chinese numerals as written in names: 1 → 一, 12 → 十二, 105 → 一百零五. */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999) throw new Error(`chineseNumber: expected an integer 1–9999, got ${n}`);
  const digits = String(n).split("").map(Number);
  let out = "";
  let pendingZero = false;
  digits.forEach((d, i) => {
    const power = digits.length - 1 - i;
    if (d === 0) {
      pendingZero = out.length > 0;
      return;
    }
    if (pendingZero) out += DIGITS[0];
    pendingZero = false;
    // 十二, not 一十二, when ten is the leading digit.
    out += (d === 1 && power === 1 && i === 0 ? "" : DIGITS[d]) + POWERS[power];
  });
  return out;
}

/** The stem a district lends its streets: 甲区 → 甲, 戊县 → 戊. */
export function districtStem(districtName: string): string {
  return districtName.replace(/[区县]$/u, "");
}

/** 甲一街道, 丙二镇: the nth street or town of its kind in a district. */
export function streetName(districtName: string, n: number, kind: "街道" | "镇"): string {
  return `${districtStem(districtName)}${chineseNumber(n)}${kind}`;
}

/** 甲一街道第三社区, 戊二镇第五村: the nth community of its street. */
export function communityName(streetName: string, n: number, kind: "社区" | "村"): string {
  return `${streetName}第${chineseNumber(n)}${kind}`;
}
