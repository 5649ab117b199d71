import type {Table} from "apache-arrow";
import {personFlags, unitFlags, type PersonFlag, type UnitFlag} from "../../src/engine/programmes.js";
import {disabilityCategories} from "../../src/schemas/persons.js";
import type {UnitLevel} from "../../src/schemas/units.js";
import {boolColumn, dictionaryColumn, numberColumn, plainColumn, smallIntColumn} from "./arrowColumns.js";

/**
 * The demo city as plain typed arrays, for the hand-written loop contender (the practical speed limit of
 * the browser): units as small JS arrays, persons as one typed array per column with the community
 * resolved to a unit index once. Building it is that contender's "prepare" step, as ingest is DuckDB's.
 */

export interface TypedUnits {
  count: number;
  code: string[];
  name: string[];
  level: UnitLevel[];
  parent: (string | null)[];
  district: (string | null)[];
  street: (string | null)[];
  /** 1 urban, 2 rural. */
  urbanRural: Uint8Array;
  residents: Float64Array;
  /** Community service flags: 1 true, 0 false, −1 null. */
  flags: Record<UnitFlag, Int8Array>;
  index: Map<string, number>;
}

export interface TypedPersons {
  count: number;
  /** Unit index of the person's community; −1 when community_code names no community. */
  unit: Int32Array;
  /** Index into disabilityCategories; −1 for an unknown category. */
  category: Int8Array;
  grade: Int16Array;
  age: Int16Array;
  /** Person flags: 1 true, 0 false, −1 null. */
  flags: Record<PersonFlag, Int8Array>;
}

export interface ParameterValue {
  id: string;
  effective_date: string;
  value: number;
  period: string;
}

export interface TypedCity {
  units: TypedUnits;
  persons: TypedPersons;
  parameters: ParameterValue[];
}

export const URBAN = 1;
export const RURAL = 2;

export function typedUnits(table: Table): TypedUnits {
  const col = (name: string) => plainColumn(table.getChild(name)!);
  const code = col("unit_code") as string[];
  const urbanRural = new Uint8Array((col("urban_rural") as string[]).map((v) => (v === "urban" ? URBAN : v === "rural" ? RURAL : 0)));
  const flags = Object.fromEntries(unitFlags.map((f) => [f, boolColumn(table.getChild(f)!)])) as Record<UnitFlag, Int8Array>;
  return {
    count: table.numRows,
    code,
    name: col("unit_name") as string[],
    level: col("level") as UnitLevel[],
    parent: col("parent_code") as (string | null)[],
    district: col("district_code") as (string | null)[],
    street: col("street_code") as (string | null)[],
    urbanRural,
    residents: numberColumn(table.getChild("residents")!),
    flags,
    index: new Map(code.map((c, i) => [c, i])),
  };
}

export function typedPersons(table: Table, units: TypedUnits): TypedPersons {
  const community = dictionaryColumn(table.getChild("community_code")!);
  const unitOf = Int32Array.from(community.values, (code) => {
    const i = units.index.get(code);
    return i !== undefined && units.level[i] === "community" ? i : -1;
  });
  const unit = new Int32Array(table.numRows);
  for (let i = 0; i < unit.length; i++) unit[i] = community.codes[i]! < 0 ? -1 : unitOf[community.codes[i]!]!;
  const categories = dictionaryColumn(table.getChild("category")!);
  const categoryOf = categories.values.map((c) => (disabilityCategories as readonly string[]).indexOf(c));
  const category = new Int8Array(table.numRows);
  for (let i = 0; i < category.length; i++) category[i] = categories.codes[i]! < 0 ? -1 : categoryOf[categories.codes[i]!]!;
  return {
    count: table.numRows,
    unit,
    category,
    grade: smallIntColumn(table.getChild("grade")!),
    age: smallIntColumn(table.getChild("age")!),
    flags: Object.fromEntries(personFlags.map((f) => [f, boolColumn(table.getChild(f)!)])) as Record<PersonFlag, Int8Array>,
  };
}

export function parameterValues(table: Table): ParameterValue[] {
  const id = plainColumn(table.getChild("id")!) as string[];
  const date = plainColumn(table.getChild("effective_date")!);
  const value = plainColumn(table.getChild("value")!);
  const period = plainColumn(table.getChild("period")!) as string[];
  return id.map((x, i) => ({id: x, effective_date: String(date[i]).slice(0, 10), value: Number(value[i]), period: period[i]!}));
}

export function typedCity(tables: {units: Table; persons: Table; parameters: Table}): TypedCity {
  const units = typedUnits(tables.units);
  return {units, persons: typedPersons(tables.persons, units), parameters: parameterValues(tables.parameters)};
}
