import {readFileSync} from "node:fs";
import {join} from "node:path";
import type {SourceRow} from "../../src/schemas/sources.js";
import type {CatalogueCheck} from "../figures/checkCatalogue.js";
import {codePointOffset} from "./normaliseText.js";
import {readSources, sourcesDir} from "./readSources.js";

/** Descriptions of the documents: the `| file | what it is |` table of data/sources/README.md. */
export function readDescriptions(dir = sourcesDir): Map<string, string> {
  const rows = readFileSync(join(dir, "README.md"), "utf8").split("\n").map((line) => /^\|\s*(\d{3}_[0-9a-f]+\.txt)\s*\|\s*(.+?)\s*\|\s*$/.exec(line));
  return new Map(rows.filter((m): m is RegExpExecArray => m !== null).map((m) => [m[1], m[2]]));
}

/** One row per document: description, lengths, annotations removed and the catalogue's coverage of it. */
export function sourceRows(check: CatalogueCheck, dir = sourcesDir): SourceRow[] {
  const descriptions = readDescriptions(dir);
  const coverage = new Map(check.documents.map((d) => [d.document, d]));
  return readSources(dir).map((source) => {
    const doc = coverage.get(source.document);
    const title = descriptions.get(source.document);
    if (!doc) throw new Error(`${source.document}: not in the catalogue check`);
    if (!title) throw new Error(`${source.document}: no description in data/sources/README.md`);
    return {
      document: source.document,
      title,
      original_chars: codePointOffset(source.original, source.original.length),
      normalised_chars: codePointOffset(source.text, source.text.length),
      annotations_removed: source.removed,
      numbers: doc.numbers,
      covered: doc.covered,
      coverage: doc.numbers ? doc.covered / doc.numbers : null,
      figures: doc.figures,
      ignored: doc.ignored,
    };
  });
}
