import {formatCount} from "../shared/format.js";
import {
  displayValue,
  formatProblem,
  rejectedRowsCsv,
  rules,
  toCsv,
  type ImportProblem,
  type ImportProgress,
  type ImportResult,
  type RuleId,
} from "../../importer/index.js";
import {openCityDb, sourceBadge, type CitySource} from "../shared/cityDb.js";
import {h, type Props as Attrs} from "../shared/dom.js";
import {importRunner, type ImportRunner} from "./importRunner.js";
import {checkCityContract} from "./cityContractCheck.js";
import type {ColumnMapping, ImportSummary} from "../../importer/index.js";
import {MappingStep, MissingNote, OfficeSummaryCards, ProblemGroups, rememberedMapping} from "./officeImportView.js";
import {filePicker} from "../shared/filePicker.js";
import {onStoreChange, storeChangeMessage} from "./storeBroadcast.js";
import {clearStoredCity, databaseName, deleteLegacyDatabase, deployment, legacyDatabaseExists, readStoredCity, saveStoredCity, type StoreRead} from "./importStore.js";
import {dropSessionCity, holdSessionCity, ownSessionCity} from "./sessionCity.js";
import {LEGACY_DATABASE} from "./storeLocation.js";
import {STORE_SCHEMA, type StoredCity} from "./storedCityRecord.js";

/**
 * The import page's panel (导入数据): choose or drop files, watch the progress, read what was accepted
 * and rejected and why, download the rejected rows, see which personal-data columns were dropped,
 * then either keep the accepted data in this browser for this deployment (IndexedDB, importStore.ts) or
 * use it only while this page is open (in memory, sessionCity.ts). All text from the files is set as text
 * (never markup); nothing is sent anywhere.
 */

export interface ImportPanelOptions {
  /** Hrefs of the template downloads (FileAttachment(...).href on the page). */
  templates: {xlsx: string; units: string; persons: string};
  /** Today's date (ISO): ages from 出生日期 are counted on it. */
  today?: string;
}


/** A count as every page writes it (format.ts: exact below 十万, then 万/亿), the exact figure in the tooltip. */
function countEl(n: number, attrs: Attrs = {}): HTMLElement {
  return h("span", {title: n.toLocaleString("en-US"), ...attrs}, formatCount(n));
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString("en-US", {maximumFractionDigits: 1})} MB`;

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], {type: "text/csv;charset=utf-8"}));
  const a = h("a", {href: url, download: name});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const styles = `
