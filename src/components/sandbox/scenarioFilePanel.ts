import {scenarioToJson, scenarioToQuery} from "../../engine/scenario.js";
import {copyLinkOf} from "../shared/copyLink.js";
import {downloadText} from "./scenarioDom.js";
import {h} from "../shared/dom.js";
import {readUploadedFile, scenarioFileName, slotsFileName, type KnownIds} from "./scenarioFile.js";
import {replaceActive, slotsToJson, slotsToQuery} from "./scenarioState.js";
import type {SandboxActions, SandboxState, SandboxView} from "./scenarioView.js";

/**
 * Saving and sharing (保存与分享): download the edited scenario or every slot as a JSON file, upload
 * either back (one scenario replaces the edited one, a file of all slots replaces them all; a bad or old
 * file gets a Chinese message and changes nothing; migration notes are listed), and the shareable links
 * (every slot, or the edited scenario alone).
 */

export function ScenarioFilePanel(actions: SandboxActions, known: KnownIds): SandboxView {
  const download = h("button", {type: "button", "data-testid": "scenario-download"}, "下载当前方案（JSON 文件）");
  const downloadAll = h("button", {type: "button", "data-testid": "slots-download"}, "下载全部方案（JSON 文件）");
  // The file input's own button speaks the browser's language; a button of ours opens it.
  const upload = h("input", {type: "file", id: "scenario-upload", accept: ".json,application/json", "data-testid": "scenario-upload", hidden: true, tabindex: -1});
  const choose = h("button", {type: "button", "data-testid": "scenario-choose"}, "上传方案（JSON 文件）…");
  choose.addEventListener("click", () => upload.click());
  const link = h("input", {type: "text", id: "scenario-link", readonly: true, "data-testid": "scenario-link"});
  const linkOne = h("input", {type: "text", id: "scenario-link-one", readonly: true, "data-testid": "scenario-link-one"});
  const linkLabel = h("label", {for: "scenario-link"});
  const copyStatus = h("span", {class: "muted", "aria-live": "polite", "data-testid": "scenario-link-status"});
  const copy = h("button", {type: "button", "data-testid": "scenario-link-copy"}, "复制链接");
  const copyOneStatus = h("span", {class: "muted", "aria-live": "polite"});
  const copyOne = h("button", {type: "button", "data-testid": "scenario-link-one-copy"}, "复制链接");
  copy.addEventListener("click", () => void copyLinkOf(link, copyStatus));
  copyOne.addEventListener("click", () => void copyLinkOf(linkOne, copyOneStatus));
  const messages = h("div", {class: "file-messages", "data-testid": "file-messages", role: "status"});
  let current: SandboxState | undefined;

  download.addEventListener("click", () => {
    if (current) downloadText(scenarioFileName(current.scenario), scenarioToJson(current.scenario));
  });
  downloadAll.addEventListener("click", () => {
    if (current) downloadText(slotsFileName(current.slots), slotsToJson(current.slots));
  });
  for (const field of [link, linkOne]) field.addEventListener("focus", () => field.select());
  upload.addEventListener("change", async () => {
    const file = upload.files?.[0];
    if (!file) return;
    const reading = readUploadedFile(await file.text(), known);
    upload.value = "";
    if (!reading.ok) {
      messages.replaceChildren(
        h("div", {class: "sandbox-error", role: "alert", "data-testid": "file-error"}, h("strong", {}, `无法打开「${file.name}」，当前方案未改变：`), h("ul", {}, reading.errors.map((e) => h("li", {}, e)))),
      );
      return;
    }
    let said: string;
    if (reading.kind === "slots") {
      const slots = reading.slots;
      actions.slots(() => slots);
      said = `已打开「${file.name}」：其中的 ${slots.scenarios.length} 个方案替换了页面上的全部方案。`;
    } else {
      const scenario = reading.scenario;
      actions.slots((s) => replaceActive(s, scenario));
      said = `已打开「${file.name}」：方案「${scenario.name || "未命名方案"}」替换了正在编辑的方案。`;
    }
    messages.replaceChildren(
      h(
        "div",
        {class: "sandbox-ok", "data-testid": "file-loaded"},
        h("strong", {}, said),
        reading.notes.length ? h("ul", {"data-testid": "file-notes"}, reading.notes.map((n) => h("li", {}, n))) : null,
      ),
    );
  });

  return {
    element: h(
      "div",
      {class: "sandbox-view file-view", "data-testid": "file"},
      h("div", {class: "file-actions"}, download, downloadAll, choose, upload),
      h("p", {class: "muted"}, "上传「当前方案」文件替换正在编辑的方案；上传「全部方案」文件替换页面上的全部方案。"),
      h("div", {class: "file-link"}, linkLabel, link, copy, copyStatus),
      h("div", {class: "file-link"}, h("label", {for: "scenario-link-one"}, "只分享正在编辑的方案："), linkOne, copyOne, copyOneStatus),
      messages,
    ),
    update(state) {
      current = state;
      const n = state.slots.scenarios.length;
      downloadAll.textContent = `下载全部 ${n} 个方案（JSON 文件）`;
      downloadAll.hidden = n < 2;
      linkLabel.textContent = n > 1 ? `分享链接（含全部 ${n} 个方案及正在编辑的是哪一个，不含任何数据）：` : "分享链接（含全部设定，不含任何数据）：";
      const base = `${location.origin}${location.pathname}?`;
      const shared = base + slotsToQuery(state.slots);
      // A new link is not the one copied before.
      if (link.value !== shared) copyStatus.textContent = "";
      link.value = shared;
      linkOne.value = base + scenarioToQuery(state.scenario);
      linkOne.parentElement!.hidden = n < 2;
    },
  };
}
