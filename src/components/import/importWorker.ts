/**
 * The import page's worker: reads the planner's files (importFiles) and builds the stored city's Arrow
 * tables off the page's thread, so the page keeps painting and answering while a million-row workbook is
 * parsed (exceljs alone held the page 29 s) or ten million persons are turned into Arrow (51 s). The page
 * gets the result without the persons' columns (their count and summary are enough to show it); the
 * columns stay here until the page asks for the tables (使用这些数据) or the next import.
 * Messages: importRunner.ts.
 */
import {importFiles, summariseImport, type ImportResult} from "../../importer/index.js";
import {cityTables} from "./importArrow.js";
import type {WorkerReply, WorkerRequest} from "./importRunner.js";

let last: ImportResult | null = null;
const post = (reply: WorkerReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(reply, transfer);

/** When the last progress message went, and its phase: one every 100 ms at most (each is a task on the page), and at every new phase. */
let lastProgress = 0;
let lastPhase = "";

post({type: "ready", id: 0});

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  try {
    if (request.type === "import") {
      last = null;
      const sources = request.files.map((file) => ({name: file.name, size: file.size, read: async (start: number, end: number) => new Uint8Array(await file.slice(start, end).arrayBuffer())}));
      const result = await importFiles(sources, {
        referenceDate: request.referenceDate,
        mapping: request.mapping,
        onProgress: (progress) => {
          const now = performance.now();
          if (now - lastProgress < 100 && progress.phase === lastPhase) return;
          (lastProgress = now), (lastPhase = progress.phase);
          post({type: "progress", id: request.id, progress});
        },
      });
      last = result;
      const summary = summariseImport(result);
      post({type: "result", id: request.id, result: {...result, persons: {names: result.persons.names, length: result.persons.length, data: {}}}, summary});
    } else {
      if (!last) throw new Error("没有可保存的导入结果，请重新导入");
      const tables = cityTables(last);
      post({type: "tables", id: request.id, tables}, Object.values(tables).map((t) => t.buffer));
    }
  } catch (error) {
    post({type: "error", id: request.id, message: String((error as Error)?.message ?? error)});
  }
};
