import {html} from "npm:htl";
import {formatParameterValue} from "../sandbox/scenarioFormat.js";
import {quoteLang, sourceTitle} from "../shared/sourceTitle.js";
import {simplifiedReadingText} from "../shared/simplifiedReading.js";

/**
 * The methods page's 政策参数 table (方法与来源): every dated value of every parameter, in Chinese — its
 * name, kind, value with its Chinese unit, effective date, source by title and quote. Cells wrap, so
 * every column can be read at 1366 and 1920 px; the parameter id, for researchers, sits in a marked
 * <code lang="en"> under the name.
 */

export interface ParameterTableRow {
  id: string;
  label_zh: string;
  kind: string;
  value: number;
  unit: string;
  effective_date: string;
  source: string;
  quote: string | null;
}

export const kindZh: Record<string, string> = {standard: "标准", target: "目标", assumption: "测算假设"};

const sourceText = (source: string) => (source === "assumption" ? "测算假设（无文件出处）" : sourceTitle(source));

export function ParameterTable(rows: readonly ParameterTableRow[]): HTMLElement {
  return html`<div class="parameter-table-box"><table class="parameter-table" data-table="parameters">
    <thead><tr><th scope="col">参数</th><th scope="col">类型</th><th scope="col">数值</th><th scope="col">生效日期</th><th scope="col">来源与原文</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr data-parameter=${r.id}>
        <th scope="row">${r.label_zh}<div class="muted"><code lang="en">${r.id}</code></div></th>
        <td>${kindZh[r.kind] ?? r.kind}</td>
        <td class="num">${formatParameterValue(r.value, r.unit)}</td>
        <td>${r.effective_date}</td>
        <td>${sourceText(r.source)}${r.quote ? html`<q lang=${quoteLang(r.quote)}>${r.quote}</q><span class="quote-reading">${simplifiedReadingText(r.quote)}</span>` : ""}</td>
      </tr>`,
    )}</tbody></table></div>` as HTMLElement;
}
