/**
 * Reads a printed briefing (PDF) as a leader holds it: pages, each page's text (poppler's pdftotext) and
 * how far down each page the content reaches (pdftoppm), so a test can say which page is mostly empty,
 * which heading is left at a page's foot, and whether the footer carries the page numbers.
 */
import {execFileSync} from "node:child_process";
import {expect} from "vitest";

/** The footer's line: 第 n 页，共 m 页 (CSS page-margin boxes, printed below the content area). */
export const footerPattern = /第\s*(\d+)\s*页，共\s*(\d+)\s*页/;

export function pdfPages(file: string): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file], {encoding: "utf-8"}))![1]);
}

/** Page n's text with the whitespace removed (CJK text wraps anywhere). */
export function pageText(file: string, n: number): string {
  return execFileSync("pdftotext", ["-f", String(n), "-l", String(n), "-layout", file, "-"], {encoding: "utf-8"});
}

const flat = (text: string) => text.replace(/\s+/g, "");

/**
 * How far down page n the content reaches, as a share of the page height: the lowest row with ink above
 * the footer band (the bottom `footerShare` of the page, where the margin boxes print).
 */
export function contentReach(file: string, n: number, footerShare: number): number {
  const pgm = execFileSync("pdftoppm", ["-f", String(n), "-l", String(n), "-r", "20", "-gray", file], {maxBuffer: 1 << 24});
  const [, w, h] = /^P5\s+(\d+)\s+(\d+)\s+\d+\s/.exec(pgm.subarray(0, 40).toString("latin1"))!.map(Number) as [number, number, number];
  const pixels = pgm.subarray(pgm.length - w * h);
  const limit = Math.floor(h * (1 - footerShare));
  let last = 0;
  for (let row = 0; row < limit; row++) if (pixels.subarray(row * w, (row + 1) * w).some((v) => v < 200)) last = row;
  return last / h;
}

/**
 * The checks of issue 15 §3 on a printed briefing: every page but the last at least half filled, every
 * page numbered in its footer, no heading the last thing on its page (its text and what follows it are
 * on one page), and no code id, file path or hash name anywhere in the text but the `allowed` names.
 */
export function expectReadablePrint(file: string, headings: readonly string[], options: {allowed?: readonly string[]} = {}): {pages: number; text: string[]} {
  const pages = pdfPages(file);
  const texts = Array.from({length: pages}, (_, i) => pageText(file, i + 1));
  // The bottom margin is 18 mm of A4's 297 mm: the footer prints there.
  const footerShare = 18 / 297;
  for (let n = 1; n <= pages; n++) {
    const footer = footerPattern.exec(texts[n - 1]!);
    expect(footer, `page ${n} has no page number`).not.toBeNull();
    expect([Number(footer![1]), Number(footer![2])], `page ${n}`).toEqual([n, pages]);
    if (n < pages) expect(contentReach(file, n, footerShare), `page ${n} of ${pages} is more than half empty`).toBeGreaterThan(0.5);
  }
  for (const heading of headings) {
    const h = flat(heading);
    const n = texts.findIndex((t) => flat(t).includes(h));
    expect(n, `heading “${heading}” not in the PDF`).toBeGreaterThanOrEqual(0);
    // What follows the heading on its page, footer taken away: a heading at a page's foot has nothing after it.
    const body = flat(texts[n]!.split("\n").filter((line) => !footerPattern.test(line)).join("\n"));
    const after = body.slice(body.indexOf(h) + h.length);
    expect(after.length, `heading “${heading}” is at the foot of page ${n + 1}`).toBeGreaterThan(12);
  }
  // The planner's own file names are the citation of their data (issue 15), not code names.
  const all = (options.allowed ?? []).reduce((text, name) => text.replaceAll(flat(name), ""), texts.map(flat).join(""));
  for (const [what, pattern] of [
    ["a dotted parameter id", /\b[a-z]+(?:\.[a-z_]+){1,}\b/],
    ["a catalogue id", /\b\d{3}-\d{3}\b/],
    ["a snake_case name", /\b[a-z]+_[a-z_]+\b/],
    ["a hash name", /(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{12,}/],
    ["a file path", /(?:data|src|loaders)\/|\.(?:txt|csv|ya?ml|json|parquet|ts|js)\b/],
  ] as const)
    expect(all.match(pattern)?.[0] ?? null, `${what} in the printed text`).toBeNull();
  return {pages, text: texts};
}
