/** The bad-input corpus (tests/fixtures/bad/cases.yaml), read for the Node and browser tests. */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {parse} from "yaml";

export const fixturesDir = join(import.meta.dirname, "..", "fixtures");
export const badDir = join(fixturesDir, "bad");

type ProblemSpec = [string, number | null, string?];

export interface Case {
  file: string;
  about?: string;
  with?: string[];
  error?: string;
  encoding?: string;
  units?: [number, number, number];
  persons?: [number, number, number];
  blank?: number;
  errors?: ProblemSpec[];
  errorRules?: string[];
  warnings?: ProblemSpec[];
  pii?: [string, string, string][];
  notes?: string[];
  values?: {unit?: string; person?: number; field: string; equals: unknown}[];
}

export const cases: Case[] = parse(readFileSync(join(badDir, "cases.yaml"), "utf-8")) as Case[];

/** The files a case imports, with (name, path): the case's own file last. */
export function caseFiles(c: Case): {name: string; path: string}[] {
  return [...(c.with ?? []).map((p) => ({name: p.split("/").pop()!, path: join(fixturesDir, p)})), {name: c.file, path: join(badDir, c.file)}];
}
