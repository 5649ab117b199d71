/**
 * Interval bounds of non-negative integer unknowns tied by sum relations (whole = Σ parts), tightened
 * until nothing changes: what a reader can conclude about a count that is not published, from the
 * counts that are. Each relation is used in both directions — a whole lies between the sums of its
 * parts' bounds, and a part lies between the whole's bounds minus the other parts' — and a bound that
 * changes re-runs every relation the unknown is in. This is bounds propagation: it finds every value a
 * chain of additions and subtractions of published figures pins (single differences, margins, repeated
 * differences through nested tables), but it may be looser than a linear programme on tables whose
 * relations form cycles (e.g. a two-way table with both margins), so it is a lower bound on what an
 * optimising attacker learns.
 */

export interface SumRelation {
  whole: number;
  parts: readonly number[];
}

export interface Bounds {
  lo: Float64Array;
  hi: Float64Array;
}

/** Tightens `bounds` in place over `relations`; throws when they contradict (a bug in who built them). */
export function propagateBounds(bounds: Bounds, relations: readonly SumRelation[]): void {
  const {lo, hi} = bounds;
  const relationsOf: number[][] = Array.from({length: lo.length}, () => []);
  relations.forEach((r, i) => {
    relationsOf[r.whole]!.push(i);
    for (const p of r.parts) relationsOf[p]!.push(i);
  });
  const queued = new Uint8Array(relations.length).fill(1);
  const queue: number[] = relations.map((_, i) => i);
  const tighten = (v: number, newLo: number, newHi: number) => {
    let changed = false;
    if (newLo > lo[v]!) (lo[v] = newLo), (changed = true);
    if (newHi < hi[v]!) (hi[v] = newHi), (changed = true);
    if (lo[v]! > hi[v]!) throw new Error(`bounds contradict for unknown ${v}: [${lo[v]}, ${hi[v]}]`);
    if (changed)
      for (const r of relationsOf[v]!)
        if (!queued[r]) (queued[r] = 1), queue.push(r);
  };
  // Integer bounds only tighten, so the queue runs dry; it is compacted now and then to bound its memory.
  for (let head = 0; head < queue.length; head++) {
    if (head > 1_000_000) queue.splice(0, head), (head = 0);
    const index = queue[head]!;
    queued[index] = 0;
    const {whole, parts} = relations[index]!;
    let sumLo = 0;
    let sumHiFinite = 0;
    let infinite = 0;
    for (const p of parts) {
      sumLo += lo[p]!;
      if (hi[p] === Infinity) infinite++;
      else sumHiFinite += hi[p]!;
    }
    tighten(whole, sumLo, infinite ? Infinity : sumHiFinite);
    for (const p of parts) {
      // The other parts' largest sum: infinite while any other part is unbounded.
      const othersInfinite = infinite - (hi[p] === Infinity ? 1 : 0);
      const othersHi = othersInfinite ? Infinity : sumHiFinite - (hi[p] === Infinity ? 0 : hi[p]!);
      tighten(p, lo[whole]! - othersHi, hi[whole]! - (sumLo - lo[p]!));
    }
    // Sums computed before a part was tightened are looser, so still sound; the relation is queued again.
  }
}
