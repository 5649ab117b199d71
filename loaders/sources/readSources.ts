import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {normaliseText, type NormalisedText} from "./normaliseText.js";

/** The committed source documents (data/sources/), whatever the working directory. */
export const sourcesDir = fileURLToPath(new URL("../../data/sources/", import.meta.url));

/** One source document: its file name (the document id used everywhere) and its texts. */
export interface SourceDocument extends NormalisedText {
  /** File name, e.g. `004_f20733b96c2a913c.txt`. */
  document: string;
}

/** Reads one document and normalises it. */
export function readSource(document: string, dir = sourcesDir): SourceDocument {
  return {document, ...normaliseText(readFileSync(join(dir, document), "utf8"))};
}

/** File names of the source documents (`*.txt`), in name order. */
export function listSources(dir = sourcesDir): string[] {
  return readdirSync(dir).filter((name) => name.endsWith(".txt")).sort();
}

/** Reads every source document, in name order. */
export function readSources(dir = sourcesDir): SourceDocument[] {
  return listSources(dir).map((document) => readSource(document, dir));
}
