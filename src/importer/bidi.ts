/**
 * Bidirectional formatting characters (U+202A–202E embeddings and overrides, U+2066–2069 isolates,
 * and the marks U+200E, U+200F, U+061C): invisible in a cell, but kept in a unit name they reorder the
 * text shown beside it — "共 12 个社区" after a name ending in U+202E reads "共 21 个社区". No name of a
 * Chinese unit needs them, so the importer removes them from every text cell and every unit name.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}

export function hasBidiControls(text: string): boolean {
  return /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/.test(text);
}
