import {categoryCountColumn} from "../schemas/communityCounts.js";
import {disabilityCategories, type DisabilityCategory} from "../schemas/disabilityCategories.js";
import {unitLevels, type UnitLevel} from "../schemas/units.js";
import type {ImportResult} from "./importFiles.js";
import type {ImportProblem, RuleId, Severity} from "./rules.js";

/**
 * What an import gives, in numbers a planner checks against their own totals: communities, residents,
 * persons by category, units by level, every row accounted for, and the problems grouped by cause, the
 * biggest first. The same object is printed by `npm run import -- --json`, shown on the import page and
 * compared with each fixture's true totals in the tests.
 */

export interface ProblemGroup {
  severity: Severity;
  rule: RuleId;
  /** Problems of this cause. */
  count: number;
  /** The first example: where and what. */
  file: string;
  sheet: string;
  row: number | null;
  column: string | null;
  value: string;
  message_zh: string;
}

export interface ImportSummary {
  communities: number;
  residents: number;
  /** by_category: null for a category no row reports (a form with totals only). */
  persons: {total: number; by_category: Record<DisabilityCategory, number | null>; from: "persons" | "counts" | "none"};
  /** Units the files name, by level (not the levels added above an office's own top unit). */
  units: {by_level: Partial<Record<UnitLevel, number>>};
  rows: {in: number; accepted: number; rejected: number; skipped: number};
  problems: ProblemGroup[];
}

/** Problems of one cause: the same rule in the same file, sheet and column. */
export function groupProblems(problems: readonly ImportProblem[]): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>();
  for (const p of problems) {
    const key = [p.rule, p.file, p.sheet, p.column ?? ""].join("\u0000");
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, {severity: p.severity, rule: p.rule, count: 1, file: p.file, sheet: p.sheet, row: p.row, column: p.column, value: p.value, message_zh: p.message});
  }
  return [...groups.values()].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1) || b.count - a.count);
}

export function summariseImport(result: ImportResult): ImportSummary {
  const byLevel: Partial<Record<UnitLevel, number>> = {};
  const added = new Set(result.office?.addedUnits ?? []);
  for (const level of unitLevels) {
    const n = result.units.filter((u) => u.level === level && !added.has(u.unit_code)).length;
    if (n) byLevel[level] = n;
  }
  const communities = result.units.filter((u) => u.level === "community");
  const byCategory = Object.fromEntries(disabilityCategories.map((c) => [c, 0])) as Record<DisabilityCategory, number | null>;
  let total = 0;
  let from: ImportSummary["persons"]["from"] = "none";
  if (result.persons.length) {
    from = "persons";
    total = result.persons.length;
    for (const c of result.persons.data.category ?? []) byCategory[c as DisabilityCategory]! += 1;
  } else if (result.communityCounts.length) {
    from = "counts";
    for (const row of result.communityCounts) {
      total += row.persons;
      for (const c of disabilityCategories) byCategory[c]! += row[categoryCountColumn(c)] ?? 0;
    }
    for (const c of disabilityCategories) if (result.communityCounts.every((row) => row[categoryCountColumn(c)] === null)) byCategory[c] = null;
  }
  const template = result.counts;
  const office = result.office?.rows ?? {in: 0, accepted: 0, rejected: 0, skipped: 0};
  // A template sheet's header (and any title rows above it) are rows read and skipped too.
  const headerRows = result.files.flatMap((f) => f.sheets).reduce((n, s) => n + (s.table && s.headerRows ? s.headerRows[1] : 0), 0);
  const blank = template.units.blank + template.persons.blank + headerRows;
  return {
    communities: communities.length,
    residents: communities.reduce((a, u) => a + u.residents, 0),
    persons: {total, by_category: byCategory, from},
    units: {by_level: byLevel},
    rows: {
      in: template.units.rowsIn + template.persons.rowsIn + blank + office.in,
      accepted: template.units.accepted + template.persons.accepted + office.accepted,
      rejected: template.units.rejected + template.persons.rejected + office.rejected,
      skipped: blank + office.skipped,
    },
    problems: groupProblems(result.problems),
  };
}
