import type {Vector} from "apache-arrow";

/**
 * Reading Arrow IPC columns straight from their buffers into plain typed arrays: what a hand-written
 * loop needs before it can run at the browser's speed limit. Runs in Node and in the browser.
 */

/** A boolean column as 1 (true), 0 (false) or −1 (null), one byte per row. */
export function boolColumn(vector: Vector): Int8Array {
  const out = new Int8Array(vector.length);
  let at = 0;
  for (const data of vector.data) {
    const values = data.values as Uint8Array;
    const nulls = data.nullCount > 0 ? data.nullBitmap : null;
    for (let i = 0; i < data.length; i++) {
      const bit = data.offset + i;
      if (nulls && !(nulls[bit >> 3]! & (1 << (bit & 7)))) out[at++] = -1;
      else out[at++] = values[bit >> 3]! & (1 << (bit & 7)) ? 1 : 0;
    }
  }
  return out;
}

/** A numeric column into a typed array of the given kind, nulls replaced by `missing`. */
function numericColumn<A extends Float64Array | Int16Array>(vector: Vector, make: (length: number) => A, missing: number): A {
  const out = make(vector.length);
  let at = 0;
  for (const data of vector.data) {
    const values = data.values as ArrayLike<number>;
    const nulls = data.nullCount > 0 ? data.nullBitmap : null;
    for (let i = 0; i < data.length; i++) {
      const bit = data.offset + i;
      out[at++] = nulls && !(nulls[bit >> 3]! & (1 << (bit & 7))) ? missing : Number(values[bit]);
    }
  }
  return out;
}

/** A numeric column as a Float64Array (nulls become NaN). */
export const numberColumn = (vector: Vector) => numericColumn(vector, (n) => new Float64Array(n), Number.NaN);

/** A small integer column (age, grade) as an Int16Array; nulls become −1. */
export const smallIntColumn = (vector: Vector) => numericColumn(vector, (n) => new Int16Array(n), -1);

/**
 * A UTF-8 column dictionary-encoded: `codes[i]` indexes `values` (−1 for null). Rows are compared as
 * bytes with the previous row and through a byte hash, so a sorted or low-cardinality column decodes
 * each distinct string once.
 */
export function dictionaryColumn(vector: Vector): {codes: Int32Array; values: string[]} {
  const codes = new Int32Array(vector.length);
  const values: string[] = [];
  const byHash = new Map<number, {bytes: Uint8Array; code: number}[]>();
  const decoder = new TextDecoder();
  let at = 0;
  for (const data of vector.data) {
    const bytes = data.values as Uint8Array;
    const offsets = data.valueOffsets as Int32Array;
    const nulls = data.nullCount > 0 ? data.nullBitmap : null;
    let prevStart = -1;
    let prevEnd = -1;
    let prevCode = -1;
    for (let i = 0; i < data.length; i++) {
      const row = data.offset + i;
      if (nulls && !(nulls[row >> 3]! & (1 << (row & 7)))) {
        codes[at++] = -1;
        continue;
      }
      const start = offsets[row]!;
      const end = offsets[row + 1]!;
      if (prevCode >= 0 && end - start === prevEnd - prevStart && sameBytes(bytes, start, prevStart, end - start)) {
        codes[at++] = prevCode;
        continue;
      }
      let hash = 2166136261;
      for (let b = start; b < end; b++) hash = Math.imul(hash ^ bytes[b]!, 16777619);
      let bucket = byHash.get(hash);
      let code = -1;
      if (bucket) for (const entry of bucket) if (entry.bytes.length === end - start && sameBytes2(entry.bytes, bytes, start)) code = entry.code;
      if (code < 0) {
        code = values.length;
        values.push(decoder.decode(bytes.subarray(start, end)));
        if (!bucket) byHash.set(hash, (bucket = []));
        bucket.push({bytes: bytes.slice(start, end), code});
      }
      codes[at++] = code;
      [prevStart, prevEnd, prevCode] = [start, end, code];
    }
  }
  return {codes, values};
}

function sameBytes(bytes: Uint8Array, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (bytes[a + k] !== bytes[b + k]) return false;
  return true;
}

function sameBytes2(entry: Uint8Array, bytes: Uint8Array, start: number): boolean {
  for (let k = 0; k < entry.length; k++) if (entry[k] !== bytes[start + k]) return false;
  return true;
}

/** A column of any type as plain JS values (small tables only: units, parameters). */
export function plainColumn(vector: Vector): unknown[] {
  const out = new Array<unknown>(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector.get(i);
  return out;
}
