import {afterAll, beforeAll, expect, test} from "vitest";
import {calibrationTable, nationalCalibration, type CalibrationRow} from "../../loaders/demoCity/calibration.js";
import {config, writtenCity} from "./fixtures.js";

let city: Awaited<ReturnType<typeof writtenCity>>;
let table: CalibrationRow[];
beforeAll(async () => {
  city = await writtenCity();
  table = await calibrationTable(city.db, config);
});
afterAll(() => city.close());

const row = (prefix: string) => table.find((r) => r.measure.startsWith(prefix))!;

test("registered persons are 2.16% of residents: the sources' 4.8% prevalence of all disabled persons × a 45% registration rate", () => {
  expect(row("registered persons per resident").actual).toBeCloseTo(0.048 * 0.45, 4);
});

test("the seven categories, four grades and five age bands match the config's shares within one percentage point", () => {
  const mixes = table.filter((r) => /^(category|grade|age) /.test(r.measure));
  expect(mixes).toHaveLength(7 + 4 + 5);
  for (const r of mixes) expect(Math.abs(r.actual - r.expected!), r.measure).toBeLessThan(0.01);
});

test("physical disability is about half of registered persons and psychiatric the second largest, as in the registered-person mix of the reference", () => {
  expect(row("category 肢体").actual).toBeGreaterThan(0.45);
  const others = table.filter((r) => r.measure.startsWith("category") && !r.measure.includes("肢体"));
  expect(others.reduce((a, b) => (b.actual > a.actual ? b : a)).measure).toContain("精神");
});

test("villages register more persons per resident than urban communities", async () => {
  const [r] = await city.db.query<{ratio: number}>(`
    WITH per_community AS (
      SELECT u.urban_rural, u.residents, count(p.person_id) AS persons
      FROM units u LEFT JOIN persons p ON p.community_code = u.unit_code
      WHERE u.level = 'community' GROUP BY u.unit_code, u.urban_rural, u.residents)
    SELECT (sum(persons) FILTER (WHERE urban_rural = 'rural') / sum(residents) FILTER (WHERE urban_rural = 'rural'))
         / (sum(persons) FILTER (WHERE urban_rural = 'urban') / sum(residents) FILTER (WHERE urban_rural = 'urban')) AS ratio
    FROM per_community`);
  expect(r.ratio).toBeGreaterThan(1.1);
  expect(r.ratio).toBeLessThan(1.5);
});

test("about a quarter of registered persons receive the subsistence allowance, as the national figures imply", () => {
  expect(row("dibao recipients").actual).toBeGreaterThan(0.21);
  expect(row("dibao recipients").actual).toBeLessThan(0.27);
});

test("at 200 thousand persons the mixes are within half a percentage point of the config", async () => {
  const big = await writtenCity({persons: 200_000});
  try {
    for (const r of (await calibrationTable(big.db, config)).filter((r) => /^(category|grade|age) /.test(r.measure))) expect(Math.abs(r.actual - r.expected!), r.measure).toBeLessThan(0.005);
  } finally {
    big.close();
  }
});

test("the national plan's service rates sit within 5 points of the national outturn (>85%), and devices fitted per registered person within 1 point of the national count", async () => {
  const rows = await nationalCalibration(city.db, config);
  const row = (prefix: string) => rows.find((r) => r.measure.startsWith(prefix))!;
  for (const measure of ["basic rehab service coverage", "assistive-device fitting rate"]) {
    expect(row(measure).national, measure).toBe(0.85);
    expect(Math.abs(row(measure).demo - row(measure).national), measure).toBeLessThan(0.05);
  }
  expect(Math.abs(row("fitted with an assistive device").demo - row("fitted with an assistive device").national)).toBeLessThan(0.01);
  // The two subsidies' coverage falls short of 应保尽保 (100%): the demo city shows a gap on both.
  for (const measure of ["living subsidy coverage", "nursing subsidy coverage"]) {
    expect(row(measure).demo, measure).toBeGreaterThan(0.8);
    expect(row(measure).demo, measure).toBeLessThan(1);
  }
});
