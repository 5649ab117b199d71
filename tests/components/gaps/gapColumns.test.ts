import {afterAll, beforeAll, describe, expect, test} from "vitest";
import type {NodeDuckDB} from "../../../loaders/duckdbNode.js";
import {gapQuery, sortGapRows, type GapResult} from "../../../src/engine/gapQuery.js";
import {columnsFor, gapColumn, gapColumns, gapTableExport, searchGapRows, sortTableRows} from "../../../src/components/gaps/gapColumns.js";
import {rowTooltip, parameterValueText} from "../../../src/components/gaps/gapText.js";
import {fixtureDb} from "../../engine/fixtureDb.js";
import {gapParameters, gapPersons, gapUnits} from "../../engine/fixtures/gapCity.js";

// The table and its downloads over 小城 (tests/engine/fixtures/gapCity.ts): what a planner reads.

let db: NodeDuckDB;
let communities: GapResult;
let streets: GapResult;
beforeAll(async () => {
  db = await fixtureDb({units: gapUnits, persons: gapPersons, parameters: gapParameters});
  communities = await gapQuery(db, {indicator: "screening", level: "community", year: 2021});
  streets = await gapQuery(db, {indicator: "screening", level: "street", year: 2021});
});
afterAll(() => db.close());

const texts = (result: GapResult, code: string) => {
  const row = result.rows.find((r) => r.unit_code === code)!;
  return Object.fromEntries(gapColumns.map((c) => [c.key, c.text(row, result)]));
};

describe("the gap table's cells", () => {
  test("a unit whose every status is unknown shows — for its rate, gap, rank and cost, never 0", () => {
    expect(texts(communities, "350201002")).toMatchObject({
      unit_name: "石桥村",
      eligible: "2",
      achieved_count: "0",
      missing: "2",
      achieved_rate: "—",
      gap_rate: "—",
      gap_count: "—",
      gap_cost_yuan: "—",
      rank: "—",
      status: "全部状态未知",
    });
  });

  test("a unit below target shows its rate, the target, the shortfall in points and its rank", () => {
    expect(texts(communities, "350101002")).toMatchObject({achieved_rate: "25%", target: "60%", gap_rate: "−35", gap_count: "2", rank: "1", status: "未达标"});
    expect(texts(communities, "350102001")).toMatchObject({achieved_rate: "60%", gap_rate: "0", gap_count: "0", status: "达标"});
  });

  test("headers name what is counted: people for person indicators, communities for facilities", async () => {
    const rooms = await gapQuery(db, {indicator: "rehab_room", level: "street", year: 2021});
    expect(gapColumn("eligible").header(communities)).toBe("应覆盖人数");
    // Streets have communities below them: their own gap and their children's sum are named apart.
    expect(gapColumn("gap_count").header(rooms)).toBe("本级缺口社区数");
    expect(gapColumn("children_gap_count").header(rooms)).toBe("下级缺口社区数合计");
    expect(gapColumn("gap_count").header(communities)).toBe("缺口人数");
    expect(gapColumn("achieved_rate").note(communities)).toBe(communities.indicator.howComputed_zh);
  });

  test("a table of units with children holds 本级 and 下级 columns side by side; a community table only its own", () => {
    expect(columnsFor(streets, {page: true}).map((c) => c.header(streets))).toEqual(
      expect.arrayContaining(["本级缺口人数", "本级补缺成本（一次性）", "下级缺口人数合计", "下级补缺成本合计（一次性）"]),
    );
    expect(columnsFor(communities).map((c) => c.key)).not.toContain("children_gap_count");
    expect(gapTableExport(streets.rows, streets).headers).toContain("下级补缺成本合计（一次性，元）");
  });

  test("the tooltip gives the rate's numerator and denominator and how the figure is computed", () => {
    const tip = rowTooltip(communities.rows.find((r) => r.unit_code === "350102001")!, communities);
    expect(tip).toContain("南门社区（350102001）");
    expect(tip).toContain("达成率 60% = 已达成 3 ÷ 状态已知 5（应覆盖人数 6，状态未知 1）");
    expect(tip).toContain(`计算：${communities.indicator.howComputed_zh}`);
  });

  test("parameter values read in their own unit", () => {
    expect(parameterValueText({value: 0.6, unit: "share 0–1", period: "none"})).toBe("60%");
    expect(parameterValueText({value: 30, unit: "m²", period: "none"})).toBe("30 平方米");
    expect(parameterValueText({value: 450, unit: "CNY per person per month", period: "month"})).toBe("¥450/月");
    expect(parameterValueText({value: 0.3, unit: "CNY per resident per year", period: "year"})).toBe("¥0.30/年");
  });
});

