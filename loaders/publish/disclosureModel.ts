/**
 * Everything a build publishes about a real city's persons as one system of sum relations over
 * unknown counts (公布数据的线性方程组), the input of the disclosure audit (disclosureAudit.ts).
 *
 * The unknowns are the persons of every cell of every *marginal table* the publication touches, per
 * community: the persons_cube slices (category; category+dibao_eligible; category+grade+screened …)
 * and the persons_summary columns (category × grade × screened, × rehab_need, × age 6–15 …), plus each
 * community's total and the city-level row of the small communities. A cell of a table is the sum of
 * the cells of any finer table that extend it (category=视力 = Σ over dibao_eligible of
 * (视力, dibao_eligible)), so every pair of nested tables gives relations; a community's total is the sum
 * of every table's cells; the city-level row is the sum of its communities' totals.
 *
 * The reader knows: every published figure (fixed), that a persons_summary row which exists holds at
 * least one person, that a category × grade with no summary row holds none, and that counts are
 * non-negative integers. Nothing else (no structural zeros beyond those).
 *
 * Why these unknowns describe every combination a reader could hold: the finest tables (the *cliques*)
 * can be joined one by one, each meeting those before it inside one of them (category × grade for the
 * person tables, nothing for wubao_recipient or a counts city's families). That meeting table is added
 * as an unknown table too; given its cells, cells of two cliques that agree on it can be paired into
 * persons, so the feasible values of the published tables are exactly those of this system (the
 * "running intersection" property; it is checked, and tables that cross otherwise are refused).
 */
import {cubeDimensions, type CubeDimension} from "../../src/engine/personCounts.js";
import type {SumRelation} from "./linearBounds.js";

export type DimensionValue = string | number | boolean | null;
export type Values = Partial<Record<CubeDimension, DimensionValue>>;

/** Where a figure is published, so the control can hide it again. */
export type FigureRef = {dataset: "persons_cube"; row: number} | {dataset: "persons_summary"; row: number; column: string};

/** A published count: the persons of a community's cell of the table over `dims`. */
export interface Figure {
  community: string;
  dims: readonly CubeDimension[];
  values: Values;
  persons: number;
  ref: FigureRef;
}

/** A weighted record of a community: a person (weight 1), or a cell of a clique with its persons. */
export interface TruthRecord {
  values: Values;
  weight: number;
}

export interface ModelInput {
  /** Every community with persons, whether published on its own or inside the city-level row. */
  communities: readonly {code: string; atCityLevel: boolean}[];
  /** The city-level row's persons (communities below the threshold), or null when there is none. */
  cityLevelPersons: number | null;
  figures: readonly Figure[];
  /** Every table published (a slice, a summary column's cells), whether or not any of its cells is. */
  tables: readonly (readonly CubeDimension[])[];
  /** Records of a community that carry every dimension of `clique`. */
  records: (community: string, clique: readonly CubeDimension[]) => Iterable<TruthRecord>;
  /** The values a dimension can take in a clique (what the codebook allows). */
  domain: (dimension: CubeDimension, clique: readonly CubeDimension[]) => readonly DimensionValue[];
  /** Cells of category × grade each community is known to have (summary rows): at least 1 person; others 0. */
  knownCells?: ReadonlyMap<string, readonly Values[]>;
}

export interface DisclosureModel {
  size: number;
  truth: Float64Array;
  /** Lower bound known without any figure: 1 for a summary row's cell, else 0. */
  floor: Float64Array;
  /** Publications of each unknown (empty: not published); the totals and the city row are fixed. */
  refs: FigureRef[][];
  fixed: Uint8Array;
  relations: SumRelation[];
  label: (v: number) => string;
  threshold?: number;
}

const order = (dims: readonly CubeDimension[]) => cubeDimensions.filter((d) => dims.includes(d));
const setKey = (dims: readonly CubeDimension[]) => order(dims).join("+");
const valuesKey = (dims: readonly CubeDimension[], values: Values) => JSON.stringify(order(dims).map((d) => values[d] ?? null));
const within = (a: readonly CubeDimension[], b: readonly CubeDimension[]) => a.every((d) => b.includes(d));

/** The category × grade table: the summary's rows, whose existence a reader may see. */
const KNOWN_DIMS: readonly CubeDimension[] = ["category", "grade"];

/**
 * The largest tables of the family (cliques) and the tables where each meets those joined before it
 * (separators); throws when no order joins every clique inside a single earlier one.
 */
export function cliquesOf(family: readonly (readonly CubeDimension[])[]): {cliques: CubeDimension[][]; separators: CubeDimension[][]} {
  const sets = [...new Map(family.map((f) => [setKey(f), order(f)])).values()];
  const cliques = sets.filter((a) => !sets.some((b) => b.length > a.length && within(a, b)));
  const remaining = [...cliques].sort((a, b) => b.length - a.length || (setKey(a) < setKey(b) ? -1 : 1));
  const joined = [remaining.shift()!];
  const separators: CubeDimension[][] = [];
  while (remaining.length) {
    const next = remaining.findIndex((c) => {
      const meet = c.filter((d) => joined.some((j) => j.includes(d)));
      return joined.some((j) => within(meet, j));
    });
    if (next < 0) throw new Error(`disclosure audit: the tables ${remaining.map(setKey).join(", ")} cross the others in more than one table; the audit cannot bound them`);
    const [c] = remaining.splice(next, 1);
    separators.push(c!.filter((d) => joined.some((j) => j.includes(d))));
    joined.push(c!);
  }
  return {cliques, separators};
}

