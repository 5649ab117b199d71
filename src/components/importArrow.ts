import {Bool, Float64, Int32, Table, Utf8, makeData, makeVector, tableToIPC, type Data, type DataType, type Vector} from "npm:apache-arrow";
import {columnTypes, type ColumnType} from "../schemas/columnTypes.js";
import type {Columns} from "../importer/index.js";
import type {UnitRow} from "../schemas/units.js";
import {communityCountsRow, type CommunityCountsRow} from "../schemas/communityCounts.js";
import {personsSpec, unitsSpec} from "../importer/index.js";

/**
 * The importer's accepted rows as Arrow tables with the demo city's column types (the mapping the
 * loaders use, src/schemas/columnTypes.ts), so DuckDB-WASM sees an imported city exactly as it sees the
 * demo city. The buffers are built by hand: Arrow's builders (vectorFromArray) compile their null
 * checks with `new Function`, which the site's Content-Security-Policy forbids.
 */

type Value = string | number | boolean | null | undefined;

function validity(values: readonly Value[]): {nullBitmap: Uint8Array; nullCount: number} {
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null || values[i] === undefined) nullCount++;
    else nullBitmap[i >> 3]! |= 1 << (i & 7);
  }
  return {nullBitmap, nullCount};
}

function column(type: ColumnType, values: readonly Value[]): Vector {
  const length = values.length;
  const {nullBitmap, nullCount} = validity(values);
  let data: Data<DataType>;
  if (type === "VARCHAR") {
    const encoder = new TextEncoder();
    const valueOffsets = new Int32Array(length + 1);
    const parts: Uint8Array[] = [];
    let offset = 0;
    for (let i = 0; i < length; i++) {
      const v = values[i];
      if (v !== null && v !== undefined) {
        const bytes = encoder.encode(String(v));
        parts.push(bytes);
        offset += bytes.length;
      }
      valueOffsets[i + 1] = offset;
    }
    const bytes = new Uint8Array(offset);
    let at = 0;
    for (const p of parts) bytes.set(p, (at += p.length) - p.length);
    data = makeData({type: new Utf8(), length, nullCount, nullBitmap, valueOffsets, data: bytes}) as Data<DataType>;
  } else if (type === "INTEGER") {
    data = makeData({type: new Int32(), length, nullCount, nullBitmap, data: Int32Array.from(values, (v) => (typeof v === "number" ? v : 0))}) as Data<DataType>;
  } else if (type === "DOUBLE") {
    data = makeData({type: new Float64(), length, nullCount, nullBitmap, data: Float64Array.from(values, (v) => (typeof v === "number" ? v : 0))}) as Data<DataType>;
  } else {
    const bits = new Uint8Array(Math.ceil(length / 8));
    for (let i = 0; i < length; i++) if (values[i] === true) bits[i >> 3]! |= 1 << (i & 7);
    data = makeData({type: new Bool(), length, nullCount, nullBitmap, data: bits}) as Data<DataType>;
  }
  return makeVector(data);
}

function table(columns: {name: string; type: ColumnType}[], values: (name: string) => readonly Value[]): Table {
  return new Table(Object.fromEntries(columns.map(({name, type}) => [name, column(type, values(name))])));
}

export function unitsTable(units: readonly UnitRow[]): Table {
  const rows = units as unknown as Record<string, Value>[];
  return table(columnTypes(unitsSpec.dataset.row), (name) => rows.map((r) => r[name] ?? null));
}

export function personsTable(persons: Columns): Table {
  return table(columnTypes(personsSpec.dataset.row), (name) => persons.data[name] ?? []);
}

/** Counts per community (an office's statistics form), as the counts city's pages read them. */
export function countsTable(counts: readonly CommunityCountsRow[]): Table {
  const rows = counts as unknown as Record<string, Value>[];
  return table(columnTypes(communityCountsRow), (name) => rows.map((r) => r[name] ?? null));
}

/** Arrow IPC file bytes, as the loaders publish (and IndexedDB stores). */
export function ipcBytes(t: Table): Uint8Array {
  return tableToIPC(t, "file");
}
