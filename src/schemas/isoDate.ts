/**
 * True for a real calendar date written YYYY-MM-DD (2026-02-30 is not). Kept apart from the zod
 * schemas (parameters.ts re-exports it) so the engine's date checks do not load zod into a page.
 */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
