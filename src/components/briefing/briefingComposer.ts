import {stringify} from "yaml";
import {computeBriefingData, type ResolvedScenario} from "../../engine/briefingData.js";
import {gapLevels} from "../../engine/gapQuery.js";
import {indicators, type IndicatorId} from "../../engine/indicators.js";
import {planBaseYear, planYears} from "../../engine/planPeriod.js";
import {presets} from "../../engine/presets.js";
import type {Queryable} from "../../engine/queryable.js";
import {prepareModel} from "../../engine/runScenario.js";
import type {Scenario} from "../../engine/scenario.js";
import {briefingFile, briefingFileProblems, DEFAULT_SMALL_CELL_THRESHOLD, type BriefingFileInput} from "../../schemas/briefing.js";
import type {FigureRow} from "../../schemas/figures.js";
import {offlineBriefingHtml} from "./briefingHtml.js";
import type {BriefingData} from "../../schemas/briefingData.js";
import type {CitySource} from "../shared/cityDb.js";
import {h} from "../shared/dom.js";
import {filePicker} from "../shared/filePicker.js";
import {levelLabels} from "../gaps/gapText.js";
import {readUploadedFile, type KnownIds} from "../sandbox/scenarioFile.js";
import {readSandboxSlots, slotsFromText} from "../sandbox/scenarioState.js";
import {saveFile} from "../shared/tableDownload.js";

/**
 * The briefing composer (测算简报撰写): on the city the page opened (the demo city or the planner's
 * imported one), a planner picks gap views and scenarios (the sandbox's slots, the site's scenario files,
 * scenario files they saved), a budget cap, and writes the title, lead and section texts. The engines run
 * here, in DuckDB-WASM, through the same module the build uses (computeBriefingData), and the preview is
 * the single file itself (offlineBriefingHtml), so what is exported is what was previewed: the single
 * file, a PDF through the browser's print, and the briefing file (YAML) the build route reads. Nothing
 * leaves the browser.
 */

export interface ComposerOptions {
  db: Queryable;
  source: CitySource;
  figures: readonly FigureRow[];
  /** The site's scenario files (data/scenarios/), by name. */
  siteScenarios: readonly {id: string; scenario: Scenario}[];
  /** Today's date (ISO), the briefing's default date. */
  today: string;
}

/** A scenario the planner may put in the briefing, and how the briefing file writes it. */
interface ScenarioChoice {
  id: string;
  label: string;
  /** Where it came from, for the record (a file name or the sandbox slot). */
  file: string;
  scenario: Scenario;
  /** A site file is written by name; any other in place. */
  siteFile: boolean;
}

const sectionFields = [
  ["policy", "一、政策依据"],
  ["gaps", "二、覆盖现状与缺口"],
  ["scenarios", "三、测算方案"],
  ["conclusions", "四、结论与建议"],
] as const;

/** An imported city's data as the briefing names them: the planner's file names and the import date. */
function provenanceOf(source: CitySource): {source_zh: string; vintage_zh: string} | undefined {
  if (source.kind === "demo") return undefined;
  const files = source.label.replace(/^[^：]*：/, "");
  const m = /(\d{4})\D(\d{1,2})\D(\d{1,2})/.exec(source.importedAt ?? "");
  const date = m ? `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}` : null;
  if (source.kind === "imported") return {source_zh: `规划员导入的数据：${files}${date ? `（${date} 导入）` : ""}`, vintage_zh: date ?? `${planBaseYear} 年底`};
  return {source_zh: source.label, vintage_zh: `${planBaseYear} 年底`};
}

/** What the form still lacks, in the planner's words (the schema's own messages are the build's, in English). */
function formProblems(file: BriefingFileInput): string[] {
  return [
    file.title ? "" : "请填写标题",
    file.scenarios?.length || file.gaps?.length ? "" : "请至少勾选一个方案或添加一个缺口视图",
    (file.gaps ?? []).every((g) => Number.isInteger(g.year) && g.year >= 2000 && g.year <= 2100) ? "" : "缺口视图的年度应为 2000—2100 年之间的整数",
    file.cap_yuan_per_year === undefined || file.cap_yuan_per_year > 0 ? "" : "年度预算上限应大于 0（或留空）",
    file.date === undefined || /^\d{4}-\d{2}-\d{2}$/.test(file.date) ? "" : "简报日期应写成 年-月-日",
  ].filter(Boolean);
}

