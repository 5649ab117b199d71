import {FileAttachment} from "observablehq:stdlib";
import type {Table} from "npm:apache-arrow";
import {personCountTotals, usePersonRows, usePersonsCube, type SliceInfo} from "../../engine/personCounts.js";
import type {CommunityCountsRow} from "../../schemas/communityCounts.js";
import type {CitySource, ImportedCity} from "./citySource.js";
import {clearStoredCity, databaseName, loadImportedCity, storedCityNotice} from "../import/importStore.js";
import type {PublishedSource} from "./openingViews.js";
import {onStoreChange, storeChangeMessage} from "../import/storeBroadcast.js";
import {engineWanted} from "./engineProgress.js";
import type {SandboxDb} from "./sandboxDb.js";

// DuckDB-WASM and Apache Arrow (sandboxDb.ts) are imported only when a page opens its database: a page
// showing the published opening views draws them first, without fetching the engine's modules at all.
const engineModule = () => import("./sandboxDb.js");
// Counts per community (and zod, which their schema is written in) only for a city given as counts.
let countsModule: typeof import("../../engine/communityCountsCube.js") | null = null;
const countsCube = async () => (countsModule ??= await import("../../engine/communityCountsCube.js"));

export type {CitySource, ImportedCity} from "./citySource.js";

let importedCityLoader: (() => Promise<ImportedCity | null>) | null = null;

/** The importer registers how to read a stored city; pages then open it instead of the demo city. */
export function registerImportedCityLoader(loader: () => Promise<ImportedCity | null>): void {
  importedCityLoader = loader;
}

// Every page that opens the city reads the one the planner imported for this deployment, if any.
registerImportedCityLoader(loadImportedCity);

/**
 * Opens DuckDB-WASM with the tables `units`, `persons` and `parameters`: the planner's imported
 * city when one is stored in this browser, else the city the site was built with. The engines count
 * persons from `person_counts` (src/engine/personCounts.ts): over the person rows where the page has
 * them (the demo city; an imported city, whose rows never leave the browser), exact; for a site built
 * from a real workbook, whose persons file is empty by design, over its published persons_cube.
 * Nothing is fetched but the site's files.
 */
export async function openCityDb(): Promise<{db: SandboxDb; source: CitySource}> {
  // Fetching and instantiating DuckDB overlaps reading the stored city.
  engineModule().then((m) => m.preloadDuckDB(), () => undefined);
  const {opened, failed} = await tryImportedCity();
  return opened ?? openBuiltCity(failed);
}

/**
 * The city stored in this browser, opened; null when there is none. A stored city that passed its checks
 * yet does not open (an older layout the checks do not know) gives the notice instead: the page opens the
 * site's own city and says so in Chinese, with the way out, never the raw error.
 */
async function tryImportedCity(): Promise<{opened: {db: SandboxDb; source: CitySource} | null; failed?: string}> {
  try {
    const imported = importedCityLoader ? await importedCityLoader() : null;
    return {opened: imported ? await openImportedCity(imported) : null};
  } catch (error) {
    console.warn("stored city not usable", error);
    return {opened: null, failed: STORED_CITY_FAILED};
  }
}

/**
 * The city a page shows, and its database when it is in. The city the build published comes with its
 * opening views (`opening`, computed at build time, openingViews.ts) and a database still loading, so
 * the page can show figures before DuckDB-WASM is in; an imported city, which the build cannot know,
 * never gets the published figures: its `opening` is null and the page waits for its database.
 */
export async function openCityFirst<T extends {source: PublishedSource}>(
  opening: () => Promise<T>,
): Promise<{source: CitySource; db: Promise<SandboxDb>; opening: T | null}> {
  // The opening views are fetched while the stored city is looked for (there is none, most often).
  const published = opening();
  published.catch(() => undefined); // an imported city does not need them
  const {opened, failed} = await tryImportedCity();
  if (opened) return {source: opened.source, db: Promise.resolve(opened.db), opening: null};
  const views = await published;
  // The engine (its modules, 5 MB of WebAssembly, the city's tables) starts once the first figures are
  // on screen, so it does not share an office PC's link with them; at once if a view needs it first.
  const built = engineStart().then(() => openBuiltCity(failed));
  built.catch(() => undefined); // reported by whoever awaits `db`
  return {source: {...views.source, notice: failed ?? storedCityNotice() ?? undefined}, db: built.then((b) => b.db), opening: views};
}

