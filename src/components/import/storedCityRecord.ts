import type {CitySource} from "../shared/citySource.js";

/**
 * The one record an imported city is kept as (in IndexedDB, or in the import page's memory): which
 * version of this layout wrote it, the deployment it belongs to, whose data it is, and its tables as
 * Arrow IPC bytes. `checkStoredRecord` decides whether a record read back can be used; anything else is
 * told to the planner in Chinese (and can be cleared), never used half-read.
 */

/**
 * The layout of the record. 2: `tables` by name, `base`. Records without a number are from the
 * first version (one database for every deployment, `units`/`persons` at the top level).
 */
export const STORE_SCHEMA = 2;

/** The tables every imported city has; others (e.g. community_counts) may be stored beside them. */
export const REQUIRED_TABLES = ["units", "persons"] as const;

export interface StoredCitySummary {
  units: number;
  persons: number;
  files: string[];
  /** Personal-data columns the importer dropped (names only). */
  droppedColumns: string[];
}

export interface StoredCity {
  schema: typeof STORE_SCHEMA;
  /** The deployment's base path ("/sandbox/") that stored it. */
  base: string;
  source: CitySource;
  /** Arrow IPC file bytes by table name: units, persons, and any later table. */
  tables: Record<string, Uint8Array>;
  summary: StoredCitySummary;
}

export const OLD_VERSION_MESSAGE = "本机保存的数据来自旧版本，无法读取，请重新导入";
export const OLD_LAYOUT_MESSAGE = "本机保存的数据来自旧版本的表结构，无法在本版本中使用，请清除后重新导入";
export const NEWER_VERSION_MESSAGE = "本机保存的数据来自较新版本的沙盘，本版本无法读取，请重新导入（或使用较新版本）";

export function corruptMessage(detail: string): string {
  return `本机保存的数据已损坏（${detail}），无法读取，请重新导入`;
}

export type RecordCheck = {ok: true; city: StoredCity} | {ok: false; message: string};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

/** Whether a record read back is a usable city of this deployment, in this layout (bytes not yet decoded). */
export function checkStoredRecord(value: unknown, base: string): RecordCheck {
  if (!isObject(value)) return {ok: false, message: corruptMessage("记录不是对象")};
  const schema = value.schema;
  if (schema === undefined || (typeof schema === "number" && schema < STORE_SCHEMA)) return {ok: false, message: OLD_VERSION_MESSAGE};
  if (typeof schema !== "number") return {ok: false, message: corruptMessage("版本号无效")};
  if (schema > STORE_SCHEMA) return {ok: false, message: NEWER_VERSION_MESSAGE};
  if (value.base !== base) return {ok: false, message: corruptMessage(`记录属于另一部署路径「${String(value.base)}」`)};
  const source = value.source;
  if (!isObject(source) || source.kind !== "imported" || typeof source.label !== "string") return {ok: false, message: corruptMessage("缺少数据来源")};
  const tables = value.tables;
  if (!isObject(tables)) return {ok: false, message: corruptMessage("缺少数据表")};
  for (const name of REQUIRED_TABLES) if (!(tables[name] instanceof Uint8Array) || !(tables[name] as Uint8Array).length) return {ok: false, message: corruptMessage(`缺少${name === "units" ? "单位表" : "人员表"}`)};
  for (const [name, bytes] of Object.entries(tables)) if (!(bytes instanceof Uint8Array)) return {ok: false, message: corruptMessage(`数据表「${name}」不是字节`)};
  const summary = value.summary;
  if (!isObject(summary) || !isCount(summary.units) || !isCount(summary.persons) || !isStrings(summary.files) || !isStrings(summary.droppedColumns)) return {ok: false, message: corruptMessage("缺少导入摘要")};
  return {ok: true, city: value as unknown as StoredCity};
}

/** The bytes a record's tables take. */
export function recordBytes(city: Pick<StoredCity, "tables">): number {
  return Object.values(city.tables).reduce((sum, bytes) => sum + bytes.byteLength, 0);
}

/** "850 KB", "12.3 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString("en-US")} KB`;
  return `${(bytes / 1024 / 1024).toLocaleString("en-US", {maximumFractionDigits: 1})} MB`;
}

/** Why saving failed, for the planner: a full disk names the size and the way round it. */
export function saveFailureMessage(error: unknown, bytes: number): string {
  const name = isObject(error) || error instanceof Error ? (error as {name?: unknown}).name : undefined;
  if (name === "QuotaExceededError")
    return `本机浏览器的存储空间不足，无法保存这份数据（约 ${formatBytes(bytes)}）。可改选「仅在本标签页使用」（不写入本机存储），或在浏览器设置中清理存储空间后重试。`;
  const message = error instanceof Error ? error.message : String(error);
  return `保存失败：${message}。可改选「仅在本标签页使用」（不写入本机存储）。`;
}
