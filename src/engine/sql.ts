/** Quotes a SQL identifier (table or column name) for DuckDB: the one way a name enters SQL text. */
export function quoteIdentifier(name: string): string {
  if (name.length === 0) throw new Error("empty SQL identifier");
  if (name.includes("\u0000")) throw new Error("SQL identifier contains a NUL character");
  return `"${name.replaceAll('"', '""')}"`;
}

/** Placeholders for a list of bound values, e.g. `?, ?, ?` for an IN list. */
export function placeholders(count: number): string {
  if (!Number.isInteger(count) || count < 1) throw new Error(`placeholder count must be a positive integer, got ${count}`);
  return Array.from({length: count}, () => "?").join(", ");
}
