import type {StoredCity} from "./storedCityRecord.js";

/**
 * 仅在本标签页使用: an imported city kept only in the import page's memory, never in IndexedDB,
 * localStorage or sessionStorage (Chromium writes sessionStorage to disk for session restore, and it
 * holds only a few MB). Pages are separate documents, so another page can use it only while the import
 * page that holds it stays open, and only if that page opened it (its `window.opener`): the import page's
 * links to the gap explorer and the budget sandbox open them in new tabs for that reason. Closing,
 * reloading or leaving the import page drops the city.
 */

/** The property of the import page's window that holds the city (read by the tabs it opened). */
const HOLDER = "__dpfSessionCity";

type Holder = {[HOLDER]?: StoredCity};

/** Keeps the city in this page's memory (replacing any earlier one), for this page and the tabs it opens. */
export function holdSessionCity(city: StoredCity): void {
  (window as unknown as Holder)[HOLDER] = city;
}

export function dropSessionCity(): void {
  delete (window as unknown as Holder)[HOLDER];
}

/** The city this page holds itself, if any. */
export function ownSessionCity(): StoredCity | null {
  return typeof window === "undefined" ? null : ((window as unknown as Holder)[HOLDER] ?? null);
}

/**
 * The session-only city of this deployment: held by this page, or by the still-open import page that
 * opened this tab. The opener's objects belong to its window, so the bytes are copied into this one.
 */
export function sessionCity(base: string): StoredCity | null {
  if (typeof window === "undefined") return null;
  const own = ownSessionCity();
  if (own) return own.base === base ? own : null;
  try {
    const opener = window.opener as (Window & Holder) | null;
    if (!opener || opener.closed) return null;
    const held = opener[HOLDER];
    if (!held || held.base !== base) return null;
    const tables = Object.fromEntries(Object.entries(held.tables).map(([name, bytes]) => [name, new Uint8Array(bytes)]));
    return {...(JSON.parse(JSON.stringify({...held, tables: {}})) as StoredCity), tables};
  } catch {
    // An opener on another origin cannot be read (SecurityError): no session city.
    return null;
  }
}
