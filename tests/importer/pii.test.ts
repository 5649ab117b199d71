import fc from "fast-check";
import {describe, expect, test} from "vitest";
import {findPiiColumns, idCheckCharacter, isDisabilityCertificate, isIdCardNumber, isMobileNumber, looksLikeName, piiKindOfHeader, piiKindOfValue} from "../../src/importer/index.js";

// Published examples of the GB 11643-1999 check character.
describe("ID-card numbers are recognised by their GB 11643 check character", () => {
  test.each(["11010519491231002X", "440524188001010014", "11010119900307803X"])("%s is valid", (id) => expect(isIdCardNumber(id)).toBe(true));
  test("a lower-case x is accepted", () => expect(isIdCardNumber("11010519491231002x")).toBe(true));
  test.each(["110105194912310021", "11010519491231002", "01010519491231002X", "1101051949123100XX"])("%s is not", (id) => expect(isIdCardNumber(id)).toBe(false));

  test("changing any one digit of a valid number breaks its check character", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{16}$/), fc.integer({min: 0, max: 16}), fc.integer({min: 1, max: 9}), (body, pos, delta) => {
        const id = body + idCheckCharacter(body);
        expect(isIdCardNumber(id)).toBe(true);
        const changed = body.slice(0, pos) + String((Number(body[pos]) + delta) % 10) + body.slice(pos + 1);
        if (changed[0] === "0") return;
        expect(isIdCardNumber(changed + id[17])).toBe(false);
      }),
      {numRuns: 500},
    );
  });
});

describe("other personal data", () => {
  test("a disability certificate number is a valid ID number, a category 1–7 and a grade 1–4", () => {
    expect(isDisabilityCertificate("11010519491231002X42")).toBe(true);
    expect(isDisabilityCertificate("11010519491231002X82")).toBe(false);
    expect(isDisabilityCertificate("11010519491231002X45")).toBe(false);
    expect(isDisabilityCertificate("11010519491231002142")).toBe(false);
  });
  test.each(["13800138000", "+86 138 0013 8000", "86-139-1234-5678", "19912345678"])("%s is a mobile number", (m) => expect(isMobileNumber(m)).toBe(true));
  test.each(["12800138000", "1380013800", "010-12345678"])("%s is not a mobile number", (m) => expect(isMobileNumber(m)).toBe(false));
  test.each(["张伟", "王秀英", "欧阳修", "诸葛亮"])("%s looks like a name", (n) => expect(looksLikeName(n)).toBe(true));
  test.each(["王村", "李家社区", "东湖街道", "张家湾", "肢体", "视力", "是", "城关镇"])("%s does not", (n) => expect(looksLikeName(n)).toBe(false));
  test.each([
    ["身份证号", "id_card"],
    ["公民身份号码", "id_card"],
    ["残疾人证号", "disability_certificate"],
    ["联系电话", "mobile"],
    ["手机", "mobile"],
    ["姓名", "name"],
    ["监护人姓名", "name"],
    ["家庭住址", "address"],
    ["ID Card", "id_card"],
  ])("the header %s announces %s", (h, kind) => expect(piiKindOfHeader(h)).toBe(kind));
  test.each(["单位名称", "残疾类别", "年龄", "所属社区代码", "Unit name"])("the header %s announces nothing", (h) => expect(piiKindOfHeader(h)).toBeNull());
  test("ID and mobile numbers are found inside longer text and in Excel numbers", () => {
    expect(piiKindOfValue("联系人王伟，电话13800138000")).toBe("mobile");
    expect(piiKindOfValue("证号 11010519491231002X 已核")).toBe("id_card");
    expect(piiKindOfValue(110105194912310000)).toBe("id_card");
    expect(piiKindOfValue(13800138000)).toBe("mobile");
    expect(piiKindOfValue(8520)).toBeNull();
    expect(piiKindOfValue("330102001001")).toBeNull();
  });
  test("a column is personal data by its header, or when half its cells are", () => {
    const headers = ["编号", "备注", "单位名称", "name"];
    const sample = [
      ["11010519491231002X", "无", "东湖社区", "x"],
      ["440524188001010014", "无", "西湖社区", "y"],
      ["3", "13800138000", "张伟", "z"],
    ];
    const found = findPiiColumns(headers, sample, new Set([2, 3]));
    expect(found.map((f) => [f.header, f.kind, f.by])).toEqual([["编号", "id_card", "content"]]);
  });
});
