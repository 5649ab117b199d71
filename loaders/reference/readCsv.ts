/** A CSV data row: its 1-based number (header not counted) and its cells by column name. */
export interface CsvRow {
  row: number;
  cells: Record<string, string>;
}

/** A CSV file that breaks the format: which file, which row, what is wrong. */
export class CsvFormatError extends Error {
  constructor(readonly file: string, readonly row: number, readonly rule: string) {
    super(`${file} row ${row}: ${rule}`);
  }
}

/**
 * Parses RFC 4180 CSV (comma-separated, `"` quoting, `""` for a quote inside quotes, LF or CRLF). Every
 * row must have as many cells as the header, so a stray comma stops the build instead of shifting a
 * column; the header must name each column once.
 */
export function parseCsv(text: string, file: string): {columns: string[]; rows: CsvRow[]} {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endCell = () => {
    record.push(cell);
    cell = "";
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') {
      if (cell !== "") throw new CsvFormatError(file, records.length, "a quote inside an unquoted cell");
      quoted = true;
    } else if (c === ",") endCell();
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endCell();
      records.push(record);
      record = [];
    } else cell += c;
  }
  if (quoted) throw new CsvFormatError(file, records.length, "a quoted cell is never closed");
  if (cell !== "" || record.length) {
    endCell();
    records.push(record);
  }

  const [columns, ...data] = records;
  if (!columns) throw new CsvFormatError(file, 0, "the file is empty");
  const seen = new Set<string>();
  for (const name of columns) {
    if (!name || seen.has(name)) throw new CsvFormatError(file, 0, `header column ${JSON.stringify(name)} is empty or repeated`);
    seen.add(name);
  }
  return {
    columns,
    rows: data.map((cells, index) => {
      if (cells.length !== columns.length) throw new CsvFormatError(file, index + 1, `${cells.length} cells where the header has ${columns.length}`);
      return {row: index + 1, cells: Object.fromEntries(columns.map((name, j) => [name, cells[j]]))};
    }),
  };
}