export function buildDisclosureModel(input: ModelInput): DisclosureModel {
  const family = [[], ...input.tables, ...input.figures.map((f) => f.dims)] as CubeDimension[][];
  const {cliques, separators} = cliquesOf(family);
  const tables = [...new Map([...family, ...separators].map((f) => [setKey(f), order(f)])).values()];
  const shared = KNOWN_DIMS;
  const cliqueOf = (dims: readonly CubeDimension[]) => cliques.find((c) => within(dims, c))!;

  // Tables, their cells and how each nested pair's cells map, the same for every community.
  const info = tables.map((dims) => {
    const clique = cliqueOf(dims);
    let cells: Values[] = [{}];
    for (const d of dims) cells = cells.flatMap((c) => input.domain(d, clique).map((value) => ({...c, [d]: value})));
    const keys = cells.map((c) => valuesKey(dims, c));
    return {dims, key: setKey(dims), clique, cells, keys, cellOf: new Map(keys.map((k, i) => [k, i]))};
  });
  const pairs: {coarse: number; fine: number; wholeOf: Int32Array}[] = [];
  info.forEach((coarse, c) =>
    info.forEach((fine, f) => {
      if (fine.dims.length <= coarse.dims.length || !within(coarse.dims, fine.dims)) return;
      pairs.push({coarse: c, fine: f, wholeOf: Int32Array.from(fine.cells, (cell) => coarse.cellOf.get(valuesKey(coarse.dims, cell))!)});
    }),
  );

  const index = new Map<string, number>();
  const truth: number[] = [];
  const floor: number[] = [];
  const owner: {community: string; table: number; cell: number}[] = [];
  const relations: SumRelation[] = [];
  const label = (v: number) => {
    const o = owner[v];
    if (!o) return "市级合并行（小社区）";
    const {dims, cells} = info[o.table]!;
    const cell = dims.map((d) => `${d}=${cells[o.cell]![d] ?? "空"}`).join("，");
    return `社区 ${o.community}${cell ? ` ${cell}` : " 合计"}`;
  };

  for (const {code} of input.communities) {
    const known = input.knownCells?.get(code);
    // Each table's cells as unknowns (-1: known to be empty), their persons counted from a clique's records.
    const ids = info.map((t, table) => {
      const counted = new Float64Array(t.cells.length);
      for (const r of input.records(code, t.clique)) counted[t.cellOf.get(valuesKey(t.dims, r.values))!]! += r.weight;
      const isShared = t.dims.length === shared.length && within(shared, t.dims);
      return Int32Array.from(t.cells, (values, cell) => {
        // A cell outside the known category × grade rows is known to be empty: not an unknown.
        const matches = known?.filter((k) => shared.every((d) => !t.dims.includes(d) || k[d] === (values[d] ?? null)));
        if (matches && !matches.length) return -1;
        const v = truth.length;
        index.set(`${code}\u0000${t.key}\u0000${t.keys[cell]}`, v);
        truth.push(counted[cell]!);
        floor.push(matches && isShared ? 1 : 0);
        owner.push({community: code, table, cell});
        return v;
      });
    });
    // Every nested pair of tables: a cell is the sum of the finer table's cells extending it.
    for (const {coarse, fine, wholeOf} of pairs) {
      const parts: number[][] = Array.from(ids[coarse]!, () => []);
      ids[fine]!.forEach((v, cell) => {
        if (v >= 0) parts[wholeOf[cell]!]!.push(v);
      });
      ids[coarse]!.forEach((whole, cell) => {
        if (whole >= 0) relations.push({whole, parts: parts[cell]!});
      });
    }
  }

  const size0 = truth.length;
  const refs: FigureRef[][] = Array.from({length: size0}, () => []);
  const fixed = new Uint8Array(size0 + 1);
  for (const f of input.figures) {
    const v = index.get(`${f.community}\u0000${setKey(f.dims)}\u0000${valuesKey(f.dims, f.values)}`);
    if (v === undefined) throw new Error(`disclosure audit: published cell ${f.community} ${setKey(f.dims)} ${valuesKey(f.dims, f.values)} is outside the model`);
    if (truth[v] !== f.persons) throw new Error(`disclosure audit: ${label(v)} is published as ${f.persons} but counts ${truth[v]}`);
    refs[v]!.push(f.ref);
  }
  // A published community's total is exact (its rows in every slice add up to it).
  for (const {code, atCityLevel} of input.communities) if (!atCityLevel) fixed[index.get(`${code}\u0000\u0000[]`)!] = 1;
  if (input.cityLevelPersons !== null) {
    const city = truth.length;
    truth.push(input.cityLevelPersons);
    floor.push(0);
    refs.push([]);
    fixed[city] = 1;
    relations.push({whole: city, parts: input.communities.filter((c) => c.atCityLevel).map((c) => index.get(`${c.code}\u0000\u0000[]`)!)});
  }
  return {
    size: truth.length,
    truth: Float64Array.from(truth),
    floor: Float64Array.from(floor),
    refs,
    fixed: fixed.subarray(0, truth.length),
    relations,
    label,
  };
}
