import type {Table} from "npm:apache-arrow";
import type {ImportedCity} from "../shared/citySource.js";
import {sessionCity} from "./sessionCity.js";
import {LEGACY_DATABASE, deploymentBase, storeDatabaseName} from "./storeLocation.js";
import {announceStoreChange} from "./storeBroadcast.js";
import {NEWER_VERSION_MESSAGE, OLD_LAYOUT_MESSAGE, checkStoredRecord, corruptMessage, recordBytes, saveFailureMessage, type StoredCity} from "./storedCityRecord.js";

/**
 * The planner's imported city, kept in this browser until they clear it: one record (storedCityRecord.ts)
 * in the IndexedDB database of this deployment, `dpf-sandbox:<base path>` (storeLocation.ts), object
 * store `imported-city`, key `current`. Nothing here leaves the machine. Every data page reads it
 * through cityDb.ts (which registers `loadImportedCity`); a session-only city (sessionCity.ts) comes first.
 */

/** This deployment's base path, from this module's own URL (`<base>/_import/components/importStore.<hash>.js`). */
export const deployment = deploymentBase(import.meta.url);
/** This deployment's IndexedDB database: "dpf-sandbox:/sandbox/". */
export const databaseName = storeDatabaseName(deployment);
const STORE = "imported-city";
const KEY = "current";

export type StoreRead = {state: "none"} | {state: "ok"; city: StoredCity} | {state: "unreadable"; message: string};

/** Opens a database; for reading (`create` false) a database that does not exist is not created: null. */
function openDb(name: string, create: boolean): Promise<IDBDatabase | null> {
  if (typeof indexedDB === "undefined") return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      if (create) request.result.createObjectStore(STORE);
      // Aborting the first upgrade leaves no database behind (a reader must not create one).
      else request.transaction?.abort();
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = (event) => {
      event.preventDefault();
      if (!create && request.error?.name === "AbortError") resolve(null);
      else reject(request.error);
    };
  });
}

function transact<T>(db: IDBDatabase, mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = run(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error ?? request.error);
    tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
  });
}

