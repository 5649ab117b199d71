import {describe, expect, it} from "vitest";
import {findBlanks} from "../../loaders/audit/blanks.js";
import {findConflicts} from "../../loaders/audit/conflicts.js";
import {figure} from "./fixtures.js";

const target = (id: string, value: number, more = {}) =>
  figure(id, value, "%", `設置率達${value}%`, {kind: "target", indicator: "community_rehab_room_rate", indicator_zh: "社区康复室设置率", indicator_en: "Community rehab room set-up rate", place: "全區", ...more});

describe("findConflicts", () => {
  it("flags two different targets for the same indicator and place, with both quotes", () => {
    const [finding, ...rest] = findConflicts([target("002", 80), target("012", 95, {place: null})]);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({id: "900-conflict-community-rehab-room-rate-012", kind: "conflict", severity: "warning", figure_a: "900-002", quote_a: "設置率達80%", figure_b: "900-012", quote_b: "設置率達95%"});
  });

  it("stays silent when the targets agree, differ in place, year or kind, or are excused", () => {
    expect(findConflicts([target("001", 60), target("002", 60)])).toEqual([]);
    expect(findConflicts([target("001", 80), target("002", 95, {place: "南岸區"})])).toEqual([]);
    expect(findConflicts([target("001", 80, {year: 2011}), target("002", 95, {year: 2015})])).toEqual([]);
    expect(findConflicts([target("001", 60, {kind: "standard"}), target("002", 80)])).toEqual([]);
    expect(findConflicts([target("001", 80), target("002", 95)], [{figures: ["900-001", "900-002"], reason: "a stage and the final goal"}])).toEqual([]);
  });
});

describe("findBlanks", () => {
  it("flags a year, a percentage and a count the template left blank", () => {
    const text = "力爭到20*年底,社區康復室設置率達80%。就業率****%、申报重度残疾人救助共___人。";
    expect(findBlanks("900_abcdef.txt", text).map((f) => [f.id, f.quote_a])).toEqual([
      ["900-blank-001", "力爭到20*年底"],
      ["900-blank-002", "就業率****%"],
      ["900-blank-003", "申报重度残疾人救助共___人"],
    ]);
  });

  it("flags a figure left out of a list of amounts: a label followed straight by its unit", () => {
    const text = "資助殘疾學生,標準為本科生3000元，大專生元，中專生1000元。投入康復經費50萬元、助學經費萬元。";
    expect(findBlanks("900_abcdef.txt", text).map((f) => [f.id, f.message_zh])).toEqual([
      ["900-blank-001", "原文此处数字留空（大專生元）：「標準為本科生3000元，大專生元，中專生1000元」。"],
      ["900-blank-002", "原文此处数字留空（助學經費萬元）：「投入康復經費50萬元，助學經費萬元」。"],
    ]);
  });

  it("raises nothing for lists whose figures are all there, figures in words, or words that end in a unit's character", () => {
    const agreeing = [
      "標準為本科生3000元，大專生2000元，中專生1000元。",
      "爭取全年培訓350人，力爭做到培訓一人，就業一人。",
      "為視力殘疾人、聽力殘疾人、肢體殘疾人提供服務。",
      "每人每月補貼200元，惠及殘疾人，覆蓋全部單元。",
      "安置殘疾人就業120人、城鄉殘疾人。",
      "資助100名學生、幾名教師。",
      "扶持盲人按摩機構5家、示範店家、專家。",
    ];
    for (const text of agreeing) expect(findBlanks("900_abcdef.txt", text), text).toEqual([]);
  });

  it("ignores a blank word, a form field and an anonymised name", () => {
    expect(findBlanks("900_abcdef.txt", "强化领导,健全___,形成信息畅通。\n日期:___________\n做好×××特奧會")).toEqual([]);
  });
});
