import {scenarioToJson, scenarioToQuery} from "../engine/scenario.js";
import {downloadText, h} from "./scenarioDom.js";
import {readScenarioFile, scenarioFileName, type KnownIds} from "./scenarioFile.js";
import {replaceActive} from "./scenarioState.js";
import type {SandboxActions, SandboxState, SandboxView} from "./scenarioView.js";

/**
 * Saving and sharing a scenario (保存与分享): download it as a JSON file, upload one back (a bad or old
 * file gets a Chinese message and changes nothing; migration notes are listed), and the shareable link.
 */

export function ScenarioFilePanel(actions: SandboxActions, known: KnownIds): SandboxView {
  const download = h("button", {type: "button", "data-testid": "scenario-download"}, "下载方案（JSON 文件）");
  // The file input's own button speaks the browser's language; a button of ours opens it.
  const upload = h("input", {type: "file", id: "scenario-upload", accept: ".json,application/json", "data-testid": "scenario-upload", hidden: true, tabindex: -1});
  const choose = h("button", {type: "button", "data-testid": "scenario-choose"}, "上传方案（JSON 文件）…");
  choose.addEventListener("click", () => upload.click());
  const link = h("input", {type: "text", id: "scenario-link", readonly: true, "data-testid": "scenario-link"});
  const messages = h("div", {class: "file-messages", "data-testid": "file-messages", role: "status"});
  let current: SandboxState | undefined;

  download.addEventListener("click", () => {
    if (current) downloadText(scenarioFileName(current.scenario), scenarioToJson(current.scenario));
  });
  link.addEventListener("focus", () => link.select());
  upload.addEventListener("change", async () => {
    const file = upload.files?.[0];
    if (!file) return;
    const reading = readScenarioFile(await file.text(), known);
    upload.value = "";
    if (!reading.ok) {
      messages.replaceChildren(
        h("div", {class: "sandbox-error", role: "alert", "data-testid": "file-error"}, h("strong", {}, `无法打开「${file.name}」，当前方案未改变：`), h("ul", {}, reading.errors.map((e) => h("li", {}, e)))),
      );
      return;
    }
    actions.slots((s) => replaceActive(s, reading.scenario));
    messages.replaceChildren(
      h(
        "div",
        {class: "sandbox-ok", "data-testid": "file-loaded"},
        h("strong", {}, `已打开「${file.name}」：方案「${reading.scenario.name || "未命名方案"}」替换了正在编辑的方案。`),
        reading.notes.length ? h("ul", {"data-testid": "file-notes"}, reading.notes.map((n) => h("li", {}, n))) : null,
      ),
    );
  });

  return {
    element: h(
      "div",
      {class: "sandbox-view file-view", "data-testid": "file"},
      h("div", {class: "file-actions"}, download, choose, upload, h("span", {class: "muted"}, "上传的方案替换正在编辑的方案。")),
      h("div", {class: "file-link"}, h("label", {for: "scenario-link"}, "分享链接（含全部设定，不含任何数据）："), link),
      messages,
    ),
    update(state) {
      current = state;
      link.value = `${location.origin}${location.pathname}?${scenarioToQuery(state.scenario)}`;
    },
  };
}
