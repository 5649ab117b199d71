import {FileAttachment} from "observablehq:stdlib";
import type {Table} from "npm:apache-arrow";
import {loadStoredCity} from "./importStore.js";
import {openSandboxDb, type SandboxDb} from "./sandboxDb.js";

/** Whose data a page shows: the bundled synthetic demo city, or a planner's own imported workbook. */
export interface CitySource {
  kind: "demo" | "imported";
  /** Badge text, e.g. "示例市（合成数据）" or "本机导入：某某区残联 2026.xlsx". */
  label: string;
  /** When the imported data was stored (ISO), for the badge's tooltip. */
  importedAt?: string;
}

/** An imported city kept in the browser (IndexedDB), as Arrow tables with the demo city's schemas. */
export interface ImportedCity {
  source: CitySource;
  units: Table;
  persons: Table;
}

let importedCityLoader: (() => Promise<ImportedCity | null>) | null = null;

/** The importer registers how to read a stored city; pages then open it instead of the demo city. */
export function registerImportedCityLoader(loader: () => Promise<ImportedCity | null>): void {
  importedCityLoader = loader;
}

// Every page that opens the city reads the one the planner imported into this browser, if any.
registerImportedCityLoader(loadStoredCity);

/**
 * Opens DuckDB-WASM with the tables `units`, `persons` and `parameters`: the planner's imported
 * city when one is stored in this browser, else the demo city. Nothing is fetched but the site's files.
 */
export async function openCityDb(): Promise<{db: SandboxDb; source: CitySource}> {
  const imported = importedCityLoader ? await importedCityLoader() : null;
  const parameters = FileAttachment("../data/parameters.arrow");
  if (imported) {
    const db = await openSandboxDb({units: imported.units, persons: imported.persons, parameters});
    return {db, source: imported.source};
  }
  const db = await openSandboxDb({
    units: FileAttachment("../data/units.arrow"),
    persons: FileAttachment("../data/persons.arrow"),
    parameters,
  });
  return {db, source: {kind: "demo", label: "示例市（合成数据）"}};
}

/** The badge every data page shows, saying whose data it is. */
export function sourceBadge(source: CitySource): HTMLElement {
  const badge = document.createElement("span");
  badge.className = source.kind === "demo" ? "synthetic-badge" : "data-badge";
  badge.dataset.source = source.kind;
  badge.textContent = source.kind === "demo" ? `数据：${source.label}` : `数据：${source.label}（仅存于本机浏览器）`;
  if (source.importedAt) badge.title = `导入时间 ${source.importedAt}`;
  return badge;
}