/**
 * Resolves when the page should start DuckDB-WASM: its first result is drawn ([data-first-result], then a
 * frame, so the figures are painted first), the planner touches the page, or a view needs the engine
 * (wantEngine in engineProgress.ts).
 */
function engineStart(): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      observer.disconnect();
      for (const type of interactions) removeEventListener(type, done, true);
      resolve();
    };
    const drawn = () => {
      if (!document.querySelector("[data-first-result]")) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(done, 0));
    };
    const observer = new MutationObserver(drawn);
    observer.observe(document.documentElement, {childList: true, subtree: true, attributes: true, attributeFilter: ["data-first-result"]});
    const interactions = ["pointerdown", "keydown", "input"] as const;
    for (const type of interactions) addEventListener(type, done, {capture: true, passive: true});
    void engineWanted.then(done);
    drawn();
  });
}

async function openImportedCity(imported: ImportedCity): Promise<{db: SandboxDb; source: CitySource}> {
  // Read as bytes in the call itself: Framework preloads Apache Arrow for an attachment passed on as an
  // Arrow file, which the opening view does not need (src/components/shared/engineProgress.ts).
  const parameters = FileAttachment("../../data/parameters.arrow").arrayBuffer();
  const {openSandboxDb} = await engineModule();
  const db = await openSandboxDb({units: imported.units, persons: imported.persons, parameters});
  if (imported.communityCounts && imported.persons.numRows === 0) return {db, source: await useCountsCity(db, imported.communityCounts, imported.source)};
  await usePersonRows(db);
  return {db, source: imported.source};
}

async function openBuiltCity(failed?: string): Promise<{db: SandboxDb; source: CitySource}> {
  const notice = () => failed ?? storedCityNotice() ?? undefined;
  const {openSandboxDb} = await engineModule();
  const db = await openSandboxDb({
    units: FileAttachment("../../data/units.arrow").arrayBuffer(),
    persons: FileAttachment("../../data/persons.arrow").arrayBuffer(),
    parameters: FileAttachment("../../data/parameters.arrow").arrayBuffer(),
  });
  const [city] = await db.query<{real: boolean; persons: number; name: string | null}>(
    "SELECT (SELECT NOT coalesce(bool_and(synthetic), TRUE) FROM units) AS real, (SELECT count(*) FROM persons) AS persons, (SELECT min(unit_name) FROM units WHERE level = 'city') AS name",
  );
  if (!city?.real || Number(city.persons) > 0) {
    await usePersonRows(db);
    return {db, source: {kind: "demo", label: "示例市（合成数据）", notice: notice()}};
  }
  await db.replaceTable("persons_cube", new Uint8Array(await FileAttachment("../../data/persons_cube.arrow").arrayBuffer()));
  const slices = await usePersonsCube(db);
  const {persons} = await personCountTotals(db);
  const pooled = slices.map((s) => s.pooled);
  const label = `${city.name ?? "本地数据"}（构建时导入，人员只发布汇总数）`;
  return {db, source: {kind: "published", label, notice: notice(), cube: {persons, pooledMin: Math.min(...pooled), pooledMax: Math.max(...pooled)}}};
}

/**
 * Loads counts per community (an Arrow table or plain rows of the community_counts schema) as the table
 * `community_counts` and counts persons from them (communityCountsCube.ts), so a city with counts and no
 * person rows works on every page. Returns the slices its counts give.
 */
export async function loadCommunityCounts(db: SandboxDb, counts: Table | readonly CommunityCountsRow[]): Promise<SliceInfo[]> {
  const {COMMUNITY_COUNTS_TABLE, useCommunityCounts, writeCommunityCounts} = await countsCube();
  if (Array.isArray(counts)) await writeCommunityCounts(db, counts as readonly CommunityCountsRow[]);
  else await db.replaceTable(COMMUNITY_COUNTS_TABLE, counts as Table);
  return useCommunityCounts(db);
}

/** Counts persons of a city given as counts, and says so in its source (for the pages' note). */
export async function useCountsCity(db: SandboxDb, counts: Table | readonly CommunityCountsRow[], source: CitySource): Promise<CitySource> {
  const slices = await loadCommunityCounts(db, counts);
  const {persons} = await personCountTotals(db);
  return {...source, counts: {persons, slices: slices.map((s) => s.slice)}};
}

/** Persons as a share, for the note: "12.5%". */
function percent(part: number, whole: number): string {
  return `${whole ? ((100 * part) / whole).toFixed(1) : "0"}%`;
}

/**
 * For a site built from a real workbook: how many persons the small-cell protection pooled, and what
 * that means for the figures (lower bounds for small groups). Empty for person rows.
 */
