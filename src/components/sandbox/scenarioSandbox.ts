import {budgetCap, type CapYear} from "../../engine/budgetCap.js";
import {presets} from "../../engine/presets.js";
import {SummaryBar} from "./scenarioSummaryBar.js";
import type {Queryable} from "../../engine/queryable.js";
import type {ProvinceStandard} from "../../engine/provinceStandards.js";
import {programmes as allProgrammes} from "../../engine/programmes.js";
import {prepareModel, runScenario, type Model, type ScenarioResult} from "../../engine/runScenario.js";
import {baselineScenario, type Scenario} from "../../engine/scenario.js";
import {explain} from "../../engine/scenarioExplain.js";
import {scenarioParameters} from "../../engine/scenarioLevers.js";
import {parameterSetFromRows} from "../../engine/scenarioParameters.js";
import {sensitivity, type Tornado} from "../../engine/sensitivity.js";
import {staleNoteZh, staleStandards} from "../../engine/staleStandards.js";
import {BudgetCapPanel} from "./budgetCapView.js";
import {ProvincePanel, rememberedProvince, withProvinceChoice} from "./provincePanel.js";
import {ParameterPanel, PresetPanel, SlotBar} from "./scenarioControls.js";
import {chartWidth} from "./scenarioDom.js";
import {h} from "../shared/dom.js";
import {ExplainPanel} from "./scenarioExplainView.js";
import type {OpeningSandbox} from "../shared/openingViews.js";
import {onEngineProgress, progressNote, wantEngine} from "../shared/engineProgress.js";
import {readSlotsQuery, type KnownIds} from "./scenarioFile.js";
import {ScenarioFilePanel} from "./scenarioFilePanel.js";
import {problemZh} from "./scenarioFormat.js";
import {CompareView, DeltaView, FundingView, ProgrammeView, TotalsView} from "./scenarioResults.js";
import {activeScenario, initialSlots, replaceActive, scenarioKey, readSandboxSlots, SANDBOX_STORAGE_KEY as STORAGE_KEY, slotsFromText, slotsToQuery, slotsToText, yearStart, type Slots} from "./scenarioState.js";
import {noteKey, type ParameterNotes, type SandboxActions, type SandboxState, type SandboxView} from "./scenarioView.js";

/**
 * The budget sandbox (预算沙盘) of one page: the model prepared once (the cube), the scenario slots, and
 * every view, updated in place after each recompute. An edit recomputes at once (no debounce): while a
 * recompute runs, later edits collapse into one more run with the latest scenario. The heavier analyses
 * — sensitivity (dozens of variants) and the budget cap (per community) — run once the edits pause, so
 * a dragged slider is never queued behind them. Every slot, and which one is edited, is always in the
 * URL (a reload or a shared link keeps the comparison) and in this tab's session storage (coming back
 * to the page from another keeps it too). Timings go to
 * `window.__dpfSandbox` for the benchmark.
 */

export interface SandboxTimings {
  /** The last engine recompute of the edited scenario (runScenario on the cube), ms. */
  lastRecomputeMs: number | null;
  /** Updating the views on screen after it (controls, and the tables and charts in view), ms. */
  lastRenderMs: number | null;
  /** Updating the views off screen, in the task after (not in the frame the edit is painted in), ms. */
  lastDeferredRenderMs: number | null;
  /** The last 500 of each, oldest first. */
  recomputeMs: number[];
  renderMs: number[];
  /** The last update of each view, ms, by view name (where the render time goes). */
  viewMs: Record<string, number>;
  lastSensitivityMs: number | null;
  lastCapMs: number | null;
  /** Preparing the model (cube and parameters) once for the page, ms. */
  prepareMs: number;
  cube: Model["cube"];
  /** Edits received, and recomputes run (edits during a recompute collapse into one). */
  edits: number;
  recomputes: number;
  /** Resolves once every recompute and analysis of the edits so far has finished and been shown. */
  idle(): Promise<void>;
  /** Who answers now: the build's published results (until DuckDB-WASM is in), or DuckDB. */
  engine: "published" | "duckdb";
}

declare global {
  interface Window {
    __dpfSandbox?: SandboxTimings;
  }
}

