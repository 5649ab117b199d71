/**
 * Seeded pseudo-random numbers for the demo city: pure, no Math.random, no clock. Every draw comes from
 * a named stream (`rng(seed, "district:甲区")`), so adding a draw to one stream never shifts another —
 * a generator change in the streets leaves the districts' numbers as they were.
 */

/** 32-bit FNV-1a hash of a string: turns a stream name into a seed component. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32 finaliser: spreads nearby integers (seed 1, seed 2) far apart. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A stream of uniform numbers and the few distributions the generator needs. */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** true with probability p. */
  bernoulli(p: number): boolean;
  /** Index drawn with probability proportional to weights[i]. */
  pick(weights: readonly number[]): number;
}

/** A mulberry32 stream for (seed, name). */
export function rng(seed: number, name: string): Rng {
  let state = mix32((seed >>> 0) ^ hashString(name));
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform,
    normal() {
      // 1 − u keeps the logarithm's argument in (0, 1].
      const u = 1 - uniform();
      const v = uniform();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    bernoulli: (p) => uniform() < p,
    pick(weights) {
      const total = weights.reduce((a, b) => a + b, 0);
      let x = uniform() * total;
      for (let i = 0; i < weights.length; i++) {
        x -= weights[i];
        if (x < 0) return i;
      }
      return weights.length - 1;
    },
  };
}

const MASK64 = (1n << 64n) - 1n;

/**
 * A 64-bit key derived from the seed (splitmix64), for the SQL generator: DuckDB draws person-level
 * numbers as hash(key XOR (person_id · streams + stream)), so the seed changes every draw.
 */
export function seedKey64(seed: number, name: string): bigint {
  let z = (BigInt(seed >>> 0) << 32n | BigInt(hashString(name))) + 0x9e3779b97f4a7c15n & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** Logistic function: maps a logit-scale score to a probability. */
export function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Logit: maps a probability in (0, 1) to the real line. */
export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/**
 * Splits an integer total into parts proportional to weights (largest-remainder method), each part at
 * least `min`: the parts always add up to `total` exactly. Ties go to the lower index.
 */
export function apportion(total: number, weights: readonly number[], min = 0): number[] {
  if (!Number.isInteger(total) || total < 0) throw new Error(`apportion: total must be a non-negative integer, got ${total}`);
  if (weights.length === 0) throw new Error("apportion: no weights");
  if (total < min * weights.length) throw new Error(`apportion: total ${total} is below ${min} for each of ${weights.length} parts`);
  const rest = total - min * weights.length;
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) throw new Error("apportion: weights must have a positive sum");
  const exact = weights.map((w) => (rest * w) / sum);
  const parts = exact.map(Math.floor);
  let left = rest - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k++, left--) parts[order[k % order.length][1]]++;
  return parts.map((p) => p + min);
}
