import {afterAll, beforeAll, expect, test} from "vitest";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import type {UnitRow} from "../../src/schemas/units.js";
import type {PersonRow} from "../../src/schemas/persons.js";
import {config, writtenCity} from "./fixtures.js";

let units: UnitRow[];
let persons: PersonRow[];
beforeAll(async () => ({units, persons} = await generateDemoCity(config)));

const byCode = () => new Map(units.map((u) => [u.unit_code, u]));
const levelOrder = ["city", "district", "street", "community"];

test("the demo city is 示例市 with 6 districts (4 区, 2 县), about 60 streets/towns and 600 communities/villages", () => {
  const count = (level: string) => units.filter((u) => u.level === level).length;
  expect(units.filter((u) => u.level === "city").map((u) => u.unit_name)).toEqual(["示例市"]);
  expect(count("district")).toBe(6);
  expect(units.filter((u) => u.level === "district").map((u) => u.level_label).sort()).toEqual(["区", "区", "区", "区", "县", "县"]);
  expect(count("street")).toBe(60);
  expect(count("community")).toBe(600);
  for (const label of ["街道", "镇", "社区", "村"]) expect(units.filter((u) => u.level_label === label).length, label).toBeGreaterThan(20);
});

test("every unit is marked synthetic", () => {
  expect(units.every((u) => u.synthetic)).toBe(true);
});

test("every unit but the city has a parent one level up, and its code starts with the parent's", () => {
  const codes = byCode();
  for (const u of units) {
    if (u.level === "city") {
      expect(u.parent_code).toBeNull();
      continue;
    }
    const parent = codes.get(u.parent_code!);
    expect(parent, u.unit_code).toBeDefined();
    expect(levelOrder.indexOf(parent!.level)).toBe(levelOrder.indexOf(u.level) - 1);
    expect(u.unit_code.startsWith(parent!.unit_code)).toBe(true);
  }
});

test("district and street codes name the units a unit lies in", () => {
  const codes = byCode();
  for (const u of units.filter((u) => u.level === "community")) {
    expect(codes.get(u.street_code!)!.level).toBe("street");
    expect(codes.get(u.district_code!)!.level).toBe("district");
    expect(u.street_code).toBe(u.parent_code);
    expect(codes.get(u.street_code!)!.parent_code).toBe(u.district_code);
  }
});

test("residents roll up: each unit above community level has the sum of its children's residents, the city 1.2 million", () => {
  for (const u of units.filter((u) => u.level !== "community")) {
    const children = units.filter((c) => c.parent_code === u.unit_code);
    expect(children.reduce((s, c) => s + c.residents, 0), u.unit_code).toBe(u.residents);
  }
  expect(units.find((u) => u.level === "city")!.residents).toBe(1_200_000);
});

test("urban and rural follow the kind of unit: 社区/街道/区 urban, 村/镇/县 rural", () => {
  const rural = new Set(["村", "镇", "县"]);
  for (const u of units.filter((u) => u.level !== "city")) expect(u.urban_rural).toBe(rural.has(u.level_label) ? "rural" : "urban");
  expect(units.filter((u) => u.level_label === "村").every((u) => units.find((s) => s.unit_code === u.parent_code)!.level_label === "镇")).toBe(true);
});

test("service status is reported for communities only", () => {
  for (const u of units.filter((u) => u.level !== "community"))
    expect([u.has_rehab_room, u.rehab_room_area_m2, u.has_coordinator, u.coordinator_trained, u.has_care_point, u.rehab_funding_yuan, u.satisfaction_rate].every((v) => v === null)).toBe(true);
});

test("every person lives in a community of the units table and carries no name or ID number", () => {
  const communities = new Set(units.filter((u) => u.level === "community").map((u) => u.unit_code));
  expect(persons.every((p) => communities.has(p.community_code))).toBe(true);
  expect(Object.keys(persons[0]).sort()).toEqual(
    ["age", "archived", "category", "community_code", "device_fitted", "device_need", "dibao_eligible", "dibao_recipient", "enrolled", "grade", "person_id", "poor_subsidy_eligible", "poor_subsidy_recipient", "rehab_need", "rehab_served", "screened", "severe_subsidy_eligible", "severe_subsidy_recipient", "wubao_recipient"],
  );
  expect(new Set(persons.map((p) => p.person_id)).size).toBe(persons.length);
});

test("at benchmark scale the same hierarchy rules hold, checked in SQL on the written files", async () => {
  const city = await writtenCity({persons: 200_000});
  try {
    const [r] = await city.db.query<{orphans: number; prefix: number; rollup: number; communities: number}>(`
      SELECT
        (SELECT count(*) FROM units u WHERE u.parent_code IS NOT NULL AND u.parent_code NOT IN (SELECT unit_code FROM units)) AS orphans,
        (SELECT count(*) FROM units u WHERE u.parent_code IS NOT NULL AND NOT starts_with(u.unit_code, u.parent_code)) AS prefix,
        (SELECT count(*) FROM units s WHERE s.level = 'street' AND s.residents <> (SELECT sum(c.residents) FROM units c WHERE c.parent_code = s.unit_code)) AS rollup,
        (SELECT count(*) FROM units WHERE level = 'community') AS communities`);
    expect(r).toEqual({orphans: 0, prefix: 0, rollup: 0, communities: city.report.size.communities});
    expect(city.report.size.communities).toBe(Math.round((600 * 200_000) / 25_920));
  } finally {
    city.close();
  }
});
