import type {ColumnMapping, ImportResult} from "../../importer/index.js";
import {h} from "../shared/dom.js";
import {filePicker} from "../shared/filePicker.js";
import type {ColumnGuess, OfficeSheetReport} from "../../importer/office/readOffice.js";
import {mappingFileText, parseMappingFile} from "../../importer/office/mappingFile.js";
import {fieldKind, readValue} from "../../importer/office/records.js";
import {fieldInfo, mappableFields, type OfficeField} from "../../importer/office/vocabulary.js";
import {countColumns} from "../../schemas/communityCounts.js";
import type {ImportSummary, ProblemGroup} from "../../importer/summary.js";
import {disabilityCategories, disabilityCategoryLabels} from "../../schemas/disabilityCategories.js";
import {questionsAnswerable} from "../../engine/answerability.js";
import {slicesReported} from "../../engine/communityCountsCube.js";

/**
 * The import page's view of an office's own tables: what was read (communities, residents, persons by
 * category, every row accounted for), the mapping step (列对应: each file column with the field it was
 * matched to and how sure the match is; the planner confirms, changes or ignores it, and the choice is
 * remembered for the next upload of the same layout and can be saved as a file for the build route), the
 * problems grouped by cause with the biggest first, and what the data cannot answer.
 */


const n = (x: number) => x.toLocaleString("zh-CN");

/** Remembered mappings live in this browser only (headers are not personal data; the figures are not kept). */
const MAPPING_KEY = "dpf-sandbox:column-mapping:v1";

export function rememberedMapping(): ColumnMapping {
  try {
    const text = localStorage.getItem(MAPPING_KEY);
    return text ? parseMappingFile(text) : {};
  } catch {
    return {};
  }
}

function remember(mapping: ColumnMapping): void {
  try {
    localStorage.setItem(MAPPING_KEY, mappingFileText({...rememberedMapping(), ...mapping}));
  } catch {
    // Storage full or disabled: the mapping still applies to this import.
  }
}

export function forgetMapping(): void {
  try {
    localStorage.removeItem(MAPPING_KEY);
  } catch {
    // nothing stored
  }
}

