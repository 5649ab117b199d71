import {z} from "zod";
import {ageBands, personFlags} from "./cubeDimensions.js";
import {column, dataset} from "./column.js";
import {disabilityCategories} from "./disabilityCategories.js";

/**
 * persons_cube (人员汇总立方体): what a build publishes about persons when the city is real, and what the
 * gap and budget engines read for it (src/engine/personCounts.ts). Person-level rows of a planner's city
 * never reach dist/; the cube counts them instead, in several *slices*: each slice splits every
 * community's persons by a few dimensions only (the ones one family of engine questions needs, e.g.
 * screened; or category × grade × screened), because a split by all of them at once leaves nearly every
 * cell with one person. Within a slice each person is counted exactly once.
 *
 * Small-cell protection (loaders/city/personsCube.ts): in each slice and community, cells below the
 * threshold T are pooled into one row with every dimension null (`suppressed = true`); a pooled row
 * itself below T takes the smallest cells with it until it reaches T; the persons of communities with
 * fewer than T persons are counted in one row at city level (community_code = the city's code), with
 * further communities until that row holds two or more and at least T persons.
 */

const flagColumns = Object.fromEntries(
  personFlags.map((flag) => [
    flag,
    column(z.boolean().nullable(), {
      zh: `人数按「${flag}」分组`,
      en: `Grouped by ${flag}`,
      description: `The persons of the cell have ${flag} = this value; null: unknown, not split in this slice, or a pooled row.`,
    }),
  ]),
) as Record<(typeof personFlags)[number], z.ZodNullable<z.ZodBoolean>>;

export const personsCubeRow = z.object({
  slice: column(z.string().min(1), {
    zh: "分组口径",
    en: "Slice",
    description: "The dimensions this row's slice splits persons by, joined with + (e.g. category+grade+screened); each slice counts every person once.",
  }),
  community_code: column(z.string().min(2), {
    zh: "所属社区代码",
    en: "Community code",
    description: "unit_code of the community/village; the city's code for the persons of communities with fewer persons than the threshold.",
  }),
  category: column(z.enum(disabilityCategories).nullable(), {zh: "残疾类别", en: "Disability category", description: "Null when the slice does not split by category, or in a pooled row."}),
  grade: column(z.number().int().min(1).max(4).nullable(), {zh: "残疾等级", en: "Disability grade", description: "Null when the slice does not split by grade, or in a pooled row."}),
  age_band: column(z.enum(ageBands).nullable(), {zh: "年龄段", en: "Age band", description: "0-5, 6-15, 16-17, 18-22, 23-59, 60+; null when the slice does not split by age, or in a pooled row."}),
  ...flagColumns,
  suppressed: column(z.boolean(), {
    zh: "小格合并",
    en: "Pooled small cells",
    description: "true: persons of this community's (or the city's small communities') cells below the threshold, pooled; they count in totals but in no split.",
  }),
  persons: column(z.number().int().positive(), {zh: "人数", en: "Persons", unit: "persons", description: "Registered disabled persons in the cell."}),
});
export type PersonsCubeRow = z.infer<typeof personsCubeRow>;

export const personsCube = dataset({
  name: "persons_cube",
  title: {zh: "持证残疾人汇总（分组口径，小格合并）", en: "Registered disabled persons, aggregated by slice (small cells pooled)"},
  description: "Counts of persons per community in slices (category, grade, age band and status flags, a few at a time); cells below the threshold pooled per community.",
  row: personsCubeRow,
  // Every dimension, so the order is total and the files byte-identical run to run.
  sortKey: ["slice", "community_code", "suppressed", "category", "grade", "age_band", ...personFlags],
});
