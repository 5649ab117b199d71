import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import type {Queryable, Row, SqlValue} from "../src/engine/queryable.js";

/** Converts what DuckDB's JS conversion returns into the engine's plain row values. */
function normaliseValue(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(normaliseValue);
  return value;
}

/** The engine's Queryable over `@duckdb/node-api`. */
export class NodeDuckDB implements Queryable {
  private constructor(readonly instance: DuckDBInstance, readonly connection: DuckDBConnection) {}

  /** Opens an in-memory database; one thread by default so written files are byte-identical run to run. */
  static async open(options: {threads?: number} = {}): Promise<NodeDuckDB> {
    const instance = await DuckDBInstance.create(":memory:", {threads: String(options.threads ?? 1)});
    return new NodeDuckDB(instance, await instance.connect());
  }

  async query<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params.length ? [...params] as never : undefined);
    return reader.getRowObjectsJS().map((row) => {
      const out: Row = {};
      for (const [key, value] of Object.entries(row)) out[key] = normaliseValue(value);
      return out as T;
    });
  }

  /** Runs statements that return nothing (DDL, COPY). */
  async run(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    await this.connection.run(sql, params.length ? [...params] as never : undefined);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
