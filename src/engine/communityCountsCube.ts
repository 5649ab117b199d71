import {columnTypes} from "../schemas/columnTypes.js";
import {categoryCountColumn, communityCounts, gradeCountColumns, type CommunityCountsRow, type CountColumn} from "../schemas/communityCounts.js";
import {disabilityCategories} from "../schemas/disabilityCategories.js";
import {cubeDimensions, sliceName, usePersonsCube, type CubeDimension, type SliceInfo} from "./personCounts.js";
import {personFlags} from "./programmes.js";
import type {Queryable, SqlValue} from "./queryable.js";
import {placeholders, quoteIdentifier as T} from "./sql.js";

/**
 * A city given as counts per community (community_counts, src/schemas/communityCounts.ts) as persons_cube
 * rows: the slices its counts support, so the gap and budget engines read it through `person_counts`
 * exactly as they read person rows or a published cube (personCounts.ts). SQL only, run through
 * `Queryable`: the same derivation in Node (tests, the build) and in the browser.
 *
 * Each slice counts every community's persons once. A count the community does not report (null), or
 * one that contradicts the count it is part of (more screened than persons, more archived than in
 * need, category counts summing to more than persons), makes that community's split in that slice
 * unknown: its persons go in one row with the slice's dimensions null. The importer reports such
 * contradictions; here they only must not crash or count a person twice. A slice exists when at least
 * one community reports its count; a question no slice covers cannot be answered (answerability.ts).
 *
 * Slices and their cells, per community with P persons:
 * - `category`: each reported category count; the persons not covered by them (P − their sum, when the
 *   sum is below P: unreported categories, or persons the form gives no category) in a row with
 *   category null.
 * - `grade`: the same with grade_1 … grade_4.
 * - `screened`: true = screened, false = P − screened.
 * - `rehab_need+archived`: (true, true) = archived, (true, false) = need − archived, (false, null) =
 *   screened − need (when screened is known), (null, null) = the rest (not screened, so need unknown).
 *   Assumes archived ⊂ need (an archive is opened for a person screened in need) and need ⊂ screened.
 * - `archived`, `enrolled`: true = the count, false = P − it (within need, school age or persons when
 *   those are not reported).
 * - `age_band=6-15+enrolled`: (6-15, true) = enrolled, (6-15, false) = school_age − enrolled, the rest
 *   in age band null (the counts give no other age band). Assumes enrolled ⊂ school_age.
 * - `dibao_eligible+dibao_recipient`: (true, true) = recipients, (true, false) = eligible − recipients,
 *   (false, false) = P − eligible. Assumes recipients ⊂ eligible; with eligibility unreported,
 *   recipients are (null, true) and eligibility stays unknown.
 * - `rehab_need+rehab_served` (basic rehab services among those in need): (true, true) = served,
 *   (true, false) = need − served, (false, null) = screened − need, (null, null) = the rest. Assumes
 *   served ⊂ need. Present only when `rehab_served` is reported (the need alone is rehab_need+archived's).
 * - `device_need+device_fitted`: (true, true) = fitted, (true, false) = need − fitted, (false, null) =
 *   P − need. Assumes fitted ⊂ need.
 * - `poor_subsidy_eligible+poor_subsidy_recipient`, `severe_subsidy_eligible+severe_subsidy_recipient`:
 *   as the 低保 slice, eligible and recipients. With eligibility unreported everywhere, the recipients
 *   slice alone stands in (below).
 * - `wubao_recipient`, `poor_subsidy_recipient`, `severe_subsidy_recipient`: true = recipients,
 *   false = P − recipients.
 * - `total`: every community's P, no split (the slice of questions that read no dimension).
 * No slice crosses two families (category × screened): the counts do not give joint splits.
 */

export const COMMUNITY_COUNTS_TABLE = "community_counts";
/** The table of persons_cube rows derived from the counts; `person_counts` is a view over it. */
export const COMMUNITY_COUNTS_CUBE = "community_counts_cube";

