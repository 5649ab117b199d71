/**
 * persons_cube (人员汇总立方体): what the site publishes about persons when the city is real. Person-level
 * rows of a planner's city never reach dist/; the pages get counts instead:
 * community × category × grade × age band × the nine status flags (true / false / unknown) → persons.
 *
 * Small-cell protection: a cell counting fewer than `minCellSize` persons is not published as such; its
 * persons are pooled into one row per community with every dimension null (`suppressed = true`), so
 * community totals stay right while no small group can be singled out.
 */
import {z} from "zod";
import {ageBands, ageBandStarts, personFlags, type AgeBand} from "../../src/engine/programmes.js";
import {column, dataset} from "../../src/schemas/column.js";
import {disabilityCategories, type PersonRow} from "../../src/schemas/persons.js";

const flagColumns = Object.fromEntries(
  personFlags.map((flag) => [flag, column(z.boolean().nullable(), {zh: `人数按「${flag}」分组`, en: `Grouped by ${flag}`, description: `The persons of the cell have ${flag} = this value (null: unknown, or a pooled cell).`})]),
) as Record<(typeof personFlags)[number], z.ZodNullable<z.ZodBoolean>>;

export const personsCubeRow = z.object({
  community_code: column(z.string().min(2), {zh: "所属社区代码", en: "Community code", description: "unit_code of the community/village."}),
  category: column(z.enum(disabilityCategories).nullable(), {zh: "残疾类别", en: "Disability category", description: "Null in a pooled (suppressed) row."}),
  grade: column(z.number().int().min(1).max(4).nullable(), {zh: "残疾等级", en: "Disability grade", description: "Null in a pooled row."}),
  age_band: column(z.enum(ageBands).nullable(), {zh: "年龄段", en: "Age band", description: "0-5, 6-15, 16-17, 18-22, 23-59, 60+; null in a pooled row."}),
  ...flagColumns,
  suppressed: column(z.boolean(), {zh: "小格合并", en: "Pooled small cells", description: "true: the persons of this community's cells below the minimum size, pooled."}),
  persons: column(z.number().int().positive(), {zh: "人数", en: "Persons", unit: "persons", description: "Registered disabled persons in the cell."}),
});
export type PersonsCubeRow = z.infer<typeof personsCubeRow>;

export const personsCube = dataset({
  name: "persons_cube",
  title: {zh: "持证残疾人汇总（小格保护）", en: "Registered disabled persons, aggregated (small cells pooled)"},
  description: "Counts by community, category, grade, age band and status flags; cells below the minimum size pooled per community.",
  row: personsCubeRow,
  sortKey: ["community_code", "suppressed", "category", "grade", "age_band"],
});

export function ageBandOf(age: number): AgeBand {
  let band: AgeBand = ageBands[0];
  for (const b of ageBands) if (age >= ageBandStarts[b]) band = b;
  return band;
}

export interface CubeResult {
  rows: PersonsCubeRow[];
  /** Persons in pooled rows (their detail is not published). */
  suppressedPersons: number;
  persons: number;
}

/** Aggregates persons into the cube, pooling cells below `minCellSize` per community. */
export function buildPersonsCube(persons: readonly PersonRow[], minCellSize: number): CubeResult {
  const cells = new Map<string, {row: Omit<PersonsCubeRow, "persons" | "suppressed">; persons: number}>();
  for (const p of persons) {
    const band = ageBandOf(p.age);
    const flags = personFlags.map((f) => p[f]);
    const key = JSON.stringify([p.community_code, p.category, p.grade, band, flags]);
    const cell = cells.get(key);
    if (cell) cell.persons++;
    else {
      const row = {community_code: p.community_code, category: p.category, grade: p.grade, age_band: band, ...Object.fromEntries(personFlags.map((f, i) => [f, flags[i] ?? null]))} as Omit<PersonsCubeRow, "persons" | "suppressed">;
      cells.set(key, {row, persons: 1});
    }
  }
  const rows: PersonsCubeRow[] = [];
  const pooled = new Map<string, number>();
  let suppressedPersons = 0;
  for (const {row, persons: n} of cells.values()) {
    if (n >= minCellSize) rows.push({...row, suppressed: false, persons: n});
    else {
      pooled.set(row.community_code, (pooled.get(row.community_code) ?? 0) + n);
      suppressedPersons += n;
    }
  }
  const nullFlags = Object.fromEntries(personFlags.map((f) => [f, null])) as Record<(typeof personFlags)[number], null>;
  for (const [community_code, n] of pooled) rows.push({community_code, category: null, grade: null, age_band: null, ...nullFlags, suppressed: true, persons: n});
  return {rows, suppressedPersons, persons: persons.length};
}
