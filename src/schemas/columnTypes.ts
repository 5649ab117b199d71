import type {z} from "zod";

/** The storage type of a column, derived from its zod schema: one mapping for Parquet, Arrow and SQL. */
export type ColumnType = "VARCHAR" | "INTEGER" | "DOUBLE" | "BOOLEAN";

interface ZodIntrospect {
  def: {type: string};
  unwrap?: () => ZodIntrospect;
  isInt?: boolean;
}

export function columnType(schema: z.ZodType): {type: ColumnType; nullable: boolean} {
  let node = schema as unknown as ZodIntrospect;
  let nullable = false;
  while (node.def.type === "nullable" || node.def.type === "optional") {
    nullable = true;
    node = node.unwrap!();
  }
  switch (node.def.type) {
    case "string":
    case "enum":
    case "literal":
      return {type: "VARCHAR", nullable};
    case "number":
      return {type: node.isInt ? "INTEGER" : "DOUBLE", nullable};
    case "boolean":
      return {type: "BOOLEAN", nullable};
    default:
      throw new Error(`no storage type for zod type ${node.def.type}`);
  }
}

/** Column names and storage types of a row schema, in declaration order. */
export function columnTypes(row: z.ZodObject): {name: string; type: ColumnType; nullable: boolean}[] {
  return Object.entries(row.shape).map(([name, schema]) => ({name, ...columnType(schema as z.ZodType)}));
}
