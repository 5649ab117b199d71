/**
 * Compares two contenders' answers: same keys, same order, strings and integers equal, floating-point
 * sums equal to a relative 1e-9 (SQL and a loop add in different orders). Returns the differences, at
 * most `limit`, each naming the path, so a failed run says where the answers part.
 */
export function differences(expected: unknown, actual: unknown, limit = 10, path = "$", out: string[] = []): string[] {
  if (out.length >= limit) return out;
  if (typeof expected === "number" && typeof actual === "number") {
    const scale = Math.max(1, Math.abs(expected), Math.abs(actual));
    if (!(Math.abs(expected - actual) <= 1e-9 * scale)) out.push(`${path}: expected ${expected}, got ${actual}`);
    return out;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) out.push(`${path}: expected ${expected.length} items, got ${actual.length}`);
    for (let i = 0; i < Math.min(expected.length, actual.length); i++) differences(expected[i], actual[i], limit, `${path}[${i}]`, out);
    return out;
  }
  if (expected && actual && typeof expected === "object" && typeof actual === "object") {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of keys) differences((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], limit, `${path}.${k}`, out);
    return out;
  }
  if (expected !== actual) out.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  return out;
}
