/**
 * The disclosure audit (小数推算审计), run at build time on everything published about a real city's
 * persons (disclosureModel.ts): the published figures as one system of sum relations, and for every
 * count that is not published the interval a reader can narrow it to (linearBounds.ts). A count is
 * *disclosed* when that interval lies within 1 … T − 1: the reader learns that between 1 and T − 1
 * persons share the cell. Two kinds are checked:
 * - a cell: any unpublished cell of any table the publication touches (a pooled cube cell, a
 *   suppressed summary count, the complement of a published count, a small community's total);
 * - a remainder: for every relation whole = Σ parts, the parts not published together — what
 *   "whole − Σ published parts" gives (7 视力 in the category slice, 6 with dibao_eligible = false:
 *   1 person is eligible or unknown, though neither cell alone is pinned).
 * Attack class covered: every conclusion reachable by repeated additions and subtractions of
 * published figures, with "a summary row holds ≥ 1 person", "a missing row holds none" and counts
 * ≥ 0 (interval propagation to a fixed point). Not covered: bounds only a linear programme over
 * cyclic tables would find, and knowledge from outside the publication.
 */
import {propagateBounds, type Bounds} from "./linearBounds.js";
import type {DisclosureModel} from "./disclosureModel.js";

export interface Disclosure {
  kind: "cell" | "remainder";
  label: string;
  lo: number;
  hi: number;
  /** The unknown (cell) or the relation (remainder). */
  at: number;
}

/** True when the unknown is published (a figure not hidden, or a fixed total). */
export type PublishedTest = (v: number) => boolean;

export function publishedIn(model: DisclosureModel, hidden: Uint8Array = new Uint8Array(model.size)): PublishedTest {
  return (v) => model.fixed[v] === 1 || (model.refs[v]!.length > 0 && hidden[v] !== 1);
}

/** The bounds a reader of the published figures reaches. */
export function readerBounds(model: DisclosureModel, published: PublishedTest): Bounds {
  const lo = new Float64Array(model.size);
  const hi = new Float64Array(model.size);
  for (let v = 0; v < model.size; v++) {
    lo[v] = published(v) ? model.truth[v]! : model.floor[v]!;
    hi[v] = published(v) ? model.truth[v]! : Infinity;
  }
  const bounds = {lo, hi};
  propagateBounds(bounds, model.relations);
  return bounds;
}

/** Every disclosed cell and remainder (empty: the publication is safe against the class above). */
export function findDisclosures(model: DisclosureModel, threshold: number, published: PublishedTest, bounds = readerBounds(model, published)): Disclosure[] {
  const small = (lo: number, hi: number) => lo >= 1 && hi <= threshold - 1;
  const found: Disclosure[] = [];
  for (let v = 0; v < model.size; v++) if (!published(v) && small(bounds.lo[v]!, bounds.hi[v]!)) found.push({kind: "cell", label: model.label(v), lo: bounds.lo[v]!, hi: bounds.hi[v]!, at: v});
  model.relations.forEach(({whole, parts}, r) => {
    const hidden = parts.filter((p) => !published(p));
    if (hidden.length < 2) return;
    const seen = parts.reduce((s, p) => s + (published(p) ? model.truth[p]! : 0), 0);
    const lo = Math.max(hidden.reduce((s, p) => s + bounds.lo[p]!, 0), bounds.lo[whole]! - seen);
    const hi = Math.min(hidden.reduce((s, p) => s + bounds.hi[p]!, 0), bounds.hi[whole]! - seen);
    if (small(lo, hi)) found.push({kind: "remainder", label: `${model.label(whole)} 减去已公布的细分`, lo, hi, at: r});
  });
  return found;
}

export class DisclosureError extends Error {}

/** The build's check: throws, in Chinese, naming the first disclosed counts and their intervals. */
export function assertNoDisclosure(model: DisclosureModel, threshold: number, published: PublishedTest): void {
  const found = findDisclosures(model, threshold, published);
  if (!found.length) return;
  const examples = found.slice(0, 5).map((d) => `${d.label}（可推算为 ${d.lo === d.hi ? d.lo : `${d.lo}–${d.hi}`} 人）`);
  throw new DisclosureError(
    `小数保护审计未通过：${found.length} 个未公布的人数可由已公布的数相加减推算到 1–${threshold - 1} 人，例如 ${examples.join("；")}` +
      ` — disclosure audit failed: ${found.length} count(s) recoverable below the threshold ${threshold}`,
  );
}