/** What the derivation assumes, for the pages (数据说明). */
export const communityCountsAssumptions_zh: readonly string[] = [
  "本市人员数据为各社区上报的汇总数（不是个人名单）。每个口径（类别、等级、筛查、建档、义务教育、低保、特困供养、两项补贴）分别计算，每个口径都计入每名持证残疾人一次。",
  "某社区未填报的数，按“未知”计：该社区的持证残疾人计入合计，但不计入该口径的任何分组（筛查未填报时，该社区筛查状态全部未知）。",
  "各残疾类别（等级）人数之和小于持证残疾人数时，差额按“类别（等级）未知”计；之和大于持证残疾人数时，该社区的类别（等级）分布按未知计。",
  "假定：已建档者都在有康复需求者之中，有康复需求者都在已筛查者之中；已筛查、无康复需求者 = 已筛查人数 − 有康复需求人数，未筛查者康复需求未知。",
  "假定：义务教育在学人数都在 6–15 岁人数之中；汇总数只有 6–15 岁一个年龄段，其他年龄段的人数未知。",
  "假定：享受低保者都符合低保条件；不符合低保条件者不享受低保。未填报符合低保条件人数的社区，低保覆盖率不计该社区。",
  "假定：已接受基本康复服务者都在有康复需求者之中，辅助器具适配者都在有适配需求者之中，享受两项补贴者都符合相应补贴条件；未填报需求（条件）人数的社区，相应覆盖率不计该社区。",
  "汇总数不能交叉：没有“按残疾类别分的筛查人数”这类数，需要交叉分组的指标和项目无法计算，页面会说明原因。",
  "某个数大于它所属的数（如已筛查多于持证残疾人、已建档多于有康复需求者）时，该社区该口径按未知计；导入时会列出这些矛盾。",
];

/** A SQL literal of a code constant (category names, slice names): never a value from data. */
function literal(value: string | number | boolean | null): string {
  if (value === null) return "NULL";
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  return String(value);
}

/** One cell of a slice: its dimension values and the SQL for its persons (over the CTE `k`). */
interface Cell {
  dims: Partial<Record<CubeDimension, string | number | boolean>>;
  persons: string;
}

/** A slice: its name, the count columns that make it present, and its cells. */
interface CountSlice {
  slice: string;
  /** The slice exists when some community reports any of these. */
  reportedBy: readonly CountColumn[];
  /**
   * …and no community reports any of these: a flag alone (archived) is the margin of its joint slice
   * (rehab_need+archived) only where the joint slice's own counts define it, so it stands in for the
   * joint slice when that is absent and never beside it (two tables that disagree on a margin).
   */
  unlessReported?: readonly CountColumn[];
  cells: Cell[];
}

const dimensionTypes: Record<CubeDimension, string> = {
  ...(Object.fromEntries(cubeDimensions.map((d) => [d, "BOOLEAN"])) as Record<CubeDimension, string>),
  category: "VARCHAR",
  grade: "INTEGER",
  age_band: "VARCHAR",
};

/** A flag with a count of true: true = n, false = P − n, null = P when n is not known. */
function flagCells(flag: CubeDimension, n: string): Cell[] {
  return [
    {dims: {[flag]: true}, persons: n},
    {dims: {[flag]: false}, persons: `p - ${n}`},
    {dims: {}, persons: `CASE WHEN ${n} IS NULL THEN p END`},
  ];
}

/** A split into parts (categories, grades) whose counts sum to at most P; the rest in a null row. */
function partCells(dimension: "category" | "grade", parts: readonly {value: string | number; column: string}[], ok: string, sum: string): Cell[] {
  return [
    ...parts.map((part) => ({dims: {[dimension]: part.value}, persons: `CASE WHEN ${ok} THEN ${T(part.column)} END`})),
    {dims: {}, persons: `CASE WHEN ${ok} THEN p - ${sum} ELSE p END`},
  ];
}

/**
 * A flag counted among persons in need (archived, served): (need, flag) = n, (need, not) = need − n,
 * (need, unknown) = need when n is not known, (no need) = screened − need, and the rest (not screened,
 * need unknown) in a null row.
 */
function withinNeedCells(flag: CubeDimension, n: string): Cell[] {
  return [
    {dims: {rehab_need: true, [flag]: true}, persons: n},
    {dims: {rehab_need: true, [flag]: false}, persons: `n - ${n}`},
    {dims: {rehab_need: true}, persons: `CASE WHEN ${n} IS NULL THEN n END`},
    {dims: {rehab_need: false}, persons: "s - n"},
    {dims: {}, persons: "CASE WHEN n IS NULL THEN p WHEN s IS NULL THEN p - n ELSE p - s END"},
  ];
}

const categoryParts = disabilityCategories.map((c) => ({value: c, column: categoryCountColumn(c)}));
const gradeParts = gradeCountColumns.map((column, i) => ({value: i + 1, column}));

