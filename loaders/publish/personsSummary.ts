import {disabilityCategories, type PersonRow} from "../../src/schemas/persons.js";
import {personsSummaryCounts, type PersonsSummaryCount, type PersonsSummaryRow} from "../../src/schemas/personsSummary.js";
import type {UnitRow} from "../../src/schemas/units.js";

/**
 * The `persons_summary` dataset: person rows counted per community × category × grade, and the
 * small-cell rule (小数抑制) that protects a real city's persons before anything is published.
 *
 * The rule, for a city that is not synthetic, with threshold T (dpf.config.yaml
 * `publish.small_cell_threshold`, default 5):
 * 1. Primary: a count from 1 to T − 1 is suppressed. A row with fewer than T persons has every count
 *    suppressed (zeros too: "none of these 3 persons is screened" would describe each of them).
 * 2. Complementary: counts are parts of a denominator (screened and screened_unknown of persons,
 *    archived of rehab_need …). The persons a reader cannot see — the unpublished rest plus the
 *    suppressed parts — must be none or at least T, else the next smallest part is suppressed as well;
 *    a suppressed denominator suppresses its parts.
 * 3. Secondary: a district or community total (in a briefing, persons_cube or a report) minus the
 *    published cells would reveal a lone suppressed cell. In every district and every community, each
 *    count column has no suppressed cell, or at least two whose values add up to T or more; the
 *    smallest further cells are suppressed until it does.
 * A real city's summary has a row for every category × grade of every community with persons, empty
 * ones too (completeCells), so a fully suppressed row does not say that someone is in it.
 * Zeros and full counts are published when their row has at least T persons. The synthetic demo city is
 * published in full. Suppressed counts are null, and the row's `suppressed` flag is true.
 */

/** One row before suppression: every count known. */
export type SummaryCell = Omit<PersonsSummaryRow, PersonsSummaryCount | "suppressed" | "synthetic"> & Record<PersonsSummaryCount, number>;

/** A denominator and the counts that are parts of it (the rest of it is not published). */
export interface CountGroup {
  total: PersonsSummaryCount;
  parts: readonly PersonsSummaryCount[];
}

/** The part-of relations between the counts, parents before children. */
export const countGroups: readonly CountGroup[] = [
  {total: "persons", parts: ["screened", "screened_unknown"]},
  {total: "persons", parts: ["rehab_need"]},
  {total: "persons", parts: ["school_age"]},
  {total: "persons", parts: ["dibao_eligible"]},
  {total: "persons", parts: ["wubao_recipient"]},
  {total: "persons", parts: ["poor_subsidy_recipient"]},
  {total: "persons", parts: ["severe_subsidy_recipient"]},
  {total: "rehab_need", parts: ["archived", "archived_unknown"]},
  {total: "school_age", parts: ["enrolled", "enrolled_unknown"]},
  {total: "dibao_eligible", parts: ["dibao_recipient", "dibao_recipient_unknown"]},
];

/** Compulsory-education ages, inclusive (the persons schema's `enrolled` is about them). */
const SCHOOL_AGES = [6, 15] as const;

/** Counts persons per community × category × grade; communities' street and district from `units`. */
export function summarisePersons(persons: readonly PersonRow[], units: readonly UnitRow[]): SummaryCell[] {
  const unitsByCode = new Map(units.map((u) => [u.unit_code, u]));
  const cells = new Map<string, SummaryCell>();
  for (const p of persons) {
    const key = `${p.community_code}\u0000${p.category}\u0000${p.grade}`;
    let cell = cells.get(key);
    if (!cell) {
      const unit = unitsByCode.get(p.community_code);
      cell = {
        community_code: p.community_code,
        street_code: unit?.street_code ?? null,
        district_code: unit?.district_code ?? null,
        category: p.category,
        grade: p.grade,
        ...(Object.fromEntries(personsSummaryCounts.map((c) => [c, 0])) as Record<PersonsSummaryCount, number>),
      };
      cells.set(key, cell);
    }
    const schoolAge = p.age >= SCHOOL_AGES[0] && p.age <= SCHOOL_AGES[1];
    cell.persons++;
    if (p.screened === true) cell.screened++;
    if (p.screened === null) cell.screened_unknown++;
    if (p.rehab_need === true) {
      cell.rehab_need++;
      if (p.archived === true) cell.archived++;
      if (p.archived === null) cell.archived_unknown++;
    }
    if (schoolAge) {
      cell.school_age++;
      if (p.enrolled === true) cell.enrolled++;
      if (p.enrolled === null) cell.enrolled_unknown++;
    }
    if (p.dibao_eligible) {
      cell.dibao_eligible++;
      if (p.dibao_recipient === true) cell.dibao_recipient++;
      if (p.dibao_recipient === null) cell.dibao_recipient_unknown++;
    }
    if (p.wubao_recipient === true) cell.wubao_recipient++;
    if (p.poor_subsidy_recipient === true) cell.poor_subsidy_recipient++;
    if (p.severe_subsidy_recipient === true) cell.severe_subsidy_recipient++;
  }
  return [...cells.values()];
}

const small = (value: number, threshold: number) => value > 0 && value < threshold;