function download(name: string, text: string, type = "application/json"): void {
  const url = URL.createObjectURL(new Blob([text], {type: `${type};charset=utf-8`}));
  const a = h("a", {href: url, download: name});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The cards: communities, residents, persons (by category), rows. */
export function OfficeSummaryCards(summary: ImportSummary): HTMLElement {
  const card = (label: string, value: string, sub: string, testid: string) =>
    h("div", {class: "import-card", "data-testid": testid}, h("div", {}, label), h("div", {class: "big"}, value), h("div", {class: "muted"}, sub));
  const categories = disabilityCategories.map((c) => {
    const v = summary.persons.by_category[c];
    return `${disabilityCategoryLabels[c]} ${v === null ? "未填报" : n(v)}`;
  });
  return h("div", {class: "import-cards", "data-testid": "office-summary", "data-communities": summary.communities, "data-residents": summary.residents, "data-persons": summary.persons.total},
    card("社区/村", n(summary.communities), `常住人口 ${n(summary.residents)} 人`, "card-communities"),
    card("持证残疾人", n(summary.persons.total), categories.join("，"), "card-persons"),
    card("行", `${n(summary.rows.accepted)} / ${n(summary.rows.rejected)}`, `接受 / 拒绝；共读入 ${n(summary.rows.in)} 行，跳过 ${n(summary.rows.skipped)} 行（标题、表头、小计、合计、表尾、空行、重复行）`, "card-rows"),
  );
}

/** Problems grouped by cause: "1 个问题导致 7,553 行被拒绝：…", the biggest first, one example each. */
export function ProblemGroups(groups: readonly ProblemGroup[]): HTMLElement {
  const list = h("ol", {class: "import-groups", "data-testid": "problem-groups"});
  for (const g of groups.slice(0, 50)) {
    const where = [g.file, g.sheet && g.sheet !== "CSV" ? `工作表「${g.sheet}」` : "", g.row !== null ? `第 ${g.row} 行` : "", g.column ? `列「${g.column}」` : "", g.value ? `值「${g.value}」` : ""].filter(Boolean).join(" ");
    const head = g.severity === "error" ? `${n(g.count)} 处错误` : `${n(g.count)} 条提示`;
    list.append(h("li", {class: `sev-${g.severity}`, "data-rule": g.rule, "data-count": g.count},
      h("strong", {}, head), "：", g.message_zh, h("div", {class: "muted"}, `例：${where}`)));
  }
  if (groups.length > 50) list.append(h("li", {class: "muted"}, `另有 ${groups.length - 50} 类问题，见下方问题清单`));
  return list;
}

const fieldOptions = (() => {
  const groups: [string, (f: OfficeField) => boolean][] = [
    ["单位与名称", (f) => /_name$|_code$|level_label/.test(f)],
    ["人数", (f) => fieldKind(f) === "int"],
    ["社区服务状况", (f) => /^has_|_trained$|area|funding|satisfaction/.test(f)],
    ["只核对、不保存", (f) => /rate$|other_/.test(f)],
  ];
  const used = new Set<OfficeField>();
  return groups.map(([label, test]) => {
    const fields = mappableFields.filter((f) => !used.has(f.field) && test(f.field));
    for (const f of fields) used.add(f.field);
    return {label, fields};
  });
})();

function confidenceText(c: ColumnGuess["confidence"]): string {
  if (c === "planner") return "已按您的选择";
  if (c >= 1) return "确定";
  if (c >= 0.8) return "按上方分组标题";
  if (c > 0) return "推测，请确认";
  return "未识别";
}

/** What a column's sample values read as under a field: "62.5% → 62.5%" or the reason it cannot. */
function trySamples(samples: readonly string[], field: OfficeField | null): {ok: number; bad: string | null} {
  if (!field) return {ok: 0, bad: null};
  const kind = fieldKind(field);
  if (kind === "text" || kind === "code") return {ok: samples.length, bad: null};
  let ok = 0;
  let bad: string | null = null;
  for (const s of samples) {
    const v = readValue(s, kind, null);
    if (v.ok) ok++;
    else bad ??= `「${s}」${v.message}`;
  }
  return {ok, bad};
}

/**
 * The mapping step: one table per sheet read as an office table. A change shows at once what the column's
 * first values read as under the chosen field; 按此列对应重新读取 applies every change (and remembers it).
 */
export function MappingStep(sheets: readonly OfficeSheetReport[], onApply: (mapping: ColumnMapping) => void): HTMLElement {
  const box = h("div", {class: "import-mapping", "data-testid": "mapping"});
  const choices: ColumnMapping = {};
  const apply = h("button", {type: "button", "data-testid": "apply-mapping", disabled: true}, "按此列对应重新读取");
  const save = h("button", {type: "button", "data-testid": "save-mapping"}, "保存列对应文件（供构建使用）");
  const load = h("input", {type: "file", accept: ".json", "aria-label": "载入列对应文件", "data-testid": "load-mapping"});
  const loadError = h("p", {class: "import-error", hidden: true, "data-testid": "mapping-error"});
  // One table per layout: sheets of the same layout (a sheet per street, a form per community) share their choices.
  const layouts = new Map<string, OfficeSheetReport[]>();
  for (const s of sheets) if (s.signature && s.columns.length && s.role !== "summary") layouts.set(s.signature, [...(layouts.get(s.signature) ?? []), s]);
  for (const [signature, alike] of layouts) {
    const sheet = alike[0]!;
    const form = sheet.role === "indicator_form";
    const rows = sheet.columns.filter((c) => c.header).map((c) => {
      const select = h("select", {"aria-label": `「${c.header}」对应`, "data-header": c.header},
        h("option", {value: ""}, "不导入此列"),
        ...fieldOptions.map((g) => h("optgroup", {label: g.label}, ...g.fields.map((f) => h("option", {value: f.field, selected: f.field === c.field}, f.zh)))),
      );
      const check = h("td", {class: "wrap", "data-testid": "mapping-check"});
      const show = () => {
        const field = (select.value || null) as OfficeField | null;
        const {ok, bad} = trySamples(c.samples, field);
        check.textContent = field === null ? "不导入" : bad ? `示例值读不通：${bad}` : c.samples.length ? `示例 ${c.samples.slice(0, 3).join("、")}：${ok} 个可读` : "（此列无数据）";
        check.className = bad ? "wrap import-bad" : "wrap";
      };
      show();
      select.addEventListener("change", () => {
        (choices[signature] ??= {})[c.header] = (select.value || null) as OfficeField | null;
        show();
        apply.disabled = false;
      });
      return h("tr", {"data-confidence": String(c.confidence), ...(c.added ? {"data-added": ""} : {})},
        h("td", {}, c.header), h("td", {}, select), h("td", {}, c.added ? `新增的列，${confidenceText(c.confidence)}` : confidenceText(c.confidence)), check);
    });
    const others = alike.length > 1 ? `，及同样格式的另 ${alike.length - 1} 个工作表（${alike.slice(1, 4).map((s) => `「${s.sheet}」`).join("")}${alike.length > 4 ? " 等" : ""}）` : "";
    const where = form ? "（一行一个指标：每行的指标名称对应为一个字段）" : sheet.headerRows ? `（表头第 ${sheet.headerRows[0]}${sheet.headerRows[1] !== sheet.headerRows[0] ? `–${sheet.headerRows[1]}` : ""} 行）` : "";
    box.append(
      h("h4", {}, `${sheet.file}${sheet.sheet !== "CSV" ? ` 工作表「${sheet.sheet}」` : ""}${others}${where}`),
      h("div", {class: "import-scroll"}, h("table", {class: "import-table", "data-signature": signature},
        h("thead", {}, h("tr", {}, ...[form ? "表中的指标" : "文件中的列", "对应为", "把握", form ? "填报值" : "示例值"].map((label) => h("th", {}, label)))),
        h("tbody", {}, ...rows))),
    );
  }
  apply.addEventListener("click", () => {
    // Every column of a changed layout is written down, so the file reads the same next time.
    const mapping: ColumnMapping = {};
    for (const sheet of sheets) {
      if (!sheet.signature || !choices[sheet.signature]) continue;
      mapping[sheet.signature] = Object.fromEntries(sheet.columns.filter((c) => c.header).map((c) => [c.header, c.field]));
      Object.assign(mapping[sheet.signature]!, choices[sheet.signature]);
    }
    remember(mapping);
    // The other layouts' remembered choices still hold on the re-read.
    onApply({...rememberedMapping(), ...mapping});
  });
  save.addEventListener("click", () => {
    const mapping: ColumnMapping = {};
    for (const sheet of sheets) {
      if (!sheet.signature) continue;
      mapping[sheet.signature] = {...Object.fromEntries(sheet.columns.filter((c) => c.header).map((c) => [c.header, c.field])), ...choices[sheet.signature]};
    }
    download("列对应.json", mappingFileText(mapping));
  });
  load.addEventListener("change", async () => {
    const file = load.files?.[0];
    if (!file) return;
    try {
      const mapping = parseMappingFile(await file.text());
      loadError.hidden = true;
      remember(mapping);
      onApply({...rememberedMapping(), ...mapping});
    } catch (error) {
      loadError.hidden = false;
      loadError.textContent = `${file.name}：${(error as Error).message}`;
    }
  });
  box.prepend(h("p", {class: "muted"}, "每一列按表头自动对应到本系统的字段；「推测，请确认」的列请核对。改动后点击「按此列对应重新读取」；您的选择会记在本机浏览器中，下次上传同样格式的表格时自动沿用，也可保存为文件，在构建时使用（dpf.config.yaml 的 mapping）。"));
  box.append(h("div", {class: "import-actions"}, apply, save, filePicker(load, "载入列对应文件……").element), loadError);
  return box;
}

/** Before 使用这些数据: what was left out, in numbers. */
export function MissingNote(result: ImportResult, summary: ImportSummary): HTMLElement | null {
  const lines: string[] = [];
  const rejected = summary.rows.rejected;
  const communities = summary.communities;
  if (rejected) lines.push(`${n(rejected)} 行被拒绝，未导入（共 ${n(rejected + summary.rows.accepted)} 行数据，已导入 ${n(communities)} 个社区/村）；请看上方问题，改正后重新上传`);
  if (result.office && summary.residents === 0 && communities) lines.push("文件没有常住人口：按人口计算的指标（人均康复经费等）无法计算");
  if (result.office && !result.communityCounts.length && !result.persons.length) lines.push("文件没有持证残疾人数：人员相关的指标（筛查率、建档率等）和预算测算无法计算");
  // A blank cell is not a 0: the communities that left a count blank are 未填报 on the pages, out of the rates.
  const counts = result.communityCounts;
  const blanks = countColumns
    .map((c) => ({c, blank: counts.filter((r) => r[c] === null).length}))
    .filter(({blank}) => blank > 0 && blank < counts.length);
  if (blanks.length)
    lines.push(`部分社区未填报（空白，不按 0 计）：${blanks.slice(0, 6).map(({c, blank}) => `${fieldInfo.get(c as OfficeField)?.zh ?? c} ${n(blank)} 个`).join("，")}${blanks.length > 6 ? ` 等 ${blanks.length} 项` : ""}（共 ${n(counts.length)} 个社区）；这些社区在覆盖缺口中显示为“未填报”，不计入达成率`);
  // A counts city answers what its columns allow; say per page and question what it cannot, and why.
  const unanswerable = result.communityCounts.length && !result.persons.length ? questionsAnswerable(slicesReported(new Set(result.office?.countFields ?? []))).filter((q) => !q.answer.answerable) : [];
  if (!lines.length && !unanswerable.length) return null;
  const box = h("div", {class: "import-pii", "data-testid": "missing", role: "status"}, h("strong", {}, "使用前请注意："), h("ul", {}, ...lines.map((l) => h("li", {}, l))));
  if (unanswerable.length) {
    box.append(
      h("details", {}, h("summary", {}, `这些数据是按社区的人数，能回答的问题取决于表中有哪些人数：以下 ${unanswerable.length} 项无法计算（点击查看原因）`),
      h("ul", {"data-testid": "unanswerable"}, ...unanswerable.map((q) => h("li", {"data-question": `${q.kind}:${q.id}${q.filter_zh ? `:${q.filter_zh}` : ""}`},
        `${q.kind === "indicator" ? "覆盖缺口" : "预算沙盘"} · ${q.label_zh}${q.filter_zh ? `（${q.filter_zh}）` : ""}：${q.answer.answerable ? "" : q.answer.reason_zh}`)))),
    );
  }
  return box;
}

/** The problem groups as CSV columns (for the problem download). */
export function groupsCsvRows(groups: readonly ProblemGroup[]): (string | number)[][] {
  return groups.map((g) => [g.severity === "error" ? "错误" : "提示", g.count, g.file, g.sheet, g.row ?? "", g.column ?? "", g.value, g.message_zh, g.rule]);
}

export {download as downloadText};
