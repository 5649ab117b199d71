import {ImportError} from "./rules.js";

/**
 * Text decoding for uploaded files: UTF-8 (with or without BOM), UTF-16 LE/BE (BOM, or guessed from
 * the zero bytes of ASCII characters), and GBK/GB18030 — what Chinese Excel saves as "CSV". Uses the
 * TextDecoder both hosts ship; every decoder is fatal, so a wrong guess fails loudly instead of
 * producing mojibake.
 */

export type Encoding = "utf-8" | "utf-16le" | "utf-16be" | "gb18030";

export interface EncodingGuess {
  encoding: Encoding;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
  /** What the planner is told, e.g. "UTF-8（带 BOM）". */
  label: string;
}

/** What kind of file the first bytes say this is, whatever its name. */
export type FileKind = "xlsx" | "xls" | "text" | "empty";

export function sniffFileKind(head: Uint8Array): FileKind {
  if (head.length === 0) return "empty";
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return "xlsx";
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return "xls";
  return "text";
}

function zeroShare(bytes: Uint8Array, parity: 0 | 1): number {
  let zeros = 0;
  let count = 0;
  for (let i = parity; i < bytes.length; i += 2, count++) if (bytes[i] === 0) zeros++;
  return count ? zeros / count : 0;
}

/** Whether the bytes are valid UTF-8, allowing a character cut at the end of the sample. */
function isUtf8(sample: Uint8Array, complete: boolean): boolean {
  try {
    new TextDecoder("utf-8", {fatal: true}).decode(sample, {stream: !complete});
    return true;
  } catch {
    return false;
  }
}

/**
 * Guesses the encoding from the first bytes of a file (a sample of up to a few hundred kB).
 * `complete` says the sample is the whole file (so a cut character at its end is an error).
 */
export function sniffEncoding(head: Uint8Array, complete = false): EncodingGuess {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return {encoding: "utf-8", bomLength: 3, label: "UTF-8（带 BOM）"};
  if (head[0] === 0xff && head[1] === 0xfe) return {encoding: "utf-16le", bomLength: 2, label: "UTF-16 LE（带 BOM）"};
  if (head[0] === 0xfe && head[1] === 0xff) return {encoding: "utf-16be", bomLength: 2, label: "UTF-16 BE（带 BOM）"};
  const sample = head.subarray(0, 4096);
  if (sample.length >= 4) {
    // ASCII text in UTF-16 has a zero in every other byte; real text in any 8-bit encoding has none.
    const even = zeroShare(sample, 0);
    const odd = zeroShare(sample, 1);
    if (odd > 0.3 && even < 0.05) return {encoding: "utf-16le", bomLength: 0, label: "UTF-16 LE（无 BOM，按字节规律判断）"};
    if (even > 0.3 && odd < 0.05) return {encoding: "utf-16be", bomLength: 0, label: "UTF-16 BE（无 BOM，按字节规律判断）"};
  }
  if (head.includes(0)) throw new ImportError("binary_file", NUL_DETAIL);
  if (isUtf8(head, complete)) return {encoding: "utf-8", bomLength: 0, label: "UTF-8（无 BOM）"};
  try {
    new TextDecoder("gb18030", {fatal: true}).decode(head, {stream: !complete});
  } catch {
    throw new ImportError("unknown_encoding");
  }
  return {encoding: "gb18030", bomLength: 0, label: "GBK/GB18030（中文 Excel 常用）"};
}

/** Control characters text files do not contain (tab, newlines and form feed excepted). */
const CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/g;

/** Fails on decoded text that is really a binary file (many control characters). */
export function assertTextLike(text: string): void {
  if (text.length === 0) return;
  const controls = text.match(CONTROL)?.length ?? 0;
  if (controls > 0 && controls / text.length > 0.001) throw new ImportError("binary_file", `含 ${controls} 个控制字符`);
}

export const NUL_DETAIL = "文件中有零字节（NUL）";

/**
 * A streaming decoder for one file: feed byte chunks in order, get text. A fatal decoding error is
 * an ImportError (mixed encodings, or not text at all).
 */
export class ChunkDecoder {
  private readonly decoder: TextDecoder;
  private first = true;

  constructor(readonly guess: EncodingGuess) {
    this.decoder = new TextDecoder(guess.encoding, {fatal: true, ignoreBOM: true});
  }

  decode(bytes: Uint8Array, final: boolean): string {
    const chunk = this.first ? bytes.subarray(this.guess.bomLength) : bytes;
    this.first = false;
    let text: string;
    try {
      text = this.decoder.decode(chunk, {stream: !final});
    } catch {
      throw new ImportError(this.guess.encoding === "utf-8" ? "mixed_encoding" : "unknown_encoding", `按 ${this.guess.label} 解码失败`);
    }
    // A text file has no NUL character anywhere, not only in the first bytes sniffed: past them it
    // would reach names and the database as an invisible character.
    if (text.includes("\u0000")) throw new ImportError("binary_file", NUL_DETAIL);
    return text;
  }
}

/** Decodes a whole file at once (small files, tests): the text and the encoding used. */
export function decodeBytes(bytes: Uint8Array): {text: string; guess: EncodingGuess} {
  if (bytes.length === 0) throw new ImportError("empty_file");
  const guess = sniffEncoding(bytes, true);
  const text = new ChunkDecoder(guess).decode(bytes, true);
  assertTextLike(text);
  return {text, guess};
}