describe("sorting and searching the table", () => {
  test("the engine's orders (largest gap, largest cost, lowest rate, name) are the engine's own", () => {
    const rows = communities.rows;
    expect(sortTableRows(rows, "gap_count", "desc")).toEqual(sortGapRows(rows, "gap"));
    expect(sortTableRows(rows, "gap_cost_yuan", "desc")).toEqual(sortGapRows(rows, "gap_cost"));
    expect(sortTableRows(rows, "achieved_rate", "asc")).toEqual(sortGapRows(rows, "achieved"));
    expect(sortTableRows(rows, "unit_name", "asc")).toEqual(sortGapRows(rows, "name"));
    expect(sortTableRows(rows, "rank", "asc").map((r) => r.rank)).toEqual([1, 2, 3, 3, null]);
  });

  test("missing values sort last in either order", () => {
    for (const order of ["asc", "desc"] as const) {
      const sorted = sortTableRows(communities.rows, "achieved_rate", order);
      expect(sorted.at(-1)!.unit_code).toBe("350201002");
      const rates = sorted.slice(0, -1).map((r) => r.achieved_rate!);
      expect(rates).toEqual([...rates].sort((a, b) => (order === "asc" ? a - b : b - a)));
    }
  });

  test("search matches names and codes, ignoring case and spaces around it", () => {
    expect(searchGapRows(communities.rows, " 村 ").map((r) => r.unit_code).sort()).toEqual(["350201001", "350201002"]);
    expect(searchGapRows(communities.rows, "350102").map((r) => r.unit_name)).toEqual(["南门社区"]);
    expect(searchGapRows(communities.rows, "")).toHaveLength(communities.rows.length);
  });
});

describe("the table as downloaded", () => {
  test("one row per unit in the order shown, numbers as numbers, rates in percent, missing as —", () => {
    const rows = sortTableRows(communities.rows, "unit_code", "asc");
    const table = gapTableExport(rows, communities);
    // The page's headers, with the unit the page writes in each cell; the difference is achieved − target, negative below it.
    expect(table.headers).toEqual(["排名", "社区/村", "说明", "代码", "应覆盖人数", "已达成", "状态未知", "达成率（%）", "目标（%）", "差距（百分点）", "缺口人数", "补缺成本（一次性，元）"]);
    expect(table.rows.map((r) => r[3])).toEqual(rows.map((r) => r.unit_code));
    expect(table.rows[1]).toEqual([1, "柳岸社区", "未达标", "350101002", 4, 1, 0, 25, 60, -35, 2, rows[1]!.gap_cost_yuan]);
    expect(table.rows[4]).toEqual(["—", "石桥村", "全部状态未知", "350201002", 2, 0, 2, "—", 60, "—", "—", "—"]);
  });
});

describe("a download reads as the page", () => {
  /** The number a page cell shows: "−30.2" → −30.2, "48.4%" → 48.4, "¥4,200" → 4200; null for "—" or 万-abbreviated text. */
  const shownNumber = (text: string): number | null => {
    if (text === "—" || /[万亿]/.test(text)) return null;
    return Number(text.replace("−", "-").replace(/[%¥,]/g, ""));
  };

  test("every header is the page's, and every number has the page's sign and rounding", () => {
    for (const result of [communities, streets]) {
      const table = gapTableExport(result.rows, result);
      const all = columnsFor(result);
      const shown = columnsFor(result, {page: true});
      for (const column of shown) expect(table.headers[all.indexOf(column)]!.startsWith(column.header(result).replace(/）$/, ""))).toBe(true);
      result.rows.forEach((row, i) => {
        for (const column of shown.filter((c) => c.numeric)) {
          const page = shownNumber(column.text(row, result));
          const file = table.rows[i]![all.indexOf(column)]!;
          if (page === null) continue;
          expect(file, `${column.key} of ${row.unit_code}: page ${column.text(row, result)}, file ${file}`).toBe(page);
        }
      });
    }
  });

  test("a unit below its target has a negative difference in both, one at or above it 0", () => {
    const below = communities.rows.find((r) => (r.gap_rate ?? 0) > 0)!;
    const met = communities.rows.find((r) => r.gap_rate === 0)!;
    const col = gapColumn("gap_rate");
    expect(col.text(below, communities).startsWith("−")).toBe(true);
    expect(col.exportValue(below, communities)).toBeLessThan(0);
    expect(col.text(met, communities)).toBe("0");
    expect(Object.is(col.exportValue(met, communities), 0)).toBe(true);
  });
});
