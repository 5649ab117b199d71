import {copyLinkOf} from "../shared/copyLink.js";
import {h} from "../shared/dom.js";
import {readableUrl} from "./viewState.js";
import {downloadGapCsv, downloadGapXlsx} from "./gapDownloads.js";
import {tableRows, type GapActions, type GapPart, type GapState} from "./gapState.js";

/**
 * The tools above the table: the search box and the row count, the downloads (CSV, XLSX) and the view's
 * link with a copy button. A download takes the state last shown.
 */
export function GapTableTools(actions: GapActions, options: {sourceLabel: string}): GapPart {
  let state: GapState | null = null;
  const searchInput = h("input", {type: "search", id: "gap-search", placeholder: "按名称或代码搜索", "aria-label": "搜索单位（名称或代码）"});
  const rowCount = h("span", {class: "gap-row-count muted", "aria-live": "polite"});
  const linkOut = h("a", {class: "gap-view-link", id: "gap-view-link"});
  const copyStatus = h("span", {class: "muted", "aria-live": "polite"});
  const csvButton = h("button", {type: "button", id: "gap-download-csv"}, "下载 CSV");
  const xlsxButton = h("button", {type: "button", id: "gap-download-xlsx"}, "下载 Excel（XLSX）");
  const copyButton = h("button", {type: "button", id: "gap-copy-link"}, "复制本视图链接");
  const element = h(
    "div",
    {class: "gap-table-tools"},
    h("div", {}, h("label", {class: "gap-field"}, h("span", {}, "搜索"), searchInput), rowCount),
    h(
      "div",
      {},
      csvButton,
      " ",
      xlsxButton,
      h("p", {class: "muted gap-download-note"}, "下载的列名、正负号和百分比的小数位与表格一致。用 Excel 打开请选 XLSX：其中代码是文本单元格；CSV 供统计软件读取，Excel 直接打开 CSV 会把 12 位代码显示成科学计数法。"),
    ),
    h("div", {class: "gap-link-row"}, h("span", {}, "本视图链接："), linkOut, " ", copyButton, " ", copyStatus),
  );

  csvButton.addEventListener("click", () => {
    if (state) downloadGapCsv(state);
  });
  xlsxButton.addEventListener("click", async () => {
    if (!state?.result) return;
    xlsxButton.disabled = true;
    try {
      await downloadGapXlsx(state, options.sourceLabel);
    } catch (error) {
      console.error(error);
      copyStatus.textContent = `无法生成 Excel 文件：${error instanceof Error ? error.message : String(error)}`;
    } finally {
      xlsxButton.disabled = false;
    }
  });
  copyButton.addEventListener("click", () => void copyLinkOf(linkOut, copyStatus));
  searchInput.addEventListener("input", () => {
    if (state) actions.show({...state.view, q: searchInput.value.trim()}, "replace");
  });

  return {
    element,
    update(next) {
      state = next;
      const {view, result} = next;
      searchInput.value = view.q;
      linkOut.href = location.href;
      linkOut.textContent = readableUrl(location.href);
      if (!result) return;
      if (!result.answer.answerable) {
        rowCount.textContent = "无法计算";
        return;
      }
      const rows = tableRows(next);
      rowCount.textContent = view.q ? `搜索“${view.q}”：${rows.length} / ${result.rows.length} 个单位` : `共 ${rows.length} 个单位`;
    },
  };
}
