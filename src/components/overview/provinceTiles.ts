import * as Plot from "npm:@observablehq/plot";
import type {ProvinceEstimateRow} from "../../schemas/provinceEstimates.js";
import {formatCount} from "../shared/format.js";

/**
 * National context as a tile grid: one square per province (no boundary map), shaded by the estimated
 * number of disabled persons of a category ("total" for all). Estimates: 2020 census × 2006 survey.
 */
export function ProvinceTiles(rows: readonly ProvinceEstimateRow[], {width = 640, category = "total"}: {width?: number; category?: string} = {}): SVGSVGElement | HTMLElement {
  const data = rows.filter((d) => d.category === category);
  const cols = Math.max(...data.map((d) => d.tile_col)) + 1;
  const size = Math.min(72, Math.floor(width / cols));
  // Light text only on the darkest two of the five colour classes.
  const max = Math.max(...data.map((d) => d.estimated_persons));
  const textFill = (d: ProvinceEstimateRow) => (d.estimated_persons > 0.6 * max ? "white" : "black");
  return Plot.plot({
    width: size * cols,
    height: size * (Math.max(...data.map((d) => d.tile_row)) + 1),
    margin: 0,
    x: {axis: null, domain: Array.from({length: cols}, (_, i) => i)},
    y: {axis: null, domain: Array.from({length: Math.max(...data.map((d) => d.tile_row)) + 1}, (_, i) => i)},
    color: {type: "quantize", n: 5, scheme: "blues", legend: true, label: "估算残疾人数", tickFormat: (d: number) => formatCount(d)},
    marks: [
      Plot.cell(data, {x: "tile_col", y: "tile_row", fill: "estimated_persons", inset: 1.5, title: (d: ProvinceEstimateRow) => `${d.province_name}\n估算${d.category_zh}残疾人：${formatCount(d.estimated_persons)}（估算，方法见下）`}),
      Plot.text(data, {x: "tile_col", y: "tile_row", text: "short_name", dy: -7, fill: textFill, fontSize: 11}),
      Plot.text(data, {x: "tile_col", y: "tile_row", text: (d: ProvinceEstimateRow) => formatCount(d.estimated_persons), dy: 8, fill: textFill, fontSize: 9}),
    ],
  }) as SVGSVGElement | HTMLElement;
}
