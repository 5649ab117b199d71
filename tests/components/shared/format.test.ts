import {describe, expect, test} from "vitest";
import {formatCount, formatNumber, formatPercent, formatPoints, formatYuan, missingText} from "../../../src/components/shared/format.js";

describe("zh-CN number formatting", () => {
  test("counts below 十万 are grouped, above are in 万 and 亿", () => {
    expect(formatCount(9876)).toBe("9,876");
    expect(formatCount(123456)).toBe("12.3万");
    expect(formatCount(1_200_000)).toBe("120万");
    expect(formatCount(150_000_000)).toBe("1.5亿");
  });
  test("money keeps cents for per-person amounts and uses 万/亿 for totals", () => {
    expect(formatYuan(0.3)).toBe("¥0.30");
    expect(formatYuan(450)).toBe("¥450");
    expect(formatYuan(2_079_480)).toBe("¥207.9万");
    expect(formatYuan(-2_079_480)).toBe("−¥207.9万");
    expect(formatYuan(3.2e8)).toBe("¥3.2亿");
  });
  test("shares print as percentages without trailing zeros", () => {
    expect(formatPercent(0.6)).toBe("60%");
    expect(formatPercent(0.8534)).toBe("85.3%");
    expect(formatPoints(-0.052)).toBe("−5.2个百分点");
  });
  test("missing values print as a dash, never as zero", () => {
    for (const f of [formatCount, formatYuan, formatPercent, formatPoints, (v: number | null) => formatNumber(v)]) {
      expect(f(null)).toBe(missingText);
      expect(f(Number.NaN)).toBe(missingText);
    }
  });
});
