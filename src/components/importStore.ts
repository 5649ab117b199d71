import {tableFromIPC} from "npm:apache-arrow";
import type {CitySource, ImportedCity} from "./cityDb.js";

/**
 * The planner's imported city, kept in this browser (IndexedDB) until they clear it: the units and
 * persons tables as Arrow IPC bytes, whose data it is, and when it was imported. Nothing here leaves
 * the machine. Every data page reads it through cityDb.ts (which registers `loadStoredCity`).
 */

const DB_NAME = "dpf-sandbox";
const STORE = "imported-city";
const KEY = "current";

export interface StoredCity {
  source: CitySource;
  units: Uint8Array;
  persons: Uint8Array;
  /** Counts and notes shown on the import page. */
  summary: {units: number; persons: number; files: string[]; droppedColumns: string[]};
}

function openDb(): Promise<IDBDatabase | null> {
  if (typeof indexedDB === "undefined") return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function transact<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | undefined> {
  const db = await openDb();
  if (!db) return undefined;
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = run(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
    });
  } finally {
    db.close();
  }
}

export async function saveStoredCity(city: StoredCity): Promise<void> {
  await transact("readwrite", (store) => store.put(city, KEY));
}

export async function readStoredCity(): Promise<StoredCity | null> {
  try {
    return (await transact<StoredCity | undefined>("readonly", (store) => store.get(KEY))) ?? null;
  } catch {
    // A browser that refuses storage (private mode, quota) simply has no imported city.
    return null;
  }
}

/** 清除本机数据: removes the imported city; pages show the demo city again. */
export async function clearStoredCity(): Promise<void> {
  await transact("readwrite", (store) => store.delete(KEY));
}

/** The stored city as Arrow tables for DuckDB-WASM, or null (the pages then open the demo city). */
export async function loadStoredCity(): Promise<ImportedCity | null> {
  const stored = await readStoredCity();
  if (!stored) return null;
  return {source: stored.source, units: tableFromIPC(stored.units), persons: tableFromIPC(stored.persons)};
}