export interface Sandbox {
  slots(): HTMLElement;
  notes(): HTMLElement;
  presets(): HTMLElement;
  province(): HTMLElement;
  parameters(): HTMLElement;
  totals(): HTMLElement;
  delta(): HTMLElement;
  programmes(): HTMLElement;
  funding(): HTMLElement;
  cap(): HTMLElement;
  sensitivity(): HTMLElement;
  compare(): HTMLElement;
  explain(): HTMLElement;
  file(): HTMLElement;
  timings: SandboxTimings;
}

export interface SandboxOptions {
  /** Rows of the `parameters` table (for the notes of assumed values). */
  parameterRows?: readonly Record<string, unknown>[];
  /** Wait after the last edit before the sensitivity and cap analyses start, ms. */
  analysisDelayMs?: number;
  /** Provinces' own standards (`province_standards`), for the province choice (本省现行标准). */
  provinces?: readonly ProvinceStandard[];
  /**
   * The published city's opening results (openingViews.ts): the page starts on them while the database
   * loads, and turns to DuckDB for anything else and for everything once it is in. Never for an imported city.
   */
  opening?: OpeningSandbox | null;
}

const KEEP_TIMINGS = 500;

function notesOf(rows: readonly Record<string, unknown>[] = []): ParameterNotes {
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  return new Map(rows.map((r) => [noteKey(String(r.id), String(r.effective_date).slice(0, 10)), {note: text(r.note), note_zh: text(r.note_zh), date_note: text(r.date_note)}]));
}

function push(list: number[], value: number) {
  list.push(value);
  if (list.length > KEEP_TIMINGS) list.shift();
}

const readStorage = readSandboxSlots;

function writeStorage(text: string) {
  try {
    sessionStorage.setItem(STORAGE_KEY, text);
  } catch {
    // Storage may be off (private mode): the URL still holds the edited scenario.
  }
}

/**
 * Prepares the model on the page's database and builds the sandbox's views; with `opening`, builds them
 * at once on the published model and results while `database` is still loading.
 */
