/**
 * An incremental CSV/TSV parser (RFC 4180 plus what Excel writes): comma or tab, quoted fields with
 * doubled quotes, newlines inside quotes, CRLF/LF/CR line ends. Text arrives in chunks (a 100 MB file
 * is never one string); complete records come out with the line they start on. An unclosed quote does
 * not swallow the rest of the file: that record is reported and parsing resumes on the next line.
 */

export type Delimiter = "," | "\t";

export interface CsvRecord {
  /** 1-based physical line the record starts on (what a text editor and Excel show as the row). */
  line: number;
  fields: string[];
  /** The record opened a quote that never closed; its fields are the raw first line, split. */
  unclosedQuote?: boolean;
  /** A closing quote was followed by other characters (`"ab"c`); read leniently as `abc`. */
  strayQuote?: boolean;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Picks comma or tab from the first line (outside quotes): whichever occurs more; comma on a tie. */
export function detectDelimiter(text: string): Delimiter {
  let commas = 0;
  let tabs = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted && (c === LF || c === CR)) break;
    else if (!quoted && c === 44) commas++;
    else if (!quoted && c === 9) tabs++;
  }
  return tabs > commas ? "\t" : ",";
}

export class CsvParser {
  /** Unconsumed text: starts at the current record's first character. */
  private buf = "";
  /** Where scanning resumes inside `buf`. */
  private pos = 0;
  private fields: string[] = [];
  private fieldStart = 0;
  private inQuotes = false;
  /** Pieces of the current quoted field, quotes undoubled. */
  private quoted = "";
  private quotedStart = 0;
  private fieldWasQuoted = false;
  private stray = false;
  /** Line number of `buf[0]` and of the scan position. */
  private recordLine = 1;
  private line = 1;
  private readonly delimiter: number;
  /** A CR ended the last chunk: a following LF belongs to it. */
  private pendingCr = false;

  constructor(delimiter: Delimiter) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Feeds a chunk of text; returns the records completed so far. */
  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.pendingCr && text.charCodeAt(0) === LF) {
      // The CR that ended the last chunk already counted this line break.
      text = text.slice(1);
    }
    this.pendingCr = false;
    this.buf = this.pos === 0 && this.buf.length === 0 ? text : this.buf + text;
    this.scan(out, false);
    return out;
  }

  /** Ends the input; returns the last records (an unterminated last line, or recovery from an unclosed quote). */
  finish(): CsvRecord[] {
    const out: CsvRecord[] = [];
    this.scan(out, true);
    return out;
  }

  private scan(out: CsvRecord[], final: boolean): void {
    const buf = this.buf;
    const n = buf.length;
    const d = this.delimiter;
    let i = this.pos;
    let recordStart = 0;
    while (i < n) {
      if (this.inQuotes) {
        const q = buf.indexOf('"', i);
        if (q < 0) {
          // A CR at the end may be the first half of a CRLF: count it when the next chunk shows.
          const end = !final && buf.charCodeAt(n - 1) === CR ? n - 1 : n;
          this.countLines(buf, i, end);
          i = end;
          break;
        }
        this.countLines(buf, i, q);
        if (q + 1 >= n && !final) {
          // Cannot tell `"` + `"` (escaped) from a closing quote yet: wait for more text.
          i = q;
          break;
        }
        if (buf.charCodeAt(q + 1) === QUOTE) {
          this.quoted += buf.slice(this.quotedStart, q + 1);
          i = q + 2;
          this.quotedStart = i;
          continue;
        }
        this.quoted += buf.slice(this.quotedStart, q);
        this.inQuotes = false;
        i = q + 1;
        this.fieldStart = i;
        continue;
      }
      const c = buf.charCodeAt(i);
      if (c === d) {
        this.fields.push(this.takeField(buf, i));
        i++;
        this.fieldStart = i;
        this.fieldWasQuoted = false;
      } else if (c === LF || c === CR) {
        if (c === CR && i + 1 >= n && !final) {
          // A CRLF may be cut between chunks.
          this.pendingCr = true;
        }
        this.fields.push(this.takeField(buf, i));
        const end = c === CR && buf.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
        out.push(this.emit());
        this.line++;
        i = end;
        recordStart = i;
        this.recordLine = this.line;
        this.fieldStart = i;
      } else if (c === QUOTE && i === this.fieldStart && !this.fieldWasQuoted) {
        this.inQuotes = true;
        this.fieldWasQuoted = true;
        this.quoted = "";
        i++;
        this.quotedStart = i;
      } else {
        i++;
      }
    }
    if (final) {
      if (this.inQuotes) {
        this.recoverUnclosed(buf.slice(recordStart), out);
        return;
      }
      if (this.fieldStart < n || this.fields.length > 0 || this.fieldWasQuoted) {
        this.fields.push(this.takeField(buf, n));
        out.push(this.emit());
      }
      this.buf = "";
      this.pos = 0;
      return;
    }
    // Keep only the current record's text; positions shift by recordStart.
    this.buf = buf.slice(recordStart);
    this.pos = i - recordStart;
    this.fieldStart -= recordStart;
    this.quotedStart -= recordStart;
  }

  private countLines(buf: string, from: number, to: number): void {
    for (let k = from; k < to; k++) {
      const c = buf.charCodeAt(k);
      if (c === LF) this.line++;
      else if (c === CR && buf.charCodeAt(k + 1) !== LF) this.line++;
    }
  }

  private takeField(buf: string, end: number): string {
    if (!this.fieldWasQuoted) return buf.slice(this.fieldStart, end);
    // `"ab"` then maybe trailing text before the delimiter (`"ab"c`): keep it, note it.
    const tail = buf.slice(this.fieldStart, end);
    if (tail.length) this.stray = true;
    return this.quoted + tail;
  }

  private emit(): CsvRecord {
    const record: CsvRecord = {line: this.recordLine, fields: this.fields};
    if (this.stray) record.strayQuote = true;
    this.fields = [];
    this.fieldWasQuoted = false;
    this.stray = false;
    return record;
  }

  /**
   * The text from the record's start to the end of input never closed its quote. Report the record's
   * first physical line (split naively, quotes as text) and parse what follows it afresh.
   */
  private recoverUnclosed(text: string, out: CsvRecord[]): void {
    const startLine = this.recordLine;
    const m = /\r\n|\n|\r/.exec(text);
    const firstLine = m ? text.slice(0, m.index) : text;
    const rest = m ? text.slice(m.index + m[0].length) : "";
    out.push({line: startLine, fields: firstLine.split(String.fromCharCode(this.delimiter)), unclosedQuote: true});
    const parser = new CsvParser(String.fromCharCode(this.delimiter) as Delimiter);
    parser.line = parser.recordLine = startLine + 1;
    if (rest.length) {
      out.push(...parser.push(rest));
      out.push(...parser.finish());
    }
    this.buf = "";
    this.pos = 0;
    this.inQuotes = false;
  }
}

/** Parses a whole CSV/TSV text (delimiter detected unless given). */
export function parseCsv(text: string, delimiter: Delimiter = detectDelimiter(text)): CsvRecord[] {
  const parser = new CsvParser(delimiter);
  return [...parser.push(text), ...parser.finish()];
}