const slugOf = (text: string, fallback: string) => (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(text) ? text : fallback);

export async function BriefingComposer(options: ComposerOptions): Promise<HTMLElement> {
  const {db, source, figures} = options;
  const model = await prepareModel(db);
  const known: KnownIds = {parameterIds: [...model.parameters.keys()], presetIds: presets.map((p) => p.id), parameters: model.parameters};
  const [city] = await db.query<{name: string | null; synthetic: boolean | null}>("SELECT min(unit_name) FILTER (WHERE level = 'city') AS name, bool_and(synthetic) AS synthetic FROM units");
  const cityName = city?.name ?? "本市";
  const synthetic = city?.synthetic === true;

  const choices: ScenarioChoice[] = [];
  const slots = slotsFromText(readSandboxSlots());
  slots?.scenarios.forEach((s, i) => choices.push({id: `sandbox-${i + 1}`, label: `预算沙盘的方案 ${i + 1}：${s.name || "未命名"}`, file: `预算沙盘方案 ${i + 1}`, scenario: s, siteFile: false}));
  for (const s of options.siteScenarios) choices.push({id: s.id, label: `站点方案文件：${s.scenario.name}`, file: `站点方案文件“${s.scenario.name}”`, scenario: s.scenario, siteFile: true});

  // — The form —
  const text = (name: string, label: string, value = "", attrs: Record<string, string> = {}) => {
    const input = h("input", {type: "text", name, value, "data-testid": `field-${name}`, ...attrs});
    return {input, row: h("label", {class: "composer-field"}, h("span", {}, label), input)};
  };
  const area = (name: string, label: string, hint: string) => {
    const input = h("textarea", {name, rows: 4, "data-testid": `field-${name}`});
    return {input, row: h("label", {class: "composer-field"}, h("span", {}, label), input, h("small", {class: "muted"}, hint))};
  };
  const title = text("title", "标题", `${cityName}残疾人事业发展规划测算简报`, {required: "true"});
  const subtitle = text("subtitle", "副标题", `${planYears[0]}—${planYears.at(-1)} 年`);
  const date = text("date", "简报日期", options.today, {type: "date"});
  const id = text("id", "文件名（英文小写字母、数字和连字符，构建时即页面地址）", "draft-briefing", {pattern: "[a-z0-9]+(-[a-z0-9]+)*"});
  const citeHint = "空一行分段；以“1.”开头的各行成为编号列表；写 [004-013] 引用数据摘录中的一条（注释给出原文）。";
  const lead = area("lead", "导语（标题下的一段话）", citeHint);
  const sections = sectionFields.map(([key, label]) => ({key, ...area(`section-${key}`, `${label}：本节文字`, citeHint)}));

  const gapList = h("tbody", {});
  const addGap = (indicator: IndicatorId, level: string, year: number) => {
    const pick = h("select", {"data-testid": "gap-indicator", "aria-label": "指标"}, ...indicators.map((i) => h("option", {value: i.id, selected: i.id === indicator}, i.label.zh)));
    const levelPick = h("select", {"data-testid": "gap-level", "aria-label": "层级"}, ...gapLevels.map((l) => h("option", {value: l, selected: l === level}, levelLabels[l])));
    const yearPick = h("input", {type: "number", min: 2000, max: 2100, step: 1, value: year, "data-testid": "gap-year", "aria-label": "年度"});
    const remove = h("button", {type: "button", "data-testid": "gap-remove"}, "删除");
    const row = h("tr", {"data-testid": "gap-row"}, h("td", {}, pick), h("td", {}, levelPick), h("td", {}, yearPick), h("td", {}, remove));
    remove.addEventListener("click", () => row.remove());
    gapList.append(row);
  };
  addGap("screening", "district", planYears[0]!);
  addGap("rehab_room", "district", planYears[0]!);
  const addGapButton = h("button", {type: "button", "data-testid": "gap-add"}, "添加缺口视图");
  addGapButton.addEventListener("click", () => addGap("archive", "district", planYears[0]!));

  const scenarioList = h("ul", {class: "composer-scenarios", "data-testid": "scenario-choices"});
  const addChoice = (c: ScenarioChoice, checked: boolean) =>
    scenarioList.append(h("li", {}, h("label", {}, h("input", {type: "checkbox", value: c.id, checked, "data-testid": "scenario-choice"}), ` ${c.label}`)));
  choices.forEach((c, i) => addChoice(c, i === 0));
  const upload = h("input", {type: "file", accept: ".json,application/json", "data-testid": "scenario-upload", "aria-label": "上传方案文件"});
  const uploadNote = h("p", {class: "muted", "data-testid": "upload-note"});
  upload.addEventListener("change", async () => {
    for (const file of upload.files ?? []) {
      const reading = readUploadedFile(await file.text(), known);
      if (reading.kind === "scenario" && reading.ok) {
        const c: ScenarioChoice = {id: `upload-${choices.length + 1}`, label: `上传的方案文件 ${file.name}：${reading.scenario.name}`, file: `方案文件 ${file.name}`, scenario: reading.scenario, siteFile: false};
        choices.push(c);
        addChoice(c, true);
      } else if (reading.kind === "slots" && reading.ok) {
        reading.slots.scenarios.forEach((s, i) => {
          const c: ScenarioChoice = {id: `upload-${choices.length + 1}`, label: `上传的方案文件 ${file.name} 第 ${i + 1} 个：${s.name}`, file: `方案文件 ${file.name}`, scenario: s, siteFile: false};
          choices.push(c);
          addChoice(c, true);
        });
      } else uploadNote.textContent = `${file.name} 无法读取：${reading.ok ? "" : reading.errors.join("；")}`;
    }
    upload.value = "";
  });
  const cap = h("input", {type: "number", min: 0, step: 1, placeholder: "不设上限", "data-testid": "field-cap", "aria-label": "年度预算上限（万元）"});

  // — Preview and exports —
  const status = h("p", {class: "composer-status", "data-testid": "compose-status", role: "status"}, "尚未生成预览。");
  const frame = h("iframe", {class: "composer-preview", title: "简报预览（单文件版）", "data-testid": "preview-frame", sandbox: "allow-same-origin allow-modals"});
  const previewButton = h("button", {type: "button", "data-testid": "compose-preview"}, "生成预览");
  const htmlButton = h("button", {type: "button", "data-testid": "export-html", disabled: true}, "下载单文件版（HTML）");
  const pdfButton = h("button", {type: "button", "data-testid": "export-pdf", disabled: true}, "打印 / 另存为 PDF");
  const yamlButton = h("button", {type: "button", "data-testid": "export-yaml", disabled: true}, "下载简报定义（YAML）");
  let current: {data: BriefingData; html: string; file: BriefingFileInput; id: string} | null = null;

  const picked = () => [...scenarioList.querySelectorAll<HTMLInputElement>("input:checked")].map((box) => choices.find((c) => c.id === box.value)!);
  /** The briefing file the form describes (validated with the build's schema). */
  const definition = (): BriefingFileInput => {
    const capWan = cap.value.trim() === "" ? undefined : Number(cap.value);
    const texts = Object.fromEntries(sections.map((s) => [s.key, s.input.value.trim()]).filter(([, v]) => v));
    return {
      title: title.input.value.trim(),
      ...(subtitle.input.value.trim() ? {subtitle: subtitle.input.value.trim()} : {}),
      ...(date.input.value ? {date: date.input.value} : {}),
      scenarios: picked().map((c) => (c.siteFile ? c.id : {id: c.id, scenario: {...c.scenario} as Record<string, unknown>})),
      ...(capWan === undefined ? {} : {cap_yuan_per_year: capWan * 1e4}),
      gaps: [...gapList.querySelectorAll("tr")].map((row) => ({
        indicator: row.querySelector<HTMLSelectElement>("[data-testid=gap-indicator]")!.value as IndicatorId,
        level: row.querySelector<HTMLSelectElement>("[data-testid=gap-level]")!.value as "district",
        year: Number(row.querySelector<HTMLInputElement>("[data-testid=gap-year]")!.value),
      })),
      ...(lead.input.value.trim() ? {lead: lead.input.value.trim()} : {}),
      sections: texts,
    };
  };

  previewButton.addEventListener("click", async () => {
    for (const b of [htmlButton, pdfButton, yamlButton]) b.disabled = true;
    status.textContent = "正在计算……";
    delete status.dataset.ready;
    try {
      const file = definition();
      const missing = formProblems(file);
      if (missing.length) throw new Error(missing.join("；"));
      const checked = briefingFile.safeParse(file);
      if (!checked.success) throw new Error(`简报定义不完整：${briefingFileProblems(checked.error)}`);
      const briefingId = slugOf(id.input.value.trim(), "draft-briefing");
      const scenarios: ResolvedScenario[] = picked().map((c) => ({id: c.id, file: c.file, scenario: c.scenario}));
      const provenance = provenanceOf(source);
      const data = await computeBriefingData(briefingId, file, {
        db,
        city: {name: cityName, synthetic, ...(provenance ? {provenance} : {})},
        figures,
        scenarios,
        citedInPage: [],
        threshold: DEFAULT_SMALL_CELL_THRESHOLD,
        today: options.today,
        source: `${briefingId}.yaml`,
      });
      const html = offlineBriefingHtml(data);
      frame.srcdoc = html;
      current = {data, html, file, id: briefingId};
      for (const b of [htmlButton, pdfButton, yamlButton]) b.disabled = false;
      status.textContent = `预览已更新：${data.scenarios.length} 个方案、${data.gaps.length} 个缺口视图，${data.figures.length} 条注释${data.small_cell.applied ? `；区县以下小于 ${data.small_cell.threshold} 的计数已隐去` : ""}。`;
      status.dataset.ready = "";
    } catch (error) {
      current = null;
      status.textContent = `无法生成预览：${(error as Error).message}`;
    }
  });
  htmlButton.addEventListener("click", () => current && saveFile(`${current.id}.offline.html`, new TextEncoder().encode(current.html), "text/html;charset=utf-8"));
  pdfButton.addEventListener("click", () => frame.contentWindow?.print());
  yamlButton.addEventListener("click", () => {
    if (!current) return;
    const header = `# 测算简报定义（由“撰写简报”页导出）。放入 data/briefings/${current.id}.yaml，并按 src/briefings/template.md 建页面后构建。\n`;
    saveFile(`${current.id}.yaml`, new TextEncoder().encode(header + stringify(current.file, {lineWidth: 0})), "text/yaml;charset=utf-8");
  });

  const gapTable = h("table", {class: "composer-gaps"}, h("thead", {}, h("tr", {}, h("th", {}, "指标"), h("th", {}, "层级"), h("th", {}, "目标年度"), h("th", {}, ""))), gapList);
  return h(
    "div",
    {class: "briefing-composer", "data-testid": "composer"},
    h("h2", {}, "标题与导语"),
    title.row,
    subtitle.row,
    date.row,
    id.row,
    lead.row,
    h("h2", {}, "缺口视图"),
    h("p", {class: "muted"}, "每个视图是一项指标在一个层级、按某年度目标的达成情况。"),
    gapTable,
    addGapButton,
    h("h2", {}, "方案与预算上限"),
    h("p", {class: "muted"}, choices.some((c) => c.id.startsWith("sandbox-")) ? "勾选的第一个方案为主方案。预算沙盘中本标签页编辑过的方案列在最前。" : "勾选的第一个方案为主方案。在预算沙盘中编辑的方案（同一标签页）也会列在这里。"),
    scenarioList,
    h("div", {class: "composer-field"}, h("span", {}, "添加保存的方案文件（.json）"), filePicker(upload, "选择方案文件……").element),
    uploadNote,
    h("label", {class: "composer-field"}, h("span", {}, "年度预算上限（万元，留空则用各方案自己的设定）"), cap),
    h("h2", {}, "各节文字"),
    ...sections.map((s) => s.row),
    h("h2", {}, "预览与导出"),
    h("p", {}, previewButton, " ", htmlButton, " ", pdfButton, " ", yamlButton),
    status,
    frame,
  );
}
