import type {FigureRow} from "../../src/schemas/figures.js";

/** A figure of the imaginary document 900 with the fields the audit reads; the rest filled in. */
export function figure(id: string, value: number, unit: FigureRow["unit"], quote: string, more: Partial<FigureRow> = {}): FigureRow {
  return {
    id: `900-${id}`, document: "900_abcdef.txt", section: "一、主要目標", indicator: "dibao_households",
    indicator_zh: "城乡低保户数", indicator_en: "Households receiving subsistence allowance",
    value, unit, kind: "achieved", place: null, level: null, year: null, quote, quote_offset: 0, original_offset: 0,
    ...more,
  };
}

export const byId = (...figures: FigureRow[]) => new Map(figures.map((f) => [f.id, f]));
