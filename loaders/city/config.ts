/**
 * dpf.config.yaml at the repository root: which city the build publishes. Absent (or no
 * `city.workbook`) = the synthetic demo city. DPF_CITY_WORKBOOK overrides the workbook (tests, CI),
 * DPF_CITY_MAPPING the column mapping and DPF_CONFIG the config file's path.
 */
import {existsSync, readFileSync} from "node:fs";
import {dirname, isAbsolute, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {parse} from "yaml";
import {z} from "zod";

export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const defaultConfigPath = join(repositoryRoot, "dpf.config.yaml");

const configSchema = z
  .object({
    city: z
      .object({
        /** Path of the planner's workbook (.xlsx) or CSV files, relative to the repository root. */
        workbook: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).nullable().optional(),
        /** Build even when rows are rejected (they are left out and listed). Default false: fail. */
        allowRejected: z.boolean().default(false),
        /** Date ages are computed on when the workbook gives 出生日期 (ISO); default the workbook's date. */
        referenceDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
        /** Smallest count a published persons_cube cell may show (at least publish.small_cell_threshold); smaller cells are pooled per community. */
        minCellSize: z.number().int().min(1).default(5),
        /** The badge's words for whose data it is, e.g. "某某区残联 2025 年数据". */
        label: z.string().min(1).optional(),
        /** A column mapping saved from the import page (列对应.json), for an office's own tables. */
        mapping: z.string().min(1).nullable().optional(),
      })
      .strict()
      .default({allowRejected: false, minCellSize: 5}),
  })
  // Other blocks (publish: …) belong to other loaders (loaders/publish/settings.ts).
  .passthrough();

export interface CityConfig {
  /** Absolute paths of the files to import; empty = demo city. */
  files: string[];
  allowRejected: boolean;
  referenceDate?: string;
  minCellSize: number;
  label?: string;
  /** Absolute path of the column mapping file, if any. */
  mappingFile?: string;
  /** Where the settings came from, for messages. */
  configPath: string | null;
}

export function loadCityConfig(env: NodeJS.ProcessEnv = process.env): CityConfig {
  const path = env.DPF_CONFIG ? resolve(env.DPF_CONFIG) : defaultConfigPath;
  const raw = existsSync(path) ? (parse(readFileSync(path, "utf-8")) ?? {}) : {};
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const city = parsed.data.city;
  const workbook = env.DPF_CITY_WORKBOOK ? env.DPF_CITY_WORKBOOK.split(",") : city.workbook ? [city.workbook].flat() : [];
  return {
    files: workbook.map((f) => (isAbsolute(f) ? f : join(repositoryRoot, f))),
    allowRejected: city.allowRejected,
    referenceDate: city.referenceDate,
    minCellSize: city.minCellSize,
    label: city.label,
    mappingFile: env.DPF_CITY_MAPPING ? resolve(env.DPF_CITY_MAPPING) : city.mapping ? (isAbsolute(city.mapping) ? city.mapping : join(repositoryRoot, city.mapping)) : undefined,
    configPath: existsSync(path) ? path : null,
  };
}