/** The validated counts per community (`k`): each null when unreported or larger than what contains it. */
function validatedCounts(table: string): string {
  const within = (column: string, limit: string) => `CASE WHEN ${T(column)} <= ${limit} THEN ${T(column)} END`;
  const partsOf = (name: string, parts: readonly {column: string}[]) => [
    `${parts.map((x) => `coalesce(${T(x.column)}, 0)`).join(" + ")} AS ${name}_sum`,
    `(${parts.map((x) => `${T(x.column)} IS NOT NULL`).join(" OR ")}) AND ${parts.map((x) => `coalesce(${T(x.column)}, 0)`).join(" + ")} <= ${T("persons")} AS ${name}_ok`,
  ];
  const first = [
    `${T("community_code")}`,
    `CAST(${T("persons")} AS BIGINT) AS p`,
    ...categoryParts.map((x) => T(x.column)),
    ...gradeParts.map((x) => T(x.column)),
    ...partsOf("category", categoryParts),
    ...partsOf("grade", gradeParts),
    `${within("screened", T("persons"))} AS s`,
    `${within("school_age", T("persons"))} AS k6`,
    `${within("dibao_eligible", T("persons"))} AS g`,
    ...["wubao_recipient", "poor_subsidy_recipient", "severe_subsidy_recipient"].map((c) => `${within(c, T("persons"))} AS ${T(c)}`),
    `${within("device_need", T("persons"))} AS dn`,
    `${within("poor_subsidy_eligible", T("persons"))} AS pg`,
    `${within("severe_subsidy_eligible", T("persons"))} AS sg`,
    T("rehab_served"),
    T("device_fitted"),
    T("rehab_need"),
    T("archived"),
    T("enrolled"),
    T("dibao_recipient"),
  ];
  // Need within screened (or persons when screening is not known), archived within need, enrolled within
  // school age, recipients within eligible (or persons when eligibility is not known).
  return `k0 AS (SELECT ${first.join(", ")} FROM ${T(table)}),
    k1 AS (SELECT *, CASE WHEN ${T("rehab_need")} <= coalesce(s, p) THEN ${T("rehab_need")} END AS n,
                     CASE WHEN ${T("enrolled")} <= k6 THEN ${T("enrolled")} END AS e,
                     CASE WHEN ${T("dibao_recipient")} <= coalesce(g, p) THEN ${T("dibao_recipient")} END AS r,
                     CASE WHEN ${T("device_fitted")} <= dn THEN ${T("device_fitted")} END AS df,
                     CASE WHEN ${T("poor_subsidy_recipient")} <= pg THEN ${T("poor_subsidy_recipient")} END AS pr,
                     CASE WHEN ${T("severe_subsidy_recipient")} <= sg THEN ${T("severe_subsidy_recipient")} END AS sr FROM k0),
    k AS (SELECT *, CASE WHEN ${T("archived")} <= n THEN ${T("archived")} END AS a,
                    CASE WHEN ${T("archived")} <= coalesce(n, s, p) THEN ${T("archived")} END AS a_alone,
                    CASE WHEN ${T("enrolled")} <= coalesce(k6, p) THEN ${T("enrolled")} END AS e_alone,
                    CASE WHEN ${T("rehab_served")} <= n THEN ${T("rehab_served")} END AS sv FROM k1)`;
}

