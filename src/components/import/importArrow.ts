import {Bool, Float64, Int32, Table, Utf8, makeData, makeVector, tableToIPC, type Data, type DataType, type Vector} from "npm:apache-arrow";
import {columnTypes, type ColumnType} from "../../schemas/columnTypes.js";
import type {Columns, ImportResult} from "../../importer/index.js";
import type {UnitRow} from "../../schemas/units.js";
import {communityCountsRow, type CommunityCountsRow} from "../../schemas/communityCounts.js";
import {personsSpec, unitsSpec} from "../../importer/index.js";

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

/**
 * A string column's UTF-8 bytes and offsets, written straight into one growing buffer: no per-value
 * array or object (encoding each value on its own took 10 million persons to 11.5 GB). ASCII, most of
 * what a city holds (codes, ids), is copied a character at a time; anything else goes through encodeInto.
 */
function utf8(values: readonly Value[]): {valueOffsets: Int32Array; data: Uint8Array} {
  const length = values.length;
  const valueOffsets = new Int32Array(length + 1);
  const encoder = new TextEncoder();
  let bytes = new Uint8Array(Math.max(64, length * 4));
  let offset = 0;
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) {
      const text = typeof v === "string" ? v : String(v);
      // A UTF-16 unit takes at most 3 UTF-8 bytes.
      if (bytes.length - offset < text.length * 3) {
        const grown = new Uint8Array(Math.max(bytes.length * 2, offset + text.length * 3));
        grown.set(bytes.subarray(0, offset));
        bytes = grown;
      }
      let j = 0;
      for (; j < text.length; j++) {
        const code = text.charCodeAt(j);
        if (code > 0x7f) break;
        bytes[offset + j] = code;
      }
      offset += j < text.length ? j + encoder.encodeInto(text.slice(j), bytes.subarray(offset + j)).written : j;
    }
    valueOffsets[i + 1] = offset;
  }
  return {valueOffsets, data: bytes.slice(0, offset)};
}

function column(type: ColumnType, values: readonly Value[]): Vector {
  const length = values.length;
  const {nullBitmap, nullCount} = validity(values);
  let data: Data<DataType>;
  if (type === "VARCHAR") {
    data = makeData({type: new Utf8(), length, nullCount, nullBitmap, ...utf8(values)}) as Data<DataType>;
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

/**
 * The stored city's tables (Arrow IPC bytes by name) from an import: units, persons, and counts per
 * community when an office's statistics form gave them. Built column by column, one table at a time
 * (each table's vectors are dropped once its bytes are written).
 */
export function cityTables(r: Pick<ImportResult, "units" | "persons" | "communityCounts">): Record<string, Uint8Array> {
  return {
    units: ipcBytes(unitsTable(r.units)),
    persons: ipcBytes(personsTable(r.persons)),
    ...(r.communityCounts.length ? {community_counts: ipcBytes(countsTable(r.communityCounts))} : {}),
  };
}