export function cubeNote(source: CitySource): HTMLElement {
  const note = document.createElement("p");
  note.className = "cube-note";
  if (source.counts) return countsNote(source.counts);
  if (!source.cube) {
    note.hidden = true;
    return note;
  }
  const {persons, pooledMin, pooledMax} = source.cube;
  note.dataset.pooled = String(pooledMax);
  const range = pooledMin === pooledMax ? `${pooledMax} 人（${percent(pooledMax, persons)}）` : `${pooledMin}–${pooledMax} 人（${percent(pooledMin, persons)}–${percent(pooledMax, persons)}）`;
  note.textContent =
    `人员数据为汇总数（小格保护）：本站不发布个人记录，只发布按社区分口径汇总的人数，人数少于发布阈值的小格已合并。` +
    `共 ${persons} 名持证残疾人，按各指标和项目所用口径，有 ${range} 只计入所在社区（或全市）的合计，` +
    `不参与按残疾类别、等级、年龄段或服务状态的筛选。因此小群体的人数、达成人数、缺口和费用是下限；状态未知者按已知者的达成率估计。`;
  return note;
}

/** The badge every data page shows, saying whose data it is. */
export function sourceBadge(source: CitySource): HTMLElement {
  const badge = document.createElement("span");
  badge.className = source.kind === "demo" ? "synthetic-badge" : "data-badge";
  badge.dataset.source = source.kind;
  const where = source.session ? "（只在导入页的内存中，未写入本机存储）" : "（仅存于本机浏览器）";
  badge.textContent = source.kind === "imported" ? `数据：${source.label}${where}` : `数据：${source.label}`;
  if (source.importedAt) badge.title = `导入时间 ${source.importedAt}`;
  if (source.notice) badge.append(storeNotice(source.notice));
  // Another tab saving or clearing this deployment's city: this page keeps what it opened, and says so.
  onStoreChange(databaseName, (change) => {
    badge.querySelector("[data-testid=store-change]")?.remove();
    const line = document.createElement("span");
    line.className = "store-notice";
    line.dataset.testid = "store-change";
    line.textContent = ` ⚠ ${storeChangeMessage(change)}`;
    const reload = document.createElement("button");
    reload.type = "button";
    reload.textContent = "刷新本页";
    reload.addEventListener("click", () => location.reload());
    line.append(" ", reload);
    badge.append(line);
  });
  return badge;
}

export const STORED_CITY_FAILED = "本机保存的数据无法在本版本中打开（可能来自旧版本或已损坏），本页显示网站自带的数据";

/** Not a silent fallback: why the stored city is not the one shown, and the two ways out (清除, 重新导入). */
function storeNotice(message: string): HTMLElement {
  const notice = document.createElement("span");
  notice.className = "store-notice";
  notice.dataset.testid = "store-notice";
  notice.textContent = ` ⚠ ${message}。`;
  const clear = document.createElement("button");
  clear.type = "button";
  clear.dataset.testid = "store-notice-clear";
  clear.textContent = "清除本机数据";
  // Two clicks, no dialog: the first asks, the second clears this deployment's database and reloads.
  clear.addEventListener("click", async () => {
    if (clear.dataset.armed !== "true") {
      clear.dataset.armed = "true";
      clear.textContent = "确定清除（本机保存的导入数据将被删除）";
      return;
    }
    clear.disabled = true;
    await clearStoredCity();
    location.reload();
  });
  const again = document.createElement("a");
  again.href = "./import";
  again.dataset.testid = "store-notice-import";
  again.textContent = "重新导入";
  notice.append(" ", clear, " 或 ", again);
  return notice;
}

/** For a city given as counts per community: what the counts are, and what the pages assume of them. */
function countsNote(counts: NonNullable<CitySource["counts"]>): HTMLElement {
  const note = document.createElement("div");
  note.className = "cube-note counts-note";
  note.dataset.countsPersons = String(counts.persons);
  const lead = document.createElement("p");
  lead.textContent = `人员数据为各社区汇总数（共 ${counts.persons} 名持证残疾人），不是个人名单。需要汇总数中没有的分组时，页面说明无法计算的原因，不显示 0。`;
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "汇总数的计算口径与假定";
  const list = document.createElement("ul");
  // source.counts is set only once useCountsCity has loaded the module.
  for (const line of countsModule?.communityCountsAssumptions_zh ?? []) {
    const item = document.createElement("li");
    item.textContent = line;
    list.append(item);
  }
  details.append(summary, list);
  note.append(lead, details);
  return note;
}
