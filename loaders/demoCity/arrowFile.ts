import {createWriteStream} from "node:fs";
import {pipeline} from "node:stream/promises";
import {Bool, Field, Float64, Int32, RecordBatch, RecordBatchFileWriter, Schema, Struct, Utf8, makeData, vectorFromArray, type Data, type DataType} from "apache-arrow";
import type {DuckDBVector} from "@duckdb/node-api";
import type {z} from "zod";
import type {Dataset} from "../../src/schemas/column.js";
import {columnTypes, type ColumnType} from "../../src/schemas/columnTypes.js";
import {quoteIdentifier} from "../../src/engine/sql.js";
import type {NodeDuckDB} from "../duckdbNode.js";

/** Rows per Arrow record batch: large enough that readers concatenate few batches. */
const BATCH_ROWS = 1 << 20;

const arrowType: Record<ColumnType, () => DataType> = {
  VARCHAR: () => new Utf8(),
  INTEGER: () => new Int32(),
  DOUBLE: () => new Float64(),
  BOOLEAN: () => new Bool(),
};

/**
 * Nullable booleans and doubles travel from DuckDB without a null mask — booleans as small integers
 * (0 false, 1 true, 2 null), doubles with NaN for null (no schema admits NaN) — because reading a null
 * mask costs a BigInt operation per value in @duckdb/node-api, which made them the slowest columns.
 */
const BOOLEAN_CODE = {false: 0, true: 1, null: 2} as const;
const transport: Partial<Record<ColumnType, (column: string) => string>> = {
  BOOLEAN: (column) => `CAST(coalesce(CAST(${column} AS TINYINT), ${BOOLEAN_CODE.null}) AS UTINYINT)`,
  DOUBLE: (column) => `coalesce(${column}, CAST('NaN' AS DOUBLE))`,
};

/** Collects one column's values for a batch, straight into Arrow buffers (no per-value objects). */
class ColumnBuilder {
  private length = 0;
  private nullCount = 0;
  private validity: Uint8Array;
  private values: Int32Array | Float64Array | Uint8Array;
  private offsets: Int32Array | null = null;
  private bytes: Uint8Array[] = [];
  private byteLength = 0;
  private readonly encoded = new Map<string, Uint8Array>();
  private readonly encoder = new TextEncoder();

  constructor(readonly type: ColumnType, private readonly capacity: number) {
    this.validity = new Uint8Array(Math.ceil(capacity / 8));
    this.values = this.newValues();
    if (type === "VARCHAR") this.offsets = new Int32Array(capacity + 1);
  }

  private newValues() {
    if (this.type === "INTEGER") return new Int32Array(this.capacity);
    if (this.type === "DOUBLE") return new Float64Array(this.capacity);
    if (this.type === "BOOLEAN") return new Uint8Array(Math.ceil(this.capacity / 8));
    return new Uint8Array(0);
  }

  append(vector: DuckDBVector, rows: number): void {
    for (let r = 0; r < rows; r++) {
      const i = this.length++;
      const value = vector.getItem(r);
      if (value === null || (this.type === "BOOLEAN" && value === BOOLEAN_CODE.null) || (this.type === "DOUBLE" && Number.isNaN(value))) {
        this.nullCount++;
        if (this.offsets) this.offsets[i + 1] = this.byteLength;
        continue;
      }
      this.validity[i >> 3] |= 1 << (i & 7);
      if (this.type === "VARCHAR") {
        const text = value as string;
        let utf8 = this.encoded.get(text);
        if (!utf8) {
          utf8 = this.encoder.encode(text);
          // Low-cardinality columns (codes, categories) repeat; keep the cache bounded for names.
          if (this.encoded.size < 1 << 16) this.encoded.set(text, utf8);
        }
        this.bytes.push(utf8);
        this.byteLength += utf8.length;
        this.offsets![i + 1] = this.byteLength;
      } else if (this.type === "BOOLEAN") {
        if (value === BOOLEAN_CODE.true) (this.values as Uint8Array)[i >> 3] |= 1 << (i & 7);
      } else (this.values as Int32Array | Float64Array)[i] = value as number;
    }
  }

  get rows(): number {
    return this.length;
  }

  /** The batch's Arrow data; the builder starts a new batch. */
  flush(): Data {
    const length = this.length;
    const common = {type: arrowType[this.type](), length, nullCount: this.nullCount, nullBitmap: this.nullCount ? this.validity.slice(0, Math.ceil(length / 8)) : undefined};
    let data: Data;
    if (this.type === "VARCHAR") {
      const buffer = new Uint8Array(this.byteLength);
      let at = 0;
      for (const b of this.bytes) {
        buffer.set(b, at);
        at += b.length;
      }
      data = makeData({...common, type: new Utf8(), valueOffsets: this.offsets!.slice(0, length + 1), data: buffer});
    } else if (this.type === "BOOLEAN") data = makeData({...common, type: new Bool(), data: (this.values as Uint8Array).slice(0, Math.ceil(length / 8))});
    else if (this.type === "INTEGER") data = makeData({...common, type: new Int32(), data: (this.values as Int32Array).slice(0, length)});
    else data = makeData({...common, type: new Float64(), data: (this.values as Float64Array).slice(0, length)});
    this.length = 0;
    this.nullCount = 0;
    this.validity.fill(0);
    this.values = this.newValues();
    this.bytes = [];
    this.byteLength = 0;
    return data;
  }
}

/**
 * Writes the result of a query to an Arrow IPC file, streamed in record batches of about a million
 * rows, with the column types the dataset's schema gives (the same types `toArrowIPC` writes). The
 * query must return the dataset's columns (read by name); returns the number of rows written.
 */
export async function writeArrowFile<Shape extends z.ZodRawShape>(db: NodeDuckDB, dataset: Dataset<Shape>, sql: string, path: string): Promise<number> {
  const columns = columnTypes(dataset.row as unknown as z.ZodObject);
  // Every field nullable, as toArrowIPC declares them, so both writers give the same schema.
  const schema = new Schema(columns.map((c) => new Field(c.name, arrowType[c.type](), true)));
  const writer = new RecordBatchFileWriter();
  const written = pipeline(writer.toNodeStream(), createWriteStream(path));
  const select = columns.map((c) => `${transport[c.type]?.(quoteIdentifier(c.name)) ?? quoteIdentifier(c.name)} AS ${quoteIdentifier(c.name)}`).join(", ");
  const result = await db.connection.stream(`SELECT ${select} FROM (${sql})`);

  const builders = columns.map((c) => new ColumnBuilder(c.type, BATCH_ROWS + 4096));
  let total = 0;
  const emit = () => {
    const rows = builders[0].rows;
    if (rows === 0) return;
    const children = builders.map((b) => b.flush());
    writer.write(new RecordBatch(schema, makeData({type: new Struct(schema.fields), length: rows, nullCount: 0, children})));
    total += rows;
  };
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const rows = chunk.rowCount;
    builders.forEach((b, i) => b.append(chunk!.getColumnVector(i), rows));
    if (builders[0].rows >= BATCH_ROWS) emit();
  }
  emit();
  // An empty result still gets a valid file with the schema.
  if (total === 0) writer.write(new RecordBatch(schema, makeData({type: new Struct(schema.fields), length: 0, nullCount: 0, children: columns.map((c) => vectorFromArray([], arrowType[c.type]()).data[0])})));
  writer.finish();
  await written;
  return total;
}
