import {describe, expect, it} from "vitest";
import {splitBilingual} from "../../../src/components/downloads/bilingual.js";

describe("splitBilingual", () => {
  it("splits a registry note into its Chinese and English parts", () => {
    expect(splitBilingual("合成数据：示例市为虚构城市，个案为随机生成，不对应任何真实个人。 Synthetic: fictional persons of the demo city.")).toEqual({
      zh: "合成数据：示例市为虚构城市，个案为随机生成，不对应任何真实个人。",
      en: "Synthetic: fictional persons of the demo city.",
    });
  });
  it("keeps Latin words inside the Chinese part (file formats, ids) with the Chinese", () => {
    expect(splitBilingual("与 figures 一起覆盖来源文件中的每一个数字。 With figures, accounts for every number.")).toEqual({zh: "与 figures 一起覆盖来源文件中的每一个数字。", en: "With figures, accounts for every number."});
  });
  it("a note in one language only", () => {
    expect(splitBilingual("只有中文。")).toEqual({zh: "只有中文。", en: ""});
    expect(splitBilingual("English only.")).toEqual({zh: "", en: "English only."});
  });
});
