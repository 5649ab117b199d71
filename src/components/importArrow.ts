import {Bool, Float64, Int32, Table, Utf8, tableToIPC, vectorFromArray, type DataType} from "npm:apache-arrow";
import {columnTypes, type ColumnType} from "../schemas/columnTypes.js";
import type {Columns} from "../importer/index.js";
import type {UnitRow} from "../schemas/units.js";
import {personsSpec, unitsSpec} from "../importer/index.js";

/**
 * The importer's accepted rows as Arrow tables with the demo city's column types (the same mapping
 * the loaders use, src/schemas/columnTypes.ts), so DuckDB-WASM sees an imported city exactly as it
 * sees the demo city.
 */

const arrowTypes: Record<ColumnType, () => DataType> = {
  VARCHAR: () => new Utf8(),
  INTEGER: () => new Int32(),
  DOUBLE: () => new Float64(),
  BOOLEAN: () => new Bool(),
};

function table(columns: {name: string; type: ColumnType}[], values: (name: string) => unknown[]): Table {
  return new Table(Object.fromEntries(columns.map(({name, type}) => [name, vectorFromArray(values(name), arrowTypes[type]())])));
}

export function unitsTable(units: readonly UnitRow[]): Table {
  const rows = units as unknown as Record<string, unknown>[];
  return table(columnTypes(unitsSpec.dataset.row), (name) => rows.map((r) => r[name] ?? null));
}

export function personsTable(persons: Columns): Table {
  return table(columnTypes(personsSpec.dataset.row), (name) => persons.data[name] ?? []);
}

/** Arrow IPC file bytes, as the loaders publish (and IndexedDB stores). */
export function ipcBytes(t: Table): Uint8Array {
  return tableToIPC(t, "file");
}
