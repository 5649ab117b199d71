import {importFiles, summariseImport, type ByteSource, type ColumnMapping, type ImportProgress, type ImportResult, type ImportSummary} from "../../importer/index.js";
import {cityTables} from "./importArrow.js";

/**
 * Where the import page reads files and builds the stored city's tables: in a worker (importWorker.ts),
 * so the page never freezes; in the page itself, yielding between chunks, only where no module worker
 * starts (then the page says so).
 */

export type WorkerRequest =
  | {type: "import"; id: number; files: File[]; referenceDate: string; mapping?: ColumnMapping}
  | {type: "tables"; id: number};

export type WorkerReply =
  | {type: "ready"; id: 0}
  | {type: "progress"; id: number; progress: ImportProgress}
  | {type: "result"; id: number; result: ImportResult; summary: ImportSummary}
  | {type: "tables"; id: number; tables: Record<string, Uint8Array>}
  | {type: "error"; id: number; message: string};

export interface ImportRunner {
  /** "worker", or "page" when no worker could start. */
  readonly where: "worker" | "page";
  /** The import's result; in a worker, `persons` holds only the count (the columns stay there). */
  run(files: File[], options: {referenceDate: string; mapping?: ColumnMapping; onProgress: (p: ImportProgress) => void}): Promise<{result: ImportResult; summary: ImportSummary}>;
  /** The last result's tables as Arrow IPC bytes (for the stored city). */
  tables(): Promise<Record<string, Uint8Array>>;
}

/** Lets the page paint and respond: a new task when the current one has run for a while. */
export function yielder(budgetMs = 12): () => Promise<void> {
  const channel = new MessageChannel();
  let last = performance.now();
  return () => {
    if (performance.now() - last < budgetMs) return Promise.resolve();
    return new Promise<void>((resolve) => {
      channel.port1.onmessage = () => {
        last = performance.now();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  };
}

export function fileSource(file: File): ByteSource {
  return {name: file.name, size: file.size, read: async (start, end) => new Uint8Array(await file.slice(start, end).arrayBuffer())};
}

/** The import on the page's own thread (yielding every 12 ms): the fallback. */
function pageRunner(): ImportRunner {
  let last: ImportResult | null = null;
  return {
    where: "page",
    async run(files, {referenceDate, mapping, onProgress}) {
      last = await importFiles(files.map(fileSource), {referenceDate, mapping, tick: yielder(), onProgress});
      return {result: last, summary: summariseImport(last)};
    },
    async tables() {
      if (!last) throw new Error("没有可保存的导入结果，请重新导入");
      return cityTables(last);
    },
  };
}

function workerRunner(worker: Worker): ImportRunner {
  let next = 0;
  const waiting = new Map<number, {resolve: (reply: WorkerReply) => void; reject: (error: Error) => void; onProgress?: (p: ImportProgress) => void}>();
  worker.onmessage = (event: MessageEvent<WorkerReply>) => {
    const reply = event.data;
    const wait = waiting.get(reply.id);
    if (!wait) return;
    if (reply.type === "progress") return wait.onProgress?.(reply.progress);
    waiting.delete(reply.id);
    if (reply.type === "error") wait.reject(new Error(reply.message));
    else wait.resolve(reply);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    // The worker died (out of memory, most likely): every request waiting on it fails in Chinese.
    for (const wait of waiting.values()) wait.reject(new Error("导入进程意外终止（可能是文件太大、内存不足）；请刷新页面后重试，或把大文件另存为 CSV 再导入"));
    waiting.clear();
  };
  const ask = (request: WorkerRequest, onProgress?: (p: ImportProgress) => void) =>
    new Promise<WorkerReply>((resolve, reject) => {
      waiting.set(request.id, {resolve, reject, onProgress});
      worker.postMessage(request);
    });
  return {
    where: "worker",
    async run(files, {referenceDate, mapping, onProgress}) {
      const reply = await ask({type: "import", id: ++next, files, referenceDate, mapping}, onProgress);
      if (reply.type !== "result") throw new Error("导入进程的回复无法识别");
      return {result: reply.result, summary: reply.summary};
    },
    async tables() {
      const reply = await ask({type: "tables", id: ++next});
      if (reply.type !== "tables") throw new Error("导入进程的回复无法识别");
      return reply.tables;
    },
  };
}

/** The worker runner once its module has loaded (it says "ready"), or the page's own where it cannot start. */
export async function importRunner(): Promise<ImportRunner> {
  let worker: Worker;
  try {
    worker = new Worker(import.meta.resolve("./importWorker.js"), {type: "module"});
  } catch {
    return pageRunner();
  }
  const ready = await new Promise<boolean>((resolve) => {
    worker.onmessage = (event: MessageEvent<WorkerReply>) => resolve(event.data.type === "ready");
    worker.onerror = (event) => {
      event.preventDefault();
      resolve(false);
    };
  });
  if (ready) return workerRunner(worker);
  worker.terminate();
  console.warn("import worker did not start: importing on the page");
  return pageRunner();
}
