import {linearKinds} from "./programmeKinds/index.js";
import {programme as findProgramme} from "./programmes.js";
import type {Queryable} from "./queryable.js";
import {computeSums, modelOf, scenarioLevers, type LeverSums, type Model} from "./runScenario.js";
import type {Scenario} from "./scenario.js";
import {quoteIdentifier as T} from "./sql.js";

/**
 * Budget cap (预算上限): given a yearly budget, fund the gaps with the most people covered per yuan
 * first and show what is funded and who is left uncovered, by unit.
 *
 * What the cap caps — one definition for the sandbox page, `npm run simulate` and every briefing: the
 * cap is the year's budget for ALL programme costs of the scenario (方案测算成本). The committed baseline
 * (既有保障支出) is charged first and is never cut; what is left (可用于缺口的额度 = cap − committed, at
 * least 0) funds the gaps (缺口资金). So committed + funded never exceeds the cap unless the committed
 * baseline alone does, and `over_cap_yuan` (超出上限) = scenario cost − cap is the same figure the
 * briefing compares its cost chart with.
 *
 * The gaps are, per community and programme: the cost of a coverage target (screening, archives,
 * education support, rehab rooms, coordinators, care points; people = those it reaches that year), and
 * what the scenario adds to any other programme beyond the baseline (people = those newly covered).
 * Entitlements the baseline already pays (cash standards, per-resident funding) are committed: reported,
 * never cut. Each year is funded on its own; an item is funded whole or not at all, so the greedy pass
 * skips an item that no longer fits and tries the next one. The funded total never exceeds the room
 * left by the committed baseline. Committed spending is the city total less the gaps.
 */

/** One gap: a community × programme with its cost and the people it covers in the year. */
export interface CapItem {
  community_code: string;
  district_code: string;
  /** The community's name (社区/村). */
  unit_name: string;
  /** Names of the street (街道/镇) and district (区/县) it lies in; the code when the units table has no name. */
  street_name: string;
  district_name: string;
  programme: string;
  programme_zh: string;
  cost_yuan: number;
  people: number;
  /** People covered per 10,000 yuan (万元), the ranking key. */
  people_per_10k_yuan: number;
  funded: boolean;
}

/** What one community gets under the cap. */
export interface CapUnit {
  community_code: string;
  district_code: string;
  unit_name: string;
  street_name: string;
  district_name: string;
  funded_yuan: number;
  unfunded_yuan: number;
  people_covered: number;
  people_uncovered: number;
}

export interface CapYear {
  year: number;
  /** The year's budget for all programme costs (预算上限). */
  cap_yuan: number;
  /** The scenario's cost of the year, every programme (方案测算成本) = committed + gaps. */
  total_yuan: number;
  /** Baseline entitlements (既有保障支出): charged to the cap first, never cut. */
  committed_yuan: number;
  /** All gaps of the year (缺口资金需求) = funded + unfunded. */
  gap_yuan: number;
  /** What the cap leaves for gaps after the committed baseline (可用于缺口的额度), at least 0. */
  room_yuan: number;
  /** Gaps funded within the room (已安排缺口资金). */
  funded_yuan: number;
  /** Gaps left unfunded (未安排缺口资金). */
  unfunded_yuan: number;
  /** Committed + funded (上限内安排的支出). */
  planned_yuan: number;
  /** Scenario cost beyond the cap (超出上限), 0 when within: total − cap. */
  over_cap_yuan: number;
  /** Committed baseline beyond the cap (既有保障支出超出上限), 0 when within. */
  committed_over_cap_yuan: number;
  people_covered: number;
  people_uncovered: number;
  /** Every gap in funding order (best people per yuan first). */
  items: CapItem[];
  /** Per community with a gap, in unit-code order. */
  units: CapUnit[];
}

const YUAN_PER_10K = 10_000;

/** The gaps of one community × programme row (undefined when it is not a gap). */
function gapOf(sum: LeverSums): {cost: number; people: number} | undefined {
  // A coverage target's whole cost closes a gap; a linear programme's gap is what the scenario adds to it.
  if (!linearKinds.includes(findProgramme(sum.programme).kind)) return sum.cost > 0 ? {cost: sum.cost, people: sum.beneficiaries} : undefined;
  const added = sum.cost - sum.base_cost;
  return added > 0 ? {cost: added, people: sum.newly_covered} : undefined;
}

/** Greedy funding of gaps under a cap: most people per yuan first, then cheaper, then by programme and unit. */
export function fundGaps<T extends {cost_yuan: number; people: number; programme: string; community_code: string}>(
  gaps: readonly T[],
  capYuan: number,
): {item: T; funded: boolean}[] {
  const order = [...gaps].sort(
    (a, b) =>
      b.people / b.cost_yuan - a.people / a.cost_yuan ||
      a.cost_yuan - b.cost_yuan ||
      (a.programme < b.programme ? -1 : a.programme > b.programme ? 1 : 0) ||
      (a.community_code < b.community_code ? -1 : a.community_code > b.community_code ? 1 : 0),
  );
  let spent = 0;
  return order.map((item) => {
    const funded = spent + item.cost_yuan <= capYuan;
    if (funded) spent += item.cost_yuan;
    return {item, funded};
  });
}