/** Every slice counts can give, present or not. */
const countSlices: readonly CountSlice[] = [
  {slice: "total", reportedBy: [], cells: [{dims: {}, persons: "p"}]},
  {slice: sliceName(["category"]), reportedBy: categoryParts.map((x) => x.column as CountColumn), cells: partCells("category", categoryParts, "category_ok", "category_sum")},
  {slice: sliceName(["grade"]), reportedBy: [...gradeCountColumns], cells: partCells("grade", gradeParts, "grade_ok", "grade_sum")},
  {slice: sliceName(["screened"]), reportedBy: ["screened"], cells: flagCells("screened", "s")},
  {
    slice: sliceName(["rehab_need", "archived"]),
    reportedBy: ["rehab_need"],
    cells: withinNeedCells("archived", "a"),
  },
  // Archived and enrolled alone: a form that counts archives (or pupils) but not those in need (or of
  // school age) still says how many there are, and a question needing the missing count names only it.
  {slice: sliceName(["archived"]), reportedBy: ["archived"], unlessReported: ["rehab_need"], cells: flagCells("archived", "a_alone")},
  {slice: sliceName(["enrolled"]), reportedBy: ["enrolled"], unlessReported: ["school_age"], cells: flagCells("enrolled", "e_alone")},
  {
    slice: "age_band=6-15+enrolled",
    reportedBy: ["school_age"],
    cells: [
      {dims: {age_band: "6-15", enrolled: true}, persons: "e"},
      {dims: {age_band: "6-15", enrolled: false}, persons: "k6 - e"},
      {dims: {age_band: "6-15"}, persons: "CASE WHEN e IS NULL THEN k6 END"},
      {dims: {}, persons: "p - coalesce(k6, 0)"},
    ],
  },
  {
    slice: sliceName(["dibao_eligible", "dibao_recipient"]),
    reportedBy: ["dibao_eligible"],
    cells: [
      {dims: {dibao_eligible: true, dibao_recipient: true}, persons: "CASE WHEN g IS NOT NULL THEN r END"},
      {dims: {dibao_eligible: true, dibao_recipient: false}, persons: "g - r"},
      {dims: {dibao_eligible: true}, persons: "CASE WHEN r IS NULL THEN g END"},
      {dims: {dibao_eligible: false, dibao_recipient: false}, persons: "CASE WHEN r IS NOT NULL THEN p - g END"},
      {dims: {dibao_eligible: false}, persons: "CASE WHEN r IS NULL THEN p - g END"},
      {dims: {dibao_recipient: true}, persons: "CASE WHEN g IS NULL THEN r END"},
      {dims: {}, persons: "CASE WHEN g IS NULL THEN p - coalesce(r, 0) END"},
    ],
  },
  {slice: sliceName(["wubao_recipient"]), reportedBy: ["wubao_recipient"], cells: flagCells("wubao_recipient", T("wubao_recipient"))},
  ...(
    [
      ["poor_subsidy_eligible", "poor_subsidy_recipient", "pg", "pr"],
      ["severe_subsidy_eligible", "severe_subsidy_recipient", "sg", "sr"],
    ] as const
  ).flatMap(([eligible, recipient, g, r]): CountSlice[] => [
    // Recipients alone where no community reports who is eligible; the joint slice otherwise (one margin).
    {slice: sliceName([recipient]), reportedBy: [recipient], unlessReported: [eligible], cells: flagCells(recipient, T(recipient))},
    {
      slice: sliceName([eligible, recipient]),
      reportedBy: [eligible],
      cells: [
        {dims: {[eligible]: true, [recipient]: true}, persons: r},
        {dims: {[eligible]: true, [recipient]: false}, persons: `${g} - ${r}`},
        {dims: {[eligible]: true}, persons: `CASE WHEN ${r} IS NULL THEN ${g} END`},
        {dims: {[eligible]: false, [recipient]: false}, persons: `p - ${g}`},
        // Eligibility unreported in this community: its recipients (when within persons) stay countable.
        {dims: {[recipient]: true}, persons: `CASE WHEN ${g} IS NULL THEN ${T(recipient)} END`},
        {dims: {}, persons: `CASE WHEN ${g} IS NULL THEN p - coalesce(${T(recipient)}, 0) END`},
      ],
    },
  ]),
  {
    slice: sliceName(["rehab_need", "rehab_served"]),
    reportedBy: ["rehab_served"],
    cells: withinNeedCells("rehab_served", "sv"),
  },
  {
    slice: sliceName(["device_need", "device_fitted"]),
    reportedBy: ["device_need"],
    cells: [
      {dims: {device_need: true, device_fitted: true}, persons: "df"},
      {dims: {device_need: true, device_fitted: false}, persons: "dn - df"},
      {dims: {device_need: true}, persons: "CASE WHEN df IS NULL THEN dn END"},
      {dims: {device_need: false}, persons: "p - dn"},
      {dims: {}, persons: "CASE WHEN dn IS NULL THEN p END"},
    ],
  },
];

/** Whether a slice is given by the counts reported (`reported` says whether some community reports a column). */
function isPresent(slice: CountSlice, reported: (column: string) => boolean): boolean {
  if (slice.unlessReported?.some(reported)) return false;
  return slice.reportedBy.length === 0 || slice.reportedBy.some(reported);
}

/** The SELECT of one cell as persons_cube columns (before dropping empty cells). */
function cellSql(slice: string, cell: Cell): string {
  const dims = cubeDimensions.map((d) => `CAST(${literal(cell.dims[d] ?? null)} AS ${dimensionTypes[d]}) AS ${T(d)}`);
  return `SELECT ${literal(slice)} AS ${T("slice")}, ${T("community_code")}, ${dims.join(", ")}, FALSE AS ${T("suppressed")}, CAST(${cell.persons} AS BIGINT) AS ${T("persons")} FROM k`;
}