export async function ScenarioSandbox(database: Queryable | Promise<Queryable>, options: SandboxOptions = {}): Promise<Sandbox> {
  const started = performance.now();
  const opening = options.opening ?? null;
  const provinces = options.provinces ?? [];
  const dbReady = Promise.resolve(database);
  let db: Queryable | null = opening ? null : await dbReady;
  let model: Model = db
    ? {...(await prepareModel(db)), provinces}
    : {cube: opening!.cube, parameters: parameterSetFromRows(opening!.parameterRows as never), programmes: allProgrammes, provinces};
  const prepareMs = performance.now() - started;
  // The published results, by scenario, answer only until the engine is in.
  const published = new Map((opening?.results ?? []).map((r) => [scenarioKey({...r.scenario, name: ""}), r]));
  let engineModel: Promise<Model> | null = db ? Promise.resolve(model) : null;
  /** The database and its model, once DuckDB-WASM is in (the first call prepares the model on it). */
  const engine = (): Promise<{db: Queryable; model: Model}> =>
    (engineModel ??= (wantEngine(), dbReady).then(async (d) => {
      const t = performance.now();
      const m: Model = {...(await prepareModel(d)), provinces};
      timings.prepareMs = performance.now() - t;
      db = d;
      model = m;
      timings.engine = "duckdb";
      published.clear();
      showEngineState();
      return m;
    })).then((m) => ({db: db!, model: m}));
  const notes = notesOf(options.parameterRows);
  const known: KnownIds = {parameterIds: [...model.parameters.keys()], presetIds: presets.map((p) => p.id), parameters: model.parameters};
  const analysisDelayMs = options.analysisDelayMs ?? 200;

  // Start: the URL's slots (a shared link, a reload: it holds every slot and which one is edited; an
  // older link holds one scenario), else the slots this tab kept (back on the page from another), else
  // the baseline. The URL wins over the tab's slots: a link shows exactly what was shared.
  const fromUrl = readSlotsQuery(location.search, known);
  const urlMessages: string[] = [];
  // A fresh start takes the province this browser chose last (a shared link or the tab's slots keep theirs).
  const remembered = rememberedProvince();
  let slots: Slots = slotsFromText(readStorage()) ?? initialSlots(withProvinceChoice(baselineScenario("方案 1"), remembered));
  if (fromUrl?.ok) {
    slots = fromUrl.slots;
    urlMessages.push(...fromUrl.notes);
  } else if (fromUrl) {
    urlMessages.push("网址中的方案无法读取，已从基线开始：", ...fromUrl.errors);
  }

  const results = new Map<string, ScenarioResult>();
  const tornadoes = new Map<string, Tornado>();
  const caps = new Map<string, CapYear[]>();
  let explainTarget: {programme: string; year: number} | undefined;
  let version = 0;
  let running = false;
  let dirty = false;
  let analysisTimer: ReturnType<typeof setTimeout> | undefined;
  let analysing = false;
  let deferTimer: ReturnType<typeof setTimeout> | undefined;
  let waiters: (() => void)[] = [];

  const timings: SandboxTimings = {
    lastRecomputeMs: null,
    lastRenderMs: null,
    lastDeferredRenderMs: null,
    recomputeMs: [],
    renderMs: [],
    viewMs: {},
    lastSensitivityMs: null,
    lastCapMs: null,
    prepareMs,
    cube: model.cube,
    edits: 0,
    recomputes: 0,
    engine: db ? "duckdb" : "published",
    idle: () => (busy() ? new Promise<void>((resolve) => waiters.push(resolve)) : Promise.resolve()),
  };
  window.__dpfSandbox = timings;

  const busy = () => running || analysing || analysisTimer !== undefined || deferTimer !== undefined;
  const settle = () => {
    if (busy()) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };

  const actions: SandboxActions = {
    edit(change) {
      commit(replaceActive(slots, change(activeScenario(slots))));
    },
    slots(change) {
      commit(change(slots));
    },
    explain(programme, year) {
      explainTarget = {programme, year};
      explainView.message("正在计算……");
      explainView.element.scrollIntoView({block: "start"});
      explainView.element.focus({preventScroll: true});
      void showExplanation(version);
    },
  };

  const slotBar = SlotBar(actions);
  const presetPanel = PresetPanel(actions, model.parameters);
  const provincePanel = ProvincePanel(options.provinces ?? [], actions);
  const firstYear = activeScenario(slots).years[0]!;
  const parameterPanel = ParameterPanel(model.parameters, actions, {notes, firstYear, baseYear: activeScenario(slots).baseYear});
  const totals = TotalsView();
  const summaryBar = SummaryBar();
  const delta = DeltaView();
  const programmeView = ProgrammeView(actions);
  const funding = FundingView();
  const compare = CompareView();
  const capView = BudgetCapPanel(actions);
  const fileView = ScenarioFilePanel(actions, known);
  const explainView = ExplainPanel({notes});
  const notesElement = h("div", {class: "sandbox-notes", role: "status", "data-testid": "scenario-notes"});
  // While the published results are shown, say so; an edit they do not hold waits for the engine, and
  // the note says that too, with the download's progress. Once DuckDB is in, the note goes.
  const engineStatus = h("p", {class: "sandbox-engine muted", role: "status", "aria-live": "polite", "data-engine": timings.engine});
  let waiting = 0;
  let progressText = "";
  let stopProgress: (() => void) | undefined;
  function showEngineState() {
    engineStatus.dataset.engine = timings.engine;
    if (timings.engine === "duckdb") {
      stopProgress?.();
      engineStatus.hidden = true;
      slotBar.element.removeAttribute("aria-busy");
      parameterPanel.element.removeAttribute("aria-busy");
      return;
    }
    const whose = opening?.source.label ?? "本站发布的城市";
    engineStatus.textContent = waiting
      ? `正在加载计算引擎${progressText}，完成后显示所改方案的结果……`
      : `当前显示的是构建时按${whose}计算的基线和预设方案结果；计算引擎正在后台加载${progressText}，加载后可调整任何参数。`;
    for (const el of [slotBar.element, parameterPanel.element]) el.toggleAttribute("aria-busy", waiting > 0);
  }
  function waitingForEngine(on: boolean) {
    waiting += on ? 1 : -1;
    showEngineState();
  }
  const sensitivityElement = h("div", {class: "sandbox-view sensitivity-view", "data-testid": "sensitivity", "aria-live": "polite"}, h("p", {class: "sandbox-empty"}, "正在计算敏感性……"));
  const views: Record<string, SandboxView> = {summaryBar, slots: slotBar, province: provincePanel, presets: presetPanel, parameters: parameterPanel, totals, delta, programmes: programmeView, funding, compare, cap: capView, file: fileView};
  let state: SandboxState | undefined;

  // Views off screen are brought up to date in the task after the edit's frame, or as they scroll in:
  // a dragged slider then waits for the controls and the charts in view only.
  const controls = new Set<SandboxView>([summaryBar, slotBar, provincePanel, presetPanel, parameterPanel, capView, fileView]);
  summaryBar.watch([provincePanel.element, presetPanel.element, parameterPanel.element, capView.element], totals.element);
  const visible = new Set<SandboxView>();
  const stale = new Set<SandboxView>();
  const names = new Map(Object.entries(views).map(([name, view]) => [view, name]));
  const updateView = (view: SandboxView, s: SandboxState) => {
    const t = performance.now();
    view.update(s);
    timings.viewMs[names.get(view)!] = performance.now() - t;
    stale.delete(view);
    // The first result is the totals table, marked once it is drawn, as 覆盖缺口 marks its table: the
    // benchmark and the browser tests wait for [data-first-result].
    if (view === totals && !totals.element.hasAttribute("data-first-result")) totals.element.setAttribute("data-first-result", "");
  };
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const view = Object.values(views).find((v) => v.element === entry.target);
        if (!view) continue;
        if (entry.isIntersecting) visible.add(view);
        else visible.delete(view);
        if (entry.isIntersecting && stale.has(view) && state) updateView(view, state);
      }
    },
    {rootMargin: "200px 0px"},
  );
  for (const view of Object.values(views)) if (!controls.has(view)) observer.observe(view.element);
  function flushStale() {
    deferTimer = undefined;
    const t = performance.now();
    if (state) for (const view of [...stale]) updateView(view, state);
    timings.lastDeferredRenderMs = performance.now() - t;
    settle();
  }

  function commit(next: Slots) {
    slots = next;
    version++;
    timings.edits++;
    history.replaceState(history.state, "", `${location.pathname}?${slotsToQuery(slots)}${location.hash}`);
    writeStorage(slotsToText(slots));
    if (analysisTimer !== undefined) clearTimeout(analysisTimer);
    analysisTimer = undefined;
    void recompute();
  }

  async function resultOf(scenario: Scenario, measured: boolean): Promise<ScenarioResult> {
    const key = scenarioKey({...scenario, name: ""});
    let result = results.get(key) ?? (db ? undefined : published.get(key));
    if (!result) {
      const waited = db === null;
      if (waited) waitingForEngine(true);
      const e = await engine();
      if (waited) waitingForEngine(false);
      const t = performance.now();
      result = await runScenario(e.db, scenario, {model: e.model});
      if (measured) {
        timings.lastRecomputeMs = performance.now() - t;
        push(timings.recomputeMs, timings.lastRecomputeMs);
        timings.recomputes++;
      }
      results.set(key, result);
    }
    return result;
  }

  /** Recomputes until the latest edit is shown; edits arriving meanwhile set `dirty` and run once more. */
  async function recompute(): Promise<void> {
    if (running) {
      dirty = true;
      return;
    }
    running = true;
    try {
      do {
        dirty = false;
        const current = slots;
        const scenario = activeScenario(current);
        const result = await resultOf(scenario, true);
        const all: (ScenarioResult | undefined)[] = [];
        for (const s of current.scenarios) all.push(s === scenario ? result : await resultOf(s, false));
        // Keep only what the slots show (a dragged slider leaves a result per position behind).
        const keep = new Set(current.scenarios.map((s) => scenarioKey({...s, name: ""})));
        for (const key of results.keys()) if (!keep.has(key)) results.delete(key);
        const t = performance.now();
        // The first draw has no edit to keep quick: every view is drawn at once, so the totals (the page's
        // first result) do not wait a task behind the page's cells.
        const first = state === undefined;
        state = {model, slots: current, scenario, parameters: scenarioParameters(model.parameters, scenario, model.provinces).parameters, result, results: all};
        for (const view of Object.values(views)) {
          if (first || controls.has(view) || visible.has(view)) updateView(view, state);
          else stale.add(view);
        }
        if (stale.size && deferTimer === undefined) deferTimer = setTimeout(flushStale, 0);
        showNotes(state);
        timings.lastRenderMs = performance.now() - t;
        push(timings.renderMs, timings.lastRenderMs);
      } while (dirty);
    } catch (error) {
      notesElement.replaceChildren(h("div", {class: "sandbox-error", role: "alert"}, `测算出错：${(error as Error).message}`));
      console.error(error);
    } finally {
      running = false;
    }
    analysisTimer = setTimeout(() => {
      analysisTimer = undefined;
      void analyse(version);
    }, analysisDelayMs);
  }

  function showNotes(s: SandboxState) {
    const problems = s.result.problems.map((p) => problemZh(p, model.parameters));
    const cannot = s.result.unanswerable.map((u) => `无法计算「${u.programme_zh}」：${u.reason_zh}（未计入合计）`);
    const old = staleStandards(s.parameters, yearStart(s.scenario.years[0]!)).map((x) => `「${x.label_zh}」${staleNoteZh(x.year)}（在「参数」中该项旁填写）`);
    const lines = [...urlMessages, ...old, ...problems, ...cannot];
    notesElement.replaceChildren(...(lines.length ? [h("ul", {class: "sandbox-warnings"}, lines.map((l) => h("li", {}, l)))] : []));
  }

  async function showExplanation(v: number) {
    const target = explainTarget;
    const s = state;
    if (!target || !s) return;
    try {
      const {db: d, model: m} = await engine();
      const e = await explain(d, s.scenario, target.programme, target.year, {model: m});
      if (v !== version || target !== explainTarget) return;
      explainView.show(
        e,
        s.result.rows.filter((r) => r.programme === target.programme && r.year === target.year),
      );
    } catch (error) {
      explainView.message(`无法显示公式：${(error as Error).message}`);
    }
  }

  /** Sensitivity, budget cap and the shown formula of the scenario as it stands (dropped when an edit comes in). */
  async function analyse(v: number) {
    const s = state;
    if (!s || running) return settle();
    analysing = true;
    try {
      if (explainTarget) await showExplanation(v);
      if (v !== version) return;
      const scenario = s.scenario;
      const sensitivityKey = scenarioKey({...scenario, name: "", cap: undefined});
      let tornado = tornadoes.get(sensitivityKey);
      if (!tornado) {
        sensitivityElement.setAttribute("aria-busy", "true");
        const t = performance.now();
        const {db: d, model: m} = await engine();
        tornado = await sensitivity(d, scenario, {model: m});
        timings.lastSensitivityMs = performance.now() - t;
        tornadoes.clear();
        tornadoes.set(sensitivityKey, tornado);
      }
      // Its chart's module (Plot) is imported here, after the first figures, not before them.
      const {TornadoChart} = await import("./tornadoChart.js");
      if (v !== version) return;
      sensitivityElement.removeAttribute("aria-busy");
      sensitivityElement.replaceChildren(TornadoChart(tornado, {width: chartWidth(sensitivityElement)}));
      if (scenario.cap) {
        const capKey = scenarioKey({...scenario, name: ""});
        let capYears = caps.get(capKey);
        if (!capYears) {
          capView.show("pending", s);
          const t = performance.now();
          const {db: d, model: m} = await engine();
          capYears = await budgetCap(d, scenario, {model: m});
          timings.lastCapMs = performance.now() - t;
          caps.clear();
          caps.set(capKey, capYears);
        }
        if (v !== version) return;
        capView.show(capYears, s);
      } else capView.show(undefined, s);
    } catch (error) {
      console.error(error);
      sensitivityElement.replaceChildren(h("div", {class: "sandbox-error", role: "alert"}, `分析出错：${(error as Error).message}`));
    } finally {
      analysing = false;
      settle();
    }
  }

  if (timings.engine === "published")
    stopProgress = onEngineProgress((progress) => {
      progressText = progressNote(progress);
      showEngineState();
    });
  showEngineState();
  // The engine loads in the background; its first use (an edit the published results do not hold) waits for it.
  if (!db) void engine().catch((error) => {
    console.error(error);
    engineStatus.textContent = `计算引擎无法加载：${(error as Error).message}`;
  });
  await recompute();

  return {
    slots: () => slotBar.element,
    notes: () => h("div", {class: "sandbox-notes-box"}, engineStatus, notesElement),
    presets: () => presetPanel.element,
    province: () => provincePanel.element,
    parameters: () => parameterPanel.element,
    totals: () => totals.element,
    delta: () => delta.element,
    programmes: () => programmeView.element,
    funding: () => funding.element,
    cap: () => capView.element,
    sensitivity: () => sensitivityElement,
    compare: () => compare.element,
    explain: () => explainView.element,
    file: () => fileView.element,
    timings,
  };
}
