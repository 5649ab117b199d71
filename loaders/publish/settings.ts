import {existsSync, readFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {parse} from "yaml";
import {z} from "zod";

/**
 * Publishing settings from `dpf.config.yaml` (owned by the importer: `city.workbook`, `publish.*`). Only
 * the `publish` block is read here; a missing file or block gives the defaults.
 */

import {DEFAULT_SMALL_CELL_THRESHOLD} from "../../src/schemas/briefing.js";

// One default for the build and the briefing composer (which has no dpf.config.yaml to read).
export {DEFAULT_SMALL_CELL_THRESHOLD};

const publishBlock = z
  .object({
    /** Counts 1 … threshold − 1 of a real city are suppressed at community level. */
    small_cell_threshold: z.number().int().min(2).max(100).default(DEFAULT_SMALL_CELL_THRESHOLD),
  })
  .passthrough();

export interface PublishSettings {
  smallCellThreshold: number;
  /** The file the settings came from, or null for the defaults. */
  file: string | null;
}

export const repositoryRoot = join(import.meta.dirname, "..", "..");

/**
 * Reads the `publish` block of dpf.config.yaml (in `root`, or the file DPF_CONFIG names, as the city
 * loader does), validating it; defaults when absent.
 */
export function publishSettings(root = repositoryRoot, env: NodeJS.ProcessEnv = process.env): PublishSettings {
  const file = env.DPF_CONFIG ? resolve(env.DPF_CONFIG) : join(root, "dpf.config.yaml");
  if (!existsSync(file)) return {smallCellThreshold: DEFAULT_SMALL_CELL_THRESHOLD, file: null};
  const parsed = (parse(readFileSync(file, "utf-8")) ?? {}) as {publish?: unknown};
  const result = publishBlock.safeParse(parsed.publish ?? {});
  if (!result.success) throw new Error(`dpf.config.yaml publish: ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return {smallCellThreshold: result.data.small_cell_threshold, file};
}
