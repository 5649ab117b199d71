import {fileURLToPath} from "node:url";

/** The repository root and bench/ folder, wherever the benchmark is started from. */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const benchRoot = fileURLToPath(new URL("../", import.meta.url));