.import-panel { max-width: 1100px; }
.import-drop { border: 2px dashed #8fb1e3; border-radius: 8px; padding: 1.5rem; text-align: center; background: #f7faff; margin: 1rem 0; }
.import-drop.dragging { background: #e6f0ff; border-color: #123e7a; }
.import-drop .file-picker { display: inline-block; margin-top: 0.5rem; }
.import-progress { display: flex; gap: 0.75rem; align-items: center; margin: 0.5rem 0; }
.import-progress[hidden] { display: none; }
.import-progress progress { width: 320px; height: 1rem; }
.import-cards { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; }
.import-card { border: 1px solid var(--theme-foreground-faintest, #ddd); border-radius: 6px; padding: 0.6rem 1rem; min-width: 200px; max-width: 22rem; flex: 1 1 14rem; }
.import-card .big { font-size: 1.6rem; font-weight: 600; }
.import-card .accepted { color: #1a7f37; }
.import-card .rejected { color: #b42318; }
.import-pii { border: 1px solid #e8a23a; background: #fff6e5; color: #6b3d00; border-radius: 6px; padding: 0.6rem 1rem; margin: 1rem 0; }
.import-error { border: 1px solid #e0a0a0; background: #fff1f0; color: #8a1c1c; border-radius: 6px; padding: 0.6rem 1rem; margin: 0.5rem 0; }
.import-ok { border: 1px solid #9fd3a9; background: #effaf1; color: #14532d; border-radius: 6px; padding: 0.6rem 1rem; margin: 0.5rem 0; }
.import-scroll { overflow-x: auto; max-width: 100%; }
.import-panel .import-table { border-collapse: collapse; font-size: 0.85rem; width: 100%; max-width: none; }
.import-table th, .import-table td { border-bottom: 1px solid var(--theme-foreground-faintest, #e5e5e5); padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; white-space: nowrap; }
.import-table td.wrap { white-space: normal; min-width: 14rem; }
.import-table th button { all: unset; cursor: pointer; font-weight: 600; }
.import-table td.value { white-space: normal; min-width: 6rem; max-width: 16rem; overflow-wrap: anywhere; font-family: var(--monospace); }
.import-table tr.sev-error td:first-child { color: #b42318; }
.import-table tr.sev-warning td:first-child { color: #8a5a00; }
.import-actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.75rem 0; }
.import-actions button { padding: 0.35rem 0.8rem; }
.import-choice { border: 1px solid var(--theme-foreground-faintest, #ddd); border-radius: 6px; padding: 0.5rem 1rem; margin: 0.75rem 0; max-width: 60rem; }
.import-choice label { display: block; margin: 0.35rem 0; }
.import-choice .muted { font-size: 0.85rem; }
.import-confirm { border: 1px solid #e0a0a0; background: #fff8f7; border-radius: 6px; padding: 0.5rem 1rem; margin: 0.5rem 0; max-width: 60rem; }
.import-confirm button { margin-right: 0.5rem; }
.import-notes { font-size: 0.85rem; color: var(--theme-foreground-muted); margin: 0.25rem 0 0 1rem; }
`;

/** Numbers the radio groups of successive results (each needs its own name). */
let choiceCount = 0;

const severityZh = {error: "错误", warning: "提示"} as const;
const tableZh = {units: "单位表", persons: "人员表"} as const;
const officeRoleZh = {table: "统计表", indicator_form: "一行一个指标的汇总表", summary: "汇总表（只核对）", instructions: "填表说明（跳过）", hidden: "隐藏（未导入）", empty: "空表（跳过）", unknown: "无法识别"} as const;

type SortKey = "severity" | "file" | "sheet" | "row" | "column" | "value" | "message" | "rule";

/** The sortable, filterable problem list (shown 200 rows at a time). */
export function ProblemTable(problems: readonly ImportProblem[], total: number): HTMLElement {
  const wrap = h("div", {class: "import-problems"});
  let sortKey: SortKey = "row";
  let ascending = true;
  let shown = 200;
  let filter: "all" | "error" | RuleId = "all";
  const counts = new Map<RuleId, number>();
  for (const p of problems) counts.set(p.rule, (counts.get(p.rule) ?? 0) + 1);
  const select = h("select", {"aria-label": "筛选问题"},
    h("option", {value: "all"}, `全部问题（${problems.length.toLocaleString("en-US")}）`),
    h("option", {value: "error"}, `只看错误（${problems.filter((p) => p.severity === "error").length.toLocaleString("en-US")}）`),
    ...[...counts].sort((a, b) => b[1] - a[1]).map(([rule, n]) => h("option", {value: rule}, `${rules[rule].zh}（${n}）`)),
  );
  select.addEventListener("change", () => {
    filter = select.value as typeof filter;
    shown = 200;
    render();
  });
  const headers: [SortKey, string][] = [["severity", "级别"], ["file", "文件"], ["sheet", "工作表"], ["row", "行"], ["column", "列"], ["value", "值"], ["message", "问题"], ["rule", "规则"]];
  const body = h("tbody");
  const more = h("button", {type: "button"}, "");
  more.addEventListener("click", () => {
    shown += 200;
    render();
  });
  const head = h("tr", {}, ...headers.map(([key, label]) => {
    const button = h("button", {type: "button", "data-sort": key}, label);
    button.addEventListener("click", () => {
      ascending = sortKey === key ? !ascending : true;
      sortKey = key;
      render();
    });
    return h("th", {scope: "col"}, button);
  }));
  const truncated = total > problems.length ? h("p", {class: "muted"}, `共 ${total.toLocaleString("en-US")} 个问题，列出前 ${problems.length.toLocaleString("en-US")} 个；各规则的计数见上方筛选。`) : null;
  wrap.append(h("div", {class: "import-actions"}, select), truncated ?? "", h("div", {class: "import-scroll"}, h("table", {class: "import-table", "data-testid": "problems"}, h("thead", {}, head), body)), more);

  function value(p: ImportProblem, key: SortKey): string | number {
    if (key === "row") return p.row ?? 0;
    if (key === "severity") return p.severity === "error" ? 0 : 1;
    return String(p[key] ?? "");
  }
  function render(): void {
    const selected = problems.filter((p) => filter === "all" || (filter === "error" ? p.severity === "error" : p.rule === filter));
    const sorted = [...selected].sort((a, b) => {
      const x = value(a, sortKey);
      const y = value(b, sortKey);
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
      return (ascending ? c : -c) || a.file.localeCompare(b.file) || (a.row ?? 0) - (b.row ?? 0);
    });
    body.replaceChildren(...sorted.slice(0, shown).map((p) =>
      h("tr", {class: `sev-${p.severity}`, "data-rule": p.rule, "data-row": p.row ?? ""},
        h("td", {}, severityZh[p.severity]),
        h("td", {}, p.file),
        h("td", {}, p.sheet),
        h("td", {}, p.row === null ? "—" : String(p.row)),
        h("td", {}, p.column ?? "—"),
        h("td", {class: "value"}, p.value),
        h("td", {class: "wrap"}, p.message),
        h("td", {}, h("code", {}, p.rule)),
      ),
    ));
    more.textContent = `再显示 200 条（还有 ${Math.max(0, sorted.length - shown).toLocaleString("en-US")} 条）`;
    more.hidden = sorted.length <= shown;
    for (const th of head.querySelectorAll("button")) th.setAttribute("aria-sort", th.dataset.sort === sortKey ? (ascending ? "ascending" : "descending") : "none");
  }
  render();
  return wrap;
}

/** Links that open the data pages in new tabs which can read this page's session-only city (their opener). */
function sessionLinks(): HTMLElement {
  const link = (href: string, label: string, testid: string) => h("a", {href, target: "_blank", rel: "opener", "data-testid": testid}, label);
  return h("span", {}, link("./gaps", "在新标签页打开覆盖缺口", "open-gaps"), "、", link("./sandbox", "在新标签页打开预算沙盘", "open-sandbox"));
}

const count = (n: number) => n.toLocaleString("en-US");

/** What the pages use now, and exactly where it is kept. */
function statusBox(session: StoredCity | null, read: StoreRead): HTMLElement {
  const stored = read.state === "ok" ? read.city : null;
  const current = session ?? stored;
  const source: CitySource = current?.source ?? {kind: "demo", label: "示例市（合成数据）"};
  const box = h("div", {class: "import-status", "data-testid": "status", "data-source": source.kind, "data-storage": session ? "session" : stored ? "local" : "none"});
  box.append(h("p", {}, session ? "本标签页使用的数据：" : "各页面当前使用的数据：", sourceBadge(source)));
  if (current) box.append(h("p", {class: "muted"}, `单位 ${count(current.summary.units)} 个，持证残疾人 ${count(current.summary.persons)} 人；导入时间 ${current.source.importedAt ?? ""}。`));
  if (session) {
    box.append(h("p", {class: "muted", "data-testid": "session-where"},
      "这些数据只在本页（导入页）的内存中，没有写入本机存储（IndexedDB、localStorage、sessionStorage、Cookie 都没有）。请用链接",
      sessionLinks(),
      `：这些标签页在本页打开期间从本页读取数据。关闭、刷新或离开本页，数据即清除，那些标签页刷新后恢复使用${stored ? "本机保存的数据" : "示例市（合成数据）"}；从地址栏或侧边栏在其他标签页打开的页面看不到这些数据。`,
    ));
  }
  if (stored) {
    box.append(h("p", {class: "muted", "data-testid": "local-where"},
      `${session ? `本机另保存有：${stored.source.label}（其他标签页使用它）。` : ""}保存在本浏览器的 IndexedDB 数据库「${databaseName}」中（只供部署在 ${deployment} 的本沙盘使用），内容为单位表、人员表（已删除个人信息列）、文件名、行数和导入时间；下次打开仍在，直到点击「清除本机数据」。`,
    ));
  }
  if (read.state === "unreadable") {
    box.append(h("p", {class: "import-error", "data-testid": "store-problem"}, `${read.message}。数据库「${databaseName}」中的这份记录不会被使用；可点击「清除本机数据」删除它。`));
  }
  return box;
}

export function ImportPanel(options: ImportPanelOptions): HTMLElement {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const root = h("div", {class: "import-panel"}, h("style", {}, styles));
  const status = h("div");
  const clearButton = h("button", {type: "button", "data-testid": "clear"}, "清除本机数据");
  const confirmText = h("p", {}, "");
  const confirmYes = h("button", {type: "button", "data-testid": "clear-confirm"}, "确定清除");
  const confirmNo = h("button", {type: "button", "data-testid": "clear-cancel"}, "取消");
  const confirmBox = h("div", {class: "import-confirm", role: "alertdialog", "aria-label": "确认清除本机数据", "data-testid": "clear-confirm-box", hidden: true}, confirmText, confirmYes, confirmNo);
  const legacy = h("div", {class: "import-pii", "data-testid": "legacy", hidden: true});
  const results = h("div", {class: "import-results", "data-testid": "results"});
  const progressBar = h("progress", {max: 1, value: 0});
  const progressText = h("span", {"data-testid": "progress-text"}, "");
  const progress = h("div", {class: "import-progress", hidden: true}, progressBar, progressText);
  const input = h("input", {type: "file", multiple: true, accept: ".xlsx,.xlsm,.xls,.et,.ett,.csv,.tsv,.txt", "data-testid": "file-input", "aria-label": "选择要导入的文件"});
  const picker = filePicker(input, "选择文件……");
  const drop = h("div", {class: "import-drop", "data-testid": "drop"},
    h("strong", {}, "把 Excel（.xlsx、.xls）、WPS 表格（.et）或 CSV 文件拖到这里，或"), h("br"), picker.element,
    h("p", {class: "muted"}, "可一次选择多个文件：一个 Excel 工作簿（单位、人员两个工作表），或单位表、人员表两个 CSV 文件。支持 UTF-8、GBK/GB18030、UTF-16 编码，逗号或制表符分隔。"),
  );

  async function refreshStatus(): Promise<void> {
    const session = ownSessionCity();
    const read = await readStoredCity();
    status.replaceChildren(statusBox(session, read));
    clearButton.hidden = !session && read.state === "none";
    confirmBox.hidden = true;
    if (session || read.state === "ok") {
      // Open the city exactly as the other pages do (cityDb.ts), and count what they will see.
      const check = h("p", {class: "muted", "data-testid": "db-check"}, "正在核对数据库……");
      status.append(check);
      try {
        const {db, source} = await openCityDb();
        const [{units, persons}] = await db.query<{units: number; persons: number}>("SELECT (SELECT count(*) FROM units) AS units, (SELECT count(*) FROM persons) AS persons");
        check.dataset.source = source.kind;
        check.dataset.units = String(units);
        check.dataset.persons = String(persons);
        check.textContent = `数据库核对：单位 ${Number(units).toLocaleString("en-US")} 个，人员 ${Number(persons).toLocaleString("en-US")} 人，${session ? "本页和从本页打开的标签页" : "各页面"}将使用这些数据。`;
        // The same city rules the demo city is generated under and a build checks a workbook with.
        const contract = await checkCityContract(db);
        status.append(h("p", {class: contract.violations.length ? "import-error" : "muted", "data-testid": "contract", "data-violations": contract.violations.length},
          contract.violations.length
            ? `城市数据规则核对：${contract.violations.length} 条未通过（${contract.violations.slice(0, 3).map((v) => `${v.column}：${v.rule}，${v.rows} 行`).join("；")}）`
            : `城市数据规则核对：${contract.rules} 条规则全部通过（层级、代码、人口合计、人数之间的关系）。`));
      } catch (error) {
        console.warn("stored city not usable", error);
        check.textContent = "数据无法打开（可能来自旧版本或已损坏）：可点击「清除本机数据」后重新导入。";
      }
    }
  }
  clearButton.addEventListener("click", async () => {
    const session = ownSessionCity();
    const read = await readStoredCity();
    const what = [
      session ? `本页内存中的临时数据（${session.source.label}）` : "",
      read.state === "ok" ? `本浏览器 IndexedDB 数据库「${databaseName}」中保存的数据（${read.city.source.label}）` : read.state === "unreadable" ? `本浏览器 IndexedDB 数据库「${databaseName}」中无法读取的记录` : "",
    ].filter(Boolean);
    confirmText.textContent = `确定要清除${what.join("和")}吗？清除后各页面恢复使用示例市（合成数据），如需再用须重新导入。此操作不能撤销。`;
    confirmBox.hidden = false;
    confirmYes.focus();
  });
  confirmNo.addEventListener("click", () => {
    confirmBox.hidden = true;
  });
  confirmYes.addEventListener("click", async () => {
    confirmBox.hidden = true;
    dropSessionCity();
    try {
      await clearStoredCity();
      await refreshStatus();
      results.replaceChildren(h("p", {class: "import-ok", "data-testid": "cleared"}, `已清除（已删除数据库「${databaseName}」），各页面恢复使用示例市（合成数据）。`));
    } catch (error) {
      results.replaceChildren(h("p", {class: "import-error"}, `清除失败：${String((error as Error)?.message ?? error)}`));
    }
  });

  /** The database every deployment on this host shared before: never read, offered for deletion. */
  async function offerLegacyDeletion(): Promise<void> {
    if (!(await legacyDatabaseExists())) return;
    const remove = h("button", {type: "button", "data-testid": "legacy-delete"}, "删除旧版本的数据");
    legacy.replaceChildren(
      h("strong", {}, `本浏览器中还有旧版本沙盘保存的数据（IndexedDB 数据库「${LEGACY_DATABASE}」）。`),
      h("p", {}, "旧版本把导入的数据保存在同一主机上所有部署共用的位置，另一部署会误用它；本版本按部署路径分开保存，因此不再读取它，页面也不会使用其中的数据。建议删除：如仍需要这些数据，请重新导入。若同一主机上还有未升级的旧版本沙盘，它保存的数据也会一并删除。"),
      h("div", {class: "import-actions"}, remove),
    );
    legacy.hidden = false;
    remove.addEventListener("click", async () => {
      remove.disabled = true;
      try {
        await deleteLegacyDatabase();
        legacy.replaceChildren(h("p", {"data-testid": "legacy-deleted"}, `已删除旧版本的数据（数据库「${LEGACY_DATABASE}」）。`));
      } catch (error) {
        legacy.append(h("p", {class: "import-error"}, `删除失败：${String((error as Error)?.message ?? error)}`));
        remove.disabled = false;
      }
    });
  }

  let running = false;
  /** Where files are read (a worker, importRunner.ts), started on the first import. */
  let runnerReady: Promise<ImportRunner> | undefined;
  let lastRunner: ImportRunner | undefined;
  async function run(files: File[], mapping: ColumnMapping = rememberedMapping()): Promise<void> {
    if (running || !files.length) return;
    running = true;
    results.replaceChildren();
    progress.hidden = false;
    progressBar.value = 0;
    const started = performance.now();
    const update = (p: ImportProgress) => {
      progressBar.value = p.bytesTotal ? p.bytesDone / p.bytesTotal : 0;
      progressText.textContent = `${p.phase === "scan" ? "正在识别" : p.phase === "parse" ? "正在解析工作簿（大文件需要较长时间，本页可照常操作）" : p.phase === "units" ? "正在校验单位" : p.phase === "persons" ? "正在校验人员" : "完成"}：${p.file} · 已读取 ${megabytes(p.bytesDone)} / ${megabytes(p.bytesTotal)} · ${p.rows.toLocaleString("en-US")} 行`;
    };
    try {
      picker.chosen.textContent = `本次导入：${files.map((f) => f.name).join("、")}`;
      const runner = await (runnerReady ??= importRunner());
      root.dataset.importIn = runner.where;
      const {result, summary} = await runner.run(files, {referenceDate: today, onProgress: update, mapping});
      lastRunner = runner;
      progressBar.value = 1;
      progressText.textContent = `完成：${files.map((f) => f.name).join("、")}，用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒`;
      root.dataset.importMs = String(Math.round(performance.now() - started));
      results.replaceChildren(renderResult(result, summary, files));
    } catch (error) {
      results.replaceChildren(h("p", {class: "import-error"}, `导入出错：${String((error as Error)?.message ?? error)}`));
    } finally {
      running = false;
      input.value = "";
    }
  }

  function renderResult(r: ImportResult, summary: ImportSummary, files: File[]): HTMLElement {
    const box = h("div", {"data-testid": "result", "data-units-accepted": r.counts.units.accepted, "data-units-rejected": r.counts.units.rejected, "data-persons-accepted": r.counts.persons.accepted, "data-persons-rejected": r.counts.persons.rejected});
    for (const f of r.files.filter((x) => x.error)) box.append(h("p", {class: "import-error", "data-testid": "file-error", "data-rule": f.error!.rule}, `${f.file}：${f.error!.message}`));
    if (r.office) {
      // An office's own tables: what was read, how each column was matched (the mapping step), problems by cause.
      box.append(OfficeSummaryCards(summary));
      box.append(h("h3", {}, "列对应"), MappingStep(r.office.sheets, (mapping) => void run(files, mapping)));
      if (summary.problems.length) box.append(h("h3", {}, "问题（按原因归并，影响大的在前）"), ProblemGroups(summary.problems));
    }
    if (!r.office || r.counts.units.rowsIn || r.counts.persons.rowsIn) box.append(h("div", {class: "import-cards"},
      ...(["units", "persons"] as const).map((t) => h("div", {class: "import-card", "data-testid": `card-${t}`},
        h("div", {}, tableZh[t]),
        h("div", {class: "big"}, h("span", {class: "accepted"}, countEl(r.counts[t].accepted, {"data-testid": `${t}-accepted`})), " / ", h("span", {class: "rejected"}, countEl(r.counts[t].rejected, {"data-testid": `${t}-rejected`}))),
        h("div", {class: "muted"}, `接受 / 拒绝，共 ${r.counts[t].rowsIn.toLocaleString("en-US")} 行${r.counts[t].blank ? `（另有 ${r.counts[t].blank.toLocaleString("en-US")} 个空行）` : ""}`),
      )),
      h("div", {class: "import-card"}, h("div", {}, "问题"), h("div", {class: "big"}, countEl(r.errors, {"data-testid": "error-count"}), " 错误"), h("div", {class: "muted"}, `${r.warnings.toLocaleString("en-US")} 条提示`)),
    ));
    if (r.pii.length) {
      box.append(h("div", {class: "import-pii", "data-testid": "pii", role: "alert"},
        h("strong", {}, "检测到个人信息，以下列已删除（不存储、不显示、不导出）："),
        h("ul", {}, ...r.pii.map((p) => h("li", {"data-column": p.column}, `${p.file}${p.sheet !== "CSV" ? ` 工作表「${p.sheet}」` : ""} 列「${p.column}」：${p.label}（${p.by === "content" ? "按内容识别" : p.by === "header" ? "按表头识别" : "按表头和内容识别"}）`))),
        h("p", {}, "统计分析不需要姓名、身份证号、残疾人证号、电话或住址。请勿在上传的表格中保留这些列。"),
      ));
    }
    // What was read and how.
    box.append(h("h3", {}, "读取情况"), h("table", {class: "import-table", "data-testid": "sheets"},
      h("thead", {}, h("tr", {}, ...["文件", "工作表", "识别为", "编码", "行数", "接受", "拒绝", "跳过"].map((label) => h("th", {}, label)))),
      h("tbody", {}, ...r.files.flatMap((f) => f.sheets.map((s) => {
        // A sheet read as the office's own form counts its rows there (titles, 小计, 合计 … skipped).
        const office = s.table ? undefined : r.office?.sheets.find((o) => o.file === f.file && o.sheet === s.sheet);
        const rows = office ? office.rows : {in: s.rowsIn, accepted: s.accepted, rejected: s.rejected, skipped: s.blank};
        const kind = s.table ? tableZh[s.table] : office ? officeRoleZh[office.role] : "—";
        return h("tr", {},
          h("td", {}, f.file), h("td", {}, s.sheet), h("td", {}, kind), h("td", {}, f.encoding ?? (f.format === "xlsx" ? "Excel 工作簿" : f.format === "xls" ? "Excel 97–2003 工作簿（.xls）" : "—")),
          ...[rows.in, rows.accepted, rows.rejected, rows.skipped].map((x) => h("td", {}, x.toLocaleString("en-US"))),
        );
      }))),
    ));
    const notes = [...r.files.flatMap((f) => f.sheets.flatMap((s) => s.notes.map((n) => `${f.file}${s.sheet !== "CSV" ? ` 「${s.sheet}」` : ""}：${n}`))), ...r.notes];
    if (notes.length) box.append(h("ul", {class: "import-notes", "data-testid": "notes"}, ...notes.map((n) => h("li", {}, n))));

    const actions = h("div", {class: "import-actions"});
    for (const t of ["units", "persons"] as const) {
      const n = r.rejectedRows.filter((x) => x.table === t).length;
      if (!n) continue;
      const b = h("button", {type: "button", "data-testid": `download-rejected-${t}`}, `下载被拒绝的${tableZh[t].replace("表", "")}行（CSV，${n.toLocaleString("en-US")} 行）`);
      b.addEventListener("click", () => download(`被拒绝的行-${tableZh[t]}.csv`, rejectedRowsCsv(r.rejectedRows, r.rejectedHeaders[t], t)));
      actions.append(b);
    }
    if (r.problems.length) {
      const b = h("button", {type: "button", "data-testid": "download-problems"}, "下载问题清单（CSV）");
      b.addEventListener("click", () => download("导入问题清单.csv", toCsv(["级别", "文件", "工作表", "行", "列", "值", "问题", "规则"], r.problems.map((p) => [severityZh[p.severity], p.file, p.sheet, p.row ?? "", p.column ?? "", p.value, p.message, p.rule]))));
      actions.append(b);
    }
    const missing = MissingNote(r, summary);
    const usable = r.units.some((u) => u.level === "community");
    const choiceName = `storage-choice-${++choiceCount}`;
    const radio = (value: "local" | "session", checked: boolean) => h("input", {type: "radio", name: choiceName, value, checked, "data-testid": `store-${value}`});
    const local = radio("local", true);
    const session = radio("session", false);
    const choice = h("fieldset", {class: "import-choice", "data-testid": "storage-choice", disabled: !usable},
      h("legend", {}, "使用前请选择数据保存在哪里"),
      h("label", {}, local, " ", h("strong", {}, "保存在本机（下次打开仍在）"),
        h("span", {class: "muted"}, `：写入本浏览器的 IndexedDB 数据库「${databaseName}」（只供部署在 ${deployment} 的本沙盘使用），覆盖缺口、预算沙盘等页面都使用它，直到点击「清除本机数据」。同一主机（同一域名和端口）上的其他网页在技术上能读取它。`)),
      h("label", {}, session, " ", h("strong", {}, "仅在本标签页使用（关闭标签页即清除，不写入本机存储）"),
        h("span", {class: "muted"}, "：数据只留在本页的内存中，不写入 IndexedDB、localStorage 或 sessionStorage。覆盖缺口和预算沙盘须用本页给出的链接在新标签页打开，在本页保持打开期间从本页读取数据；关闭、刷新或离开本页即清除。")),
    );
    const useLabel = () => `使用这些数据（单位 ${r.units.length.toLocaleString("en-US")} 个，持证残疾人 ${summary.persons.total.toLocaleString("en-US")} 人${summary.persons.from === "counts" ? "（按社区人数）" : ""}，${session.checked ? "仅在本标签页" : "保存在本机浏览器"}）`;
    const use = h("button", {type: "button", "data-testid": "use", disabled: !usable}, usable ? useLabel() : "没有可用的社区数据，无法使用");
    const saveError = h("p", {class: "import-error", "data-testid": "save-error", hidden: true});
    for (const option of [local, session]) option.addEventListener("change", () => usable && (use.textContent = useLabel()));
    use.addEventListener("click", async () => {
      const sessionOnly = session.checked;
      use.disabled = true;
      saveError.hidden = true;
      use.textContent = sessionOnly ? "正在载入……" : "正在保存……";
      const names = files.map((f) => f.name).join("、");
      const source: CitySource = {kind: "imported", label: `${sessionOnly ? "本标签页临时使用" : "本机导入"}：${names}`, importedAt: new Date().toLocaleString("zh-CN", {hour12: false}), ...(sessionOnly ? {session: true} : {})};
      try {
        const started = performance.now();
        const city: StoredCity = {
          schema: STORE_SCHEMA,
          base: deployment,
          source,
          // Built where the files were read (the worker): units, persons, and counts per community when given.
          tables: await lastRunner!.tables(),
          summary: {units: r.units.length, persons: r.persons.length, files: files.map((f) => f.name), droppedColumns: r.pii.map((p) => p.column)},
        };
        root.dataset.tablesMs = String(Math.round(performance.now() - started));
        if (sessionOnly) holdSessionCity(city);
        else {
          await saveStoredCity(city);
          dropSessionCity();
        }
        await refreshStatus();
        choice.disabled = true;
        use.replaceWith(sessionOnly
          ? h("p", {class: "import-ok", "data-testid": "saved", "data-storage": "session"}, "已在本页载入，未写入本机存储。", sessionLinks(), "：这些标签页在本页打开期间使用这些数据（页面顶部的标签会注明）；关闭、刷新或离开本页即清除。")
          : h("p", {class: "import-ok", "data-testid": "saved", "data-storage": "local"}, `已保存到本机浏览器（IndexedDB 数据库「${databaseName}」）。`, h("a", {href: "./gaps"}, "覆盖缺口"), "和", h("a", {href: "./sandbox"}, "预算沙盘"), "页面现在使用这些数据（页面顶部的标签会注明）。"));
      } catch (error) {
        saveError.textContent = String((error as Error)?.message ?? error);
        saveError.hidden = false;
        use.disabled = false;
        use.textContent = useLabel();
      }
    });
    box.append(choice);
    actions.append(use);
    if (missing) box.append(missing);
    box.append(actions, saveError);

    if (r.problems.length) box.append(h("h3", {}, `问题清单（${r.problemCount.toLocaleString("en-US")}）`), ProblemTable(r.problems, r.problemCount));
    if (r.units.length) {
      box.append(h("h3", {}, "已接受的单位（前 10 个）"), h("table", {class: "import-table", "data-testid": "preview"},
        h("thead", {}, h("tr", {}, ...["单位代码", "单位名称", "层级名称", "上级单位代码", "常住人口"].map((label) => h("th", {}, label)))),
        h("tbody", {}, ...r.units.slice(0, 10).map((u) => h("tr", {}, h("td", {}, u.unit_code), h("td", {}, displayValue(u.unit_name)), h("td", {}, u.level_label), h("td", {}, u.parent_code ?? "—"), h("td", {}, u.residents.toLocaleString("en-US"))))),
      ));
    }
    box.dataset.problems = r.problems.map(formatProblem).length.toString();
    return box;
  }

  input.addEventListener("change", () => void run([...(input.files ?? [])]));
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("dragging");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("dragging"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("dragging");
    void run([...(e.dataTransfer?.files ?? [])]);
  });

  // Another tab of this deployment saved or cleared the stored city: say so, and show what is stored now.
  const changed = h("p", {class: "import-error", "data-testid": "store-change", hidden: true});
  onStoreChange(databaseName, (change) => {
    changed.textContent = storeChangeMessage(change, true);
    changed.hidden = false;
    void refreshStatus();
  });
  root.append(
    changed,
    status,
    h("div", {class: "import-actions"}, clearButton),
    confirmBox,
    legacy,
    h("h2", {}, "1. 下载模板"),
    h("p", {}, "按模板填写：", h("a", {href: options.templates.xlsx, download: "残联规划沙盘-填报模板.xlsx"}, "Excel 模板（含填表说明）"), "；或 CSV 模板：", h("a", {href: options.templates.units, download: "单位表模板.csv"}, "单位表"), "、", h("a", {href: options.templates.persons, download: "人员表模板.csv"}, "人员表"), "。"),
    h("h2", {}, "2. 上传文件"),
    drop,
    progress,
    results,
  );
  void refreshStatus();
  void offerLegacyDeletion();
  return root;
}
