/**
 * The page's DuckDB-WASM engine as the opening view sees it, without loading it: the download's progress
 * and whether anything has asked for the engine yet. A tiny module, so a page can draw its published
 * figures (openingViews.ts) before the engine's own modules (DuckDB-WASM, Apache Arrow) are fetched:
 * sandboxDb.ts, which holds them, is imported only when the engine is started (cityDb.ts).
 */

/** Bytes of DuckDB's WebAssembly loaded so far and in all (0 while unknown), for the pages' loading state. */
export interface EngineProgress {
  loaded: number;
  total: number;
}
const progressListeners = new Set<(progress: EngineProgress) => void>();
let lastProgress: EngineProgress = {loaded: 0, total: 0};

/**
 * The download's progress in words for a loading note: "（已下载 1.2 / 5.4 MB）", or "" while unknown.
 * DuckDB counts the bytes it has received after decompression against the compressed length the server
 * sent (36 MB of .wasm arrive as 5.4 MB of brotli), so past the total only what has arrived is said.
 */
export function progressNote({loaded, total}: EngineProgress): string {
  const megabytes = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  if (total <= 0 && loaded <= 0) return "";
  return loaded <= total ? `（已下载 ${megabytes(loaded)} / ${megabytes(total)} MB）` : `（已接收 ${megabytes(loaded)} MB，解压后）`;
}

/** Calls `listener` with the engine download's progress (now, then on each update); returns the unsubscribe. */
export function onEngineProgress(listener: (progress: EngineProgress) => void): () => void {
  progressListeners.add(listener);
  listener(lastProgress);
  return () => progressListeners.delete(listener);
}

/** Called by the engine's loader (sandboxDb.ts) as the .wasm arrives. */
export function reportEngineProgress(progress: EngineProgress): void {
  lastProgress = progress;
  for (const listener of progressListeners) listener(lastProgress);
}

let wanted: () => void = () => undefined;
/** Resolves once something on the page needs DuckDB: a view the published figures do not hold. */
export const engineWanted = new Promise<void>((resolve) => (wanted = resolve));

/** Says the page needs the engine now (a question the opening views cannot answer); harmless when it is in. */
export function wantEngine(): void {
  wanted();
}