/** Rules 1 and 2 on one row: which counts it must hide. */
function rowSuppression(cell: SummaryCell, threshold: number): Set<PersonsSummaryCount> {
  const hidden = new Set<PersonsSummaryCount>();
  if (cell.persons < threshold) return new Set(personsSummaryCounts);
  for (const {total, parts} of countGroups) {
    if (hidden.has(total)) {
      for (const part of parts) hidden.add(part);
      continue;
    }
    for (const part of parts) if (small(cell[part], threshold)) hidden.add(part);
    const rest = cell[total] - parts.reduce((s, p) => s + cell[p], 0);
    const unseen = () => rest + parts.filter((p) => hidden.has(p)).reduce((s, p) => s + cell[p], 0);
    while (small(unseen(), threshold)) {
      const next = parts.filter((p) => !hidden.has(p) && cell[p] > 0).sort((a, b) => cell[a] - cell[b])[0];
      if (!next) break;
      hidden.add(next);
    }
  }
  return hidden;
}

/**
 * Rule 3: in each district and in each community, each column's suppressed cells are none, or ≥ 2
 * adding up to ≥ T. Communities too, because a community's totals are published (persons_cube keeps
 * them exact, and the briefing shows them). Suppressing a cell for one group can make another group
 * unsafe, so the passes repeat until nothing changes.
 */
function secondarySuppression(cells: readonly SummaryCell[], hidden: Set<PersonsSummaryCount>[], threshold: number): void {
  const groupsBy = (key: (cell: SummaryCell) => string) => {
    const groups = new Map<string, number[]>();
    cells.forEach((cell, i) => {
      const members = groups.get(key(cell));
      if (members) members.push(i);
      else groups.set(key(cell), [i]);
    });
    return [...groups.values()];
  };
  const groups = [...groupsBy((cell) => `district ${cell.district_code ?? ""}`), ...groupsBy((cell) => `community ${cell.community_code}`)];
  for (let changed = true; changed; ) {
    changed = false;
    for (const indices of groups)
      for (const column of personsSummaryCounts) {
        const suppressed = () => indices.filter((i) => hidden[i]!.has(column));
        const safe = () => {
          const s = suppressed();
          return s.length === 0 || (s.length >= 2 && s.reduce((sum, i) => sum + cells[i]![column], 0) >= threshold);
        };
        while (!safe()) {
          // The smallest published cell, preferring non-zero ones (a zero adds nothing to the hidden sum).
          const candidates = indices.filter((i) => !hidden[i]!.has(column));
          if (!candidates.length) break;
          const next = candidates.sort((a, b) => Number(cells[a]![column] === 0) - Number(cells[b]![column] === 0) || cells[a]![column] - cells[b]![column] || a - b)[0]!;
          hidden[next]!.add(column);
          changed = true;
        }
      }
  }
}

/**
 * The published rows: every count as counted for a synthetic city; for a real city, counts suppressed
 * by the rule above (null) and `suppressed` set on their rows.
 */
export function protectSummary(cells: readonly SummaryCell[], options: {synthetic: boolean; threshold: number}): PersonsSummaryRow[] {
  const {synthetic, threshold} = options;
  if (!Number.isInteger(threshold) || threshold < 2) throw new Error(`small-cell threshold must be an integer ≥ 2, got ${threshold}`);
  const hidden = cells.map((cell) => (synthetic ? new Set<PersonsSummaryCount>() : rowSuppression(cell, threshold)));
  if (!synthetic) secondarySuppression(cells, hidden, threshold);
  return cells.map((cell, i) => {
    const row = {...cell, suppressed: hidden[i]!.size > 0, synthetic} as PersonsSummaryRow;
    for (const column of hidden[i]!) row[column] = null;
    return row;
  });
}

/**
 * Every category × grade of every community with persons, the empty ones as rows of zeros: for a real
 * city, a row that exists only when someone is in it would tell a reader "at least one person" even
 * with every count suppressed (with the cube's pooled rows, enough to pin small cells).
 */
export function completeCells(cells: readonly SummaryCell[]): SummaryCell[] {
  const byKey = new Map(cells.map((c) => [`${c.community_code}\u0000${c.category}\u0000${c.grade}`, c]));
  const communities = new Map(cells.map((c) => [c.community_code, c]));
  const zero = Object.fromEntries(personsSummaryCounts.map((c) => [c, 0])) as Record<PersonsSummaryCount, number>;
  const complete: SummaryCell[] = [];
  for (const [code, any] of communities)
    for (const category of disabilityCategories)
      for (const grade of GRADES)
        complete.push(byKey.get(`${code}\u0000${category}\u0000${grade}`) ?? {community_code: code, street_code: any.street_code, district_code: any.district_code, category, grade, ...zero});
  return complete;
}

const GRADES = [1, 2, 3, 4] as const;

/** Persons summarised and protected: what the `persons_summary` loader publishes. */
export function personsSummaryRows(persons: readonly PersonRow[], units: readonly UnitRow[], threshold: number): PersonsSummaryRow[] {
  const synthetic = units.length > 0 && units.every((u) => u.synthetic);
  const cells = summarisePersons(persons, units);
  return protectSummary(synthetic ? cells : completeCells(cells), {synthetic, threshold});
}