/**
 * Funds each simulated year's gaps under the cap (the scenario's `cap.yuanPerYear` unless given).
 * Throws when neither gives a cap.
 */
export async function budgetCap(db: Queryable, scenario: Scenario, options: {capYuan?: number; years?: readonly number[]; model?: Model} = {}): Promise<CapYear[]> {
  const capYuan = options.capYuan ?? scenario.cap?.yuanPerYear;
  if (capYuan === undefined || !Number.isFinite(capYuan) || capYuan < 0) throw new Error("budgetCap needs a yearly cap in yuan (non-negative)");
  const model = options.model ?? (await modelOf(db));
  const {levers, baselineLevers} = scenarioLevers(model, scenario);
  const years = options.years ?? scenario.years;
  // City totals give what stays committed; per community only the gaps (coverage targets, and other
  // programmes where the scenario changes the cost) come back.
  const city = await computeSums(db, model, [baselineLevers, levers]);
  const sums = await computeSums(db, model, [baselineLevers, levers], {byCommunity: true, years});
  const units = new Map(
    (await db.query<{unit_code: string; unit_name: string; street_code: string | null}>(`SELECT ${T("unit_code")}, ${T("unit_name")}, ${T("street_code")} FROM ${T("units")}`)).map((u) => [
      u.unit_code,
      u,
    ]),
  );
  const nameOf = (code: string | null | undefined) => (code ? (units.get(code)?.unit_name ?? code) : "");
  return years.map((year) => {
    const rows = sums.filter((s) => s.year === year);
    const gaps: Omit<CapItem, "funded">[] = [];
    const total = city.filter((s) => s.year === year).reduce((sum, s) => sum + s.cost, 0);
    for (const row of rows) {
      const gap = gapOf(row);
      if (!gap) continue;
      gaps.push({
        community_code: row.community_code!,
        district_code: row.district_code!,
        unit_name: nameOf(row.community_code),
        street_name: nameOf(units.get(row.community_code!)?.street_code),
        district_name: nameOf(row.district_code),
        programme: row.programme,
        programme_zh: findProgramme(row.programme).label.zh,
        cost_yuan: gap.cost,
        people: gap.people,
        people_per_10k_yuan: (gap.people / gap.cost) * YUAN_PER_10K,
      });
    }
    const gapTotal = gaps.reduce((s, g) => s + g.cost_yuan, 0);
    const committed = total - gapTotal;
    const room = Math.max(0, capYuan - committed);
    const items = fundGaps(gaps, room).map(({item, funded}) => ({...item, funded}));
    const byUnit = new Map<string, CapUnit>();
    for (const item of items) {
      const unit = byUnit.get(item.community_code) ?? {
        community_code: item.community_code,
        district_code: item.district_code,
        unit_name: item.unit_name,
        street_name: item.street_name,
        district_name: item.district_name,
        funded_yuan: 0,
        unfunded_yuan: 0,
        people_covered: 0,
        people_uncovered: 0,
      };
      if (item.funded) {
        unit.funded_yuan += item.cost_yuan;
        unit.people_covered += item.people;
      } else {
        unit.unfunded_yuan += item.cost_yuan;
        unit.people_uncovered += item.people;
      }
      byUnit.set(item.community_code, unit);
    }
    const funded = items.filter((i) => i.funded);
    const unfunded = items.filter((i) => !i.funded);
    const sum = (list: CapItem[], key: "cost_yuan" | "people") => list.reduce((s, i) => s + i[key], 0);
    const fundedYuan = sum(funded, "cost_yuan");
    return {
      year,
      cap_yuan: capYuan,
      total_yuan: total,
      committed_yuan: committed,
      gap_yuan: gapTotal,
      room_yuan: room,
      funded_yuan: fundedYuan,
      unfunded_yuan: sum(unfunded, "cost_yuan"),
      planned_yuan: committed + fundedYuan,
      over_cap_yuan: Math.max(0, total - capYuan),
      committed_over_cap_yuan: Math.max(0, committed - capYuan),
      people_covered: sum(funded, "people"),
      people_uncovered: sum(unfunded, "people"),
      items,
      units: [...byUnit.values()].sort((a, b) => (a.community_code < b.community_code ? -1 : 1)),
    };
  });
}

/** A year's cap figures without the per-gap and per-community lists (what the CLI and briefings print). */
export type CapTotals = Omit<CapYear, "items" | "units">;

/** The cap figures of each year, lists dropped. */
export function capTotals(years: readonly CapYear[]): CapTotals[] {
  return years.map(({items: _items, units: _units, ...totals}) => totals);
}