function deleteDb(name: string): Promise<void> {
  if (typeof indexedDB === "undefined") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

/** Stores the city for this deployment; a full disk or any refusal is thrown as a Chinese message. */
export async function saveStoredCity(city: StoredCity): Promise<void> {
  try {
    const db = await openDb(databaseName, true);
    if (!db) throw new Error("此浏览器不支持本机存储（IndexedDB）");
    try {
      await transact(db, "readwrite", (store) => store.put(city, KEY));
    } finally {
      db.close();
    }
  } catch (error) {
    throw new Error(saveFailureMessage(error, recordBytes(city)));
  }
  announceStoreChange(databaseName, {kind: "saved", label: city.source.label, at: timeNow()});
}

const timeNow = () => new Date().toLocaleTimeString("zh-CN", {hour12: false});

/** The city stored for this deployment: none, usable, or unreadable (old, newer or damaged) with why. */
export async function readStoredCity(): Promise<StoreRead> {
  let db: IDBDatabase | null;
  try {
    db = await openDb(databaseName, false);
  } catch (error) {
    if ((error as DOMException | null)?.name === "VersionError") return {state: "unreadable", message: NEWER_VERSION_MESSAGE};
    // A browser that refuses storage (private mode) simply has no stored city.
    return {state: "none"};
  }
  if (!db) return {state: "none"};
  try {
    const value = await transact<unknown>(db, "readonly", (store) => store.get(KEY));
    if (value === undefined) return {state: "none"};
    const check = checkStoredRecord(value, deployment);
    if (!check.ok) return {state: "unreadable", message: check.message};
    // Decoding is cheap (Arrow IPC is read in place) and catches damaged bytes before anything uses them.
    await decodeStoredCity(check.city);
    return {state: "ok", city: check.city};
  } catch (error) {
    if (error instanceof StoredCityError) return {state: "unreadable", message: error.message};
    return {state: "unreadable", message: corruptMessage("无法读取数据库")};
  } finally {
    db.close();
  }
}

/** 清除本机数据: deletes this deployment's database (nothing of it is left); pages show the demo city again. */
export async function clearStoredCity(): Promise<void> {
  await deleteDb(databaseName);
  announceStoreChange(databaseName, {kind: "cleared", at: timeNow()});
}

/** Whether the database every deployment shared before (never read now) still exists in this browser. */
export async function legacyDatabaseExists(): Promise<boolean> {
  if (typeof indexedDB === "undefined") return false;
  try {
    if (typeof indexedDB.databases === "function") return (await indexedDB.databases()).some((d) => d.name === LEGACY_DATABASE);
    const db = await openDb(LEGACY_DATABASE, false);
    db?.close();
    return db !== null;
  } catch {
    return false;
  }
}

export async function deleteLegacyDatabase(): Promise<void> {
  await deleteDb(LEGACY_DATABASE);
}

/** A record whose bytes do not decode as it says (message in Chinese, for the planner). */
class StoredCityError extends Error {}

const tableWords = {units: "单位表", persons: "人员表", community_counts: "社区人数表"} as const;

/**
 * What decoding a stored record needs: Arrow's reader, and the columns this version's pages read of each
 * table (its schema; a record of an older layout lacks some). Imported only when there is a record to
 * decode, so a page learns there is none without fetching Arrow and zod (the schemas' library) first.
 */
interface Codec {
  tableFromIPC: (bytes: Uint8Array) => Table;
  columns: Record<keyof typeof tableWords, string[]>;
}
let codec: Codec | null = null;
async function loadCodec(): Promise<Codec> {
  const [arrow, units, persons, counts] = await Promise.all([import("npm:apache-arrow"), import("../../schemas/units.js"), import("../../schemas/persons.js"), import("../../schemas/communityCounts.js")]);
  const columns = {units: Object.keys(units.unitRow.shape), persons: Object.keys(persons.personRow.shape), community_counts: Object.keys(counts.communityCountsRow.shape)};
  return (codec ??= {tableFromIPC: (bytes) => arrow.tableFromIPC(bytes), columns});
}

function decodeTable({tableFromIPC, columns}: Codec, city: StoredCity, name: keyof typeof tableWords, rows: number | null): Table {
  let table: Table;
  try {
    table = tableFromIPC(city.tables[name]!);
  } catch {
    // The decoder's own (English) words stay out of the page: the planner needs what to do, not why.
    throw new StoredCityError(corruptMessage(`${tableWords[name]}无法解码`));
  }
  if (rows !== null && table.numRows !== rows) throw new StoredCityError(corruptMessage(`${tableWords[name]}有 ${table.numRows} 行，导入时为 ${rows} 行`));
  const present = new Set(table.schema.fields.map((f) => f.name));
  const missing = columns[name].filter((c) => !present.has(c));
  if (missing.length) throw new StoredCityError(`${OLD_LAYOUT_MESSAGE}（${tableWords[name]}缺少列 ${missing.slice(0, 5).join("、")}${missing.length > 5 ? ` 等 ${missing.length} 列` : ""}）`);
  return table;
}

/** A checked record as Arrow tables for DuckDB-WASM; a table that does not decode, or lost rows, throws. */
export async function decodeStoredCity(city: StoredCity): Promise<ImportedCity> {
  const c = codec ?? (await loadCodec());
  const counts = city.tables.community_counts ? decodeTable(c, city, "community_counts", null) : undefined;
  return {source: city.source, units: decodeTable(c, city, "units", city.summary.units), persons: decodeTable(c, city, "persons", city.summary.persons), ...(counts ? {communityCounts: counts} : {})};
}

let notice: string | null = null;

/** Why the last `loadImportedCity` found a stored city it could not use (shown on the page's badge), or null. */
export function storedCityNotice(): string | null {
  return notice;
}

/**
 * The city the pages open instead of the demo city: this tab's session-only city, else the one stored for
 * this deployment, else null. An unreadable record is never used: the reason is kept for the badge.
 */
export async function loadImportedCity(): Promise<ImportedCity | null> {
  notice = null;
  const session = sessionCity(deployment);
  if (session) {
    const check = checkStoredRecord(session, deployment);
    if (check.ok) return decodeStoredCity(check.city);
  }
  const read = await readStoredCity();
  if (read.state === "unreadable") notice = read.message;
  return read.state === "ok" ? decodeStoredCity(read.city) : null;
}