/**
 * The slices counts give when these columns are reported somewhere (no table needed): what the import page
 * tells a planner before the engine loads, with questionsAnswerable (answerability.ts).
 */
export function slicesReported(reported: ReadonlySet<string>): SliceInfo[] {
  return countSlices.filter((s) => isPresent(s, (c) => reported.has(c))).map((s) => ({slice: s.slice, pooled: 0}));
}

/** The slices whose counts some community reports (one scan of the counts). */
async function presentSlices(db: Queryable, table: string): Promise<CountSlice[]> {
  const columns = [...new Set(countSlices.flatMap((s) => [...s.reportedBy, ...(s.unlessReported ?? [])]))];
  const [row] = await db.query<Record<string, unknown>>(`SELECT ${columns.map((c) => `count(${T(c)}) AS ${T(c)}`).join(", ")} FROM ${T(table)}`);
  const reported = (c: string) => Number(row?.[c] ?? 0) > 0;
  return countSlices.filter((s) => isPresent(s, reported));
}

/**
 * The SQL creating `target` (persons_cube rows, nothing pooled) from the counts in `table`, for the
 * slices given. Exported for the build, which pools its small cells before publishing.
 */
export function communityCountsCubeSql(table: string, slices: readonly {slice: string; cells: Cell[]}[], target = COMMUNITY_COUNTS_CUBE): string {
  const cells = slices.flatMap((s) => s.cells.map((c) => cellSql(s.slice, c)));
  const flags = personFlags.map((f) => T(f)).join(", ");
  return `CREATE OR REPLACE TABLE ${T(target)} AS
    WITH ${validatedCounts(table)}
    SELECT ${T("slice")}, ${T("community_code")}, ${T("category")}, ${T("grade")}, ${T("age_band")}, ${flags}, ${T("suppressed")}, CAST(${T("persons")} AS INTEGER) AS ${T("persons")}
      FROM (${cells.join("\n UNION ALL ")}) WHERE ${T("persons")} > 0
     ORDER BY ${T("slice")}, ${T("community_code")}, ${cubeDimensions.map((d) => T(d)).join(", ")}`;
}

/** Derives the cube rows of a counts table into `target` and returns the slices present. */
export async function deriveCommunityCountsCube(db: Queryable, table = COMMUNITY_COUNTS_TABLE, target = COMMUNITY_COUNTS_CUBE): Promise<string[]> {
  const slices = await presentSlices(db, table);
  await db.query(communityCountsCubeSql(table, slices, target));
  return slices.map((s) => s.slice);
}

/**
 * Counts persons from per-community counts (a table of the community_counts schema): `person_counts`
 * becomes a view over the cube rows derived from them. Returns the slices present.
 *
 * @example
 * await useCommunityCounts(db); // community_counts → person_counts
 * await gapQuery(db, {indicator: "screening", level: "district", year: 2026});
 */
export async function useCommunityCounts(db: Queryable, table = COMMUNITY_COUNTS_TABLE): Promise<SliceInfo[]> {
  await deriveCommunityCountsCube(db, table);
  return usePersonsCube(db, COMMUNITY_COUNTS_CUBE);
}

/** Rows per INSERT: keeps one statement's bound values modest (26 columns × 200 rows). */
const ROWS_PER_INSERT = 200;

/**
 * Writes plain counts rows (community_counts schema, e.g. from the importer) as the table `table`,
 * replacing it; column types from the schema, every value bound.
 */
export async function writeCommunityCounts(db: Queryable, rows: readonly CommunityCountsRow[], table = COMMUNITY_COUNTS_TABLE): Promise<void> {
  const columns = columnTypes(communityCounts.row);
  await db.query(`CREATE OR REPLACE TABLE ${T(table)} (${columns.map((c) => `${T(c.name)} ${c.type}`).join(", ")})`);
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const batch = rows.slice(start, start + ROWS_PER_INSERT) as readonly Record<string, unknown>[];
    const values = batch.flatMap((row) => columns.map((c) => (row[c.name] ?? null) as SqlValue));
    await db.query(`INSERT INTO ${T(table)} VALUES ${batch.map(() => `(${placeholders(columns.length)})`).join(", ")}`, values);
  }
}
