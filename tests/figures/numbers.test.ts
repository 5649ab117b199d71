import {describe, expect, it} from "vitest";
import {findValue, parseChineseNumeral, scanNumbers} from "../../loaders/figures/numbers.js";

describe("scanNumbers", () => {
  it("reads decimals, full-width digits and the 万 that follows a number", () => {
    const tokens = scanNumbers("發放低保資金4250.77萬元,共１２３戶,募集資金40多萬元");
    expect(tokens.map((t) => [t.text, t.value, t.multiplier])).toEqual([["4250.77", 4250.77, 1e4], ["１２３", 123, 1], ["40", 40, 1e4]]);
  });

  it("reads ASCII thousands separators but not the comma between two counts", () => {
    expect(scanNumbers("共1,234人").map((t) => t.value)).toEqual([1234]);
    expect(scanNumbers("5817戶,16995人").map((t) => t.value)).toEqual([5817, 16995]);
  });
});

describe("parseChineseNumeral", () => {
  it.each([["三", 3], ["十五", 15], ["二十", 20], ["一百二十", 120], ["两万", 20000], ["兩萬", 20000], ["二〇一三", 2013], ["一亿二千万", 120000000]])("reads %s as %d", (run, value) => {
    expect(parseChineseNumeral(run)).toBe(value);
  });

  it("reads a multiplier with no digit as a word, not a number", () => {
    expect(parseChineseNumeral("万")).toBeNull();
  });
});

describe("findValue", () => {
  it("finds a percentage by its number", () => {
    expect(findValue("康復需求篩出率不低于60%", 60)).toHaveLength(1);
  });

  it("finds 4700万 as 4700 in 10k yuan and as 47 000 000 in yuan, but not as 4700 yuan", () => {
    expect(findValue("安排資金4700万元", 4700, 1e4)).toHaveLength(1);
    expect(findValue("安排資金4700万元", 47_000_000, 1)).toHaveLength(1);
    expect(findValue("安排資金4700万元", 4700, 1)).toHaveLength(0);
  });

  it("finds full-width digits and Chinese numerals", () => {
    expect(findValue("共６０％", 60)).toHaveLength(1);
    expect(findValue("年收入兩萬元", 20000)).toHaveLength(1);
    expect(findValue("每年培訓三期", 3)).toHaveLength(1);
  });

  it("finds nothing when the quote holds another number", () => {
    expect(findValue("社區康復室設置率達80%", 95)).toEqual([]);
  });
});
