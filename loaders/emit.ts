import type {z} from "zod";
import type {Dataset} from "../src/schemas/column.js";
import {toArrowIPC, toParquet, validateRows} from "./writeDataset.js";

export type EmitFormat = "parquet" | "arrow" | "json";

/** Encodes a dataset's rows in a format; every format validates against the dataset's schema first. */
export async function encodeDataset<S extends z.ZodRawShape>(dataset: Dataset<S>, rows: readonly unknown[], format: EmitFormat, file = dataset.name): Promise<Uint8Array> {
  if (format === "parquet") return toParquet(dataset, rows, file);
  const valid = validateRows(dataset, rows, file) as Record<string, unknown>[];
  if (format === "arrow") return toArrowIPC(dataset, valid);
  return new TextEncoder().encode(JSON.stringify(valid));
}

/**
 * The body of a Framework data loader (`src/data/<name>.<format>.ts`): validate, encode, write to
 * stdout. A validation error exits non-zero with the file/row/column/rule list, so the build fails.
 */
export async function emitDataset<S extends z.ZodRawShape>(dataset: Dataset<S>, rows: readonly unknown[] | Promise<readonly unknown[]>, format: EmitFormat): Promise<void> {
  const bytes = await encodeDataset(dataset, await rows, format);
  await new Promise<void>((resolve, reject) => process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())));
}
