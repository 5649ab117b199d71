import {indicatorById} from "../../engine/indicators.js";
import {gapTableExport} from "./gapColumns.js";
import {costText, filterText, levelPlural, targetText} from "./gapText.js";
import {csvBytes, csvMime, downloadFileName, saveFile, xlsxBytes, xlsxMime} from "../shared/tableDownload.js";
import {tableRows, type GapState} from "./gapState.js";

/**
 * The table's downloads (下载 CSV / XLSX): the table as shown (searched and sorted), every row, not only
 * those drawn, named after the view; the XLSX has a 说明 sheet saying what the view is.
 */

/** The parts of a download's file name: page, indicator, scope, level, year, filters, search. */
export function gapFileParts({view, scope, result}: Pick<GapState, "view" | "scope" | "result">): string[] {
  return [
    "覆盖缺口",
    indicatorById(view.indicator).label.zh,
    scope.map((s) => s.unit_name).join("-"),
    levelPlural[view.level],
    `${view.year}年`,
    result?.filters.applies ? filterText(view.categories, view.grades).replaceAll(" · ", "_") : "",
    view.q ? `搜索${view.q}` : "",
  ];
}

export function downloadGapCsv(state: GapState): void {
  if (!state.result) return;
  const table = gapTableExport(tableRows(state), state.result);
  saveFile(downloadFileName(gapFileParts(state), "csv"), csvBytes(table.headers, table.rows), csvMime);
}

/** `sourceLabel` names the city's data (the 数据 row of the 说明 sheet). */
export async function downloadGapXlsx(state: GapState, sourceLabel: string): Promise<void> {
  const {result: shown, view, scope} = state;
  if (!shown) return;
  const table = gapTableExport(tableRows(state), shown);
  const about: [string, string][] = [
    ["指标", shown.indicator.label.zh],
    ["计算方法", shown.indicator.howComputed_zh],
    ["目标", targetText(shown)],
    ["成本", costText(shown)],
    ["范围", scope.map((s) => s.unit_name).join(" › ")],
    ["层级", levelPlural[view.level]],
    ["年度", `${view.year} 年（目标与标准取 ${shown.as_of} 有效值）`],
    ["筛选", (shown.filters.applies && filterText(view.categories, view.grades)) || "全部"],
    ["搜索", view.q || "无"],
    ["数据", sourceLabel],
    ["视图链接", location.href],
    ["缺失值", "“—”表示缺失（状态未知或无法计算），不是 0。"],
  ];
  const parts = gapFileParts(state);
  const bytes = await xlsxBytes(
    [
      {name: "覆盖缺口", headers: table.headers, rows: table.rows},
      {name: "说明", headers: ["项目", "内容"], rows: about},
    ],
    {title: parts.filter(Boolean).join(" ")},
  );
  saveFile(downloadFileName(parts, "xlsx"), bytes, xlsxMime);
}
