import {z} from "zod";

/** Codebook metadata carried by every dataset column (read by the codebook generator and the UI). */
export interface ColumnMeta {
  /** Chinese label shown in the UI and the codebook. */
  zh: string;
  /** English label. */
  en: string;
  /** Unit of measure, e.g. "persons", "CNY per year", "share 0–1", "m²"; omit for codes and text. */
  unit?: string;
  /** One sentence on what the column holds and how it is derived. */
  description: string;
}

/** Attaches codebook metadata to a column schema; zod keeps it in its global registry (`schema.meta()`). */
export function column<T extends z.ZodType>(schema: T, meta: ColumnMeta): T {
  return schema.meta({...meta}) as T;
}

/** Reads the codebook metadata of a column schema, failing loudly when a column lacks it. */
export function columnMeta(schema: z.ZodType, name: string): ColumnMeta {
  const meta = schema.meta() as Partial<ColumnMeta> | undefined;
  if (!meta?.zh || !meta.en || !meta.description) throw new Error(`column ${name} has no codebook metadata`);
  return {zh: meta.zh, en: meta.en, unit: meta.unit, description: meta.description};
}

/** A dataset: its name, zh/en title, row schema and the columns its Parquet file is sorted by. */
// The default shape is loose so that any concrete Dataset<Shape> is assignable to `Dataset` (zod objects are invariant in their shape).
export interface Dataset<Shape extends z.ZodRawShape = z.core.$ZodLooseShape> {
  name: string;
  title: {zh: string; en: string};
  description: string;
  row: z.ZodObject<Shape>;
  sortKey: (keyof Shape & string)[];
}

export function dataset<Shape extends z.ZodRawShape>(d: Dataset<Shape>): Dataset<Shape> {
  return d;
}
