/**
 * Warm timings: a first run, `warmup` unmeasured runs, then `repetitions` measured ones. When runs are
 * so slow that this would exceed `budgetMs`, fewer (at least `minRepetitions`, and when even that does
 * not fit, no warm-up and as many runs as the budget allows, at least one) and the result says so.
 * Between runs the event loop gets a turn, so each run is its own task (as a slider event would be).
 */

export interface RepeatOptions {
  warmup: number;
  repetitions: number;
  minRepetitions: number;
  budgetMs: number;
}

export interface Measured {
  /** Measured runs (after warm-up). */
  n: number;
  /** True when fewer than the requested repetitions ran because of the time budget. */
  truncated: boolean;
  p50: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
  /** First (cold for this workload) run, before warm-up. */
  firstMs: number;
  samples: number[];
}

export const defaultRepeat: RepeatOptions = {warmup: 3, repetitions: 30, minRepetitions: 5, budgetMs: 25_000};

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const yieldTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function measure(run: (repetition: number) => Promise<void> | void, options: RepeatOptions): Promise<Measured> {
  let t = performance.now();
  await run(0);
  const firstMs = performance.now() - t;
  const slow = firstMs * (options.warmup + options.minRepetitions) > options.budgetMs;
  const warm: number[] = [];
  for (let i = 1; i <= (slow ? 0 : options.warmup); i++) {
    await yieldTurn();
    t = performance.now();
    await run(i);
    warm.push(performance.now() - t);
  }
  const typical = Math.max(warm.length ? percentile([...warm].sort((a, b) => a - b), 50) : firstMs, 1e-3);
  const n = slow
    ? Math.max(1, Math.min(options.minRepetitions, Math.floor(options.budgetMs / typical)))
    : Math.max(options.minRepetitions, Math.min(options.repetitions, Math.floor(options.budgetMs / typical)));
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    await yieldTurn();
    t = performance.now();
    await run(warm.length + 1 + i);
    samples.push(performance.now() - t);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n,
    truncated: n < options.repetitions,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    min: sorted[0]!,
    max: sorted.at(-1)!,
    mean: samples.reduce((s, x) => s + x, 0) / n,
    firstMs,
    samples: samples.map((x) => Math.round(x * 1000) / 1000),
  };
}
