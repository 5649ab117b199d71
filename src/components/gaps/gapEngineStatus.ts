import {h} from "../shared/dom.js";
import type {GapEngine} from "./gapEngine.js";
import {onEngineProgress, progressNote} from "../shared/engineProgress.js";

/**
 * The engine's state under the controls. While the published figures are shown, it says so; a view they
 * do not hold waits for the engine, and the note says that too, with the download's progress, and marks
 * `busy` (the controls) aria-busy. Once DuckDB is in, the note goes.
 */

export interface GapEngineStatus {
  element: HTMLElement;
  /** Awaits an engine answer, marking the controls busy when it has to wait for DuckDB-WASM (not for a published one). */
  whenEngine<T>(answer: Promise<T>): Promise<T>;
}

export function GapEngineStatus(engine: GapEngine, options: {busy: HTMLElement; sourceLabel?: string; onAnswer?: () => void}): GapEngineStatus {
  const {busy} = options;
  const element = h("p", {class: "gap-engine muted", role: "status", "aria-live": "polite", "data-engine": engine.state});
  let waiting = 0;
  let progressText = "";
  const stopProgress = onEngineProgress((progress) => {
    progressText = progressNote(progress);
    show();
  });
  function show() {
    element.dataset.engine = engine.state;
    if (engine.state === "duckdb") {
      element.hidden = true;
      busy.removeAttribute("aria-busy");
      return;
    }
    const whose = options.sourceLabel ?? "本站发布的城市";
    element.textContent = waiting
      ? `正在加载计算引擎${progressText}，完成后显示所选视图……`
      : `当前显示的是构建时按${whose}计算的数字；计算引擎正在后台加载${progressText}，加载后可查看任意视图。`;
    busy.toggleAttribute("aria-busy", waiting > 0);
  }
  void engine.ready.then(() => {
    stopProgress();
    show();
  });
  show();
  return {
    element,
    async whenEngine(answer) {
      let marked = false;
      const timer = engine.state === "published" ? setTimeout(() => ((marked = true), waiting++, show()), 0) : undefined;
      try {
        return await answer;
      } finally {
        clearTimeout(timer);
        if (marked) waiting--;
        options.onAnswer?.();
        show();
      }
    },
  };
}
