/** A value bound to a SQL parameter (`?`): never concatenated into the SQL text. */
export type SqlValue = string | number | boolean | null;

/** A row as the engine sees it: BIGINT and HUGEINT arrive as JS numbers, DATE as ISO strings. */
export type Row = Record<string, unknown>;

/**
 * The engine's only dependency on a database: DuckDB in Node (`@duckdb/node-api`) or in the
 * browser (DuckDB-WASM). Adapters bind `params` to `?` placeholders in order.
 */
export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
}
