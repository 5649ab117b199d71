import {h} from "../shared/dom.js";
import {quoteLang, sourceTitle} from "../shared/sourceTitle.js";
import {simplifiedReadingText} from "../shared/simplifiedReading.js";
/**
 * Footnotes to the figures catalogue (引文脚注): `cite("004-013")` puts a numbered superscript in the
 * text; `footnotes()` lists each cited entry with its catalogue id, source document, section and exact
 * quote, linked both ways. Any page can use it with rows of the `figures` dataset (or a briefing's
 * precomputed subset).
 *
 * @example
 * const notes = Citations(await FileAttachment("data/figures.json").json());
 * display(html`<p>社区康复经费每人每年不少于 0.30 元${notes.cite("004-013")}</p>`);
 * display(notes.footnotes());
 */

/** The fields of a figures catalogue entry a footnote shows. */
export interface CitableFigure {
  id: string;
  document: string;
  section: string;
  quote: string;
  indicator_zh?: string;
  value?: number;
  unit?: string;
}

export interface Citations {
  /** A superscript footnote mark for a catalogue entry; throws for an id the catalogue lacks. */
  cite(id: string): HTMLElement;
  /** The footnote number of an entry (its position in the footnote list, from 1). */
  number(id: string): number;
  /** The ordered list of footnotes: every entry in the list, cited or not, in order. */
  footnotes(): HTMLElement;
}

/** Element id of a figure's footnote, e.g. "fn-004-013". */
export const footnoteId = (id: string) => `fn-${id}`;
/** Element id of the first mark citing a figure, e.g. "ref-004-013". */
export const referenceId = (id: string) => `ref-${id}`;

/**
 * Footnotes numbered by the order of `figures` (a briefing lists them in order of first citation, so the
 * numbers do not depend on which cell runs first). Text from the catalogue is set as text, never as HTML.
 */
export function Citations(figures: readonly CitableFigure[]): Citations {
  const byId = new Map(figures.map((f, i) => [f.id, {figure: f, n: i + 1}]));
  const marked = new Set<string>();
  const entry = (id: string) => {
    const found = byId.get(id);
    if (!found) throw new Error(`cite: ${id} is not in the figures catalogue of this page`);
    return found;
  };
  return {
    cite(id) {
      const {figure, n} = entry(id);
      const link = h("a", {href: `#${footnoteId(id)}`, "aria-label": `注 ${n}：摘录 ${id}`, title: `${sourceTitle(figure.document)}：${figure.quote}`}, `[${n}]`);
      // Only the first mark of an entry carries the id the footnote links back to (ids are unique).
      const attributes: Record<string, string> = {class: "cite", "data-figure": id};
      if (!marked.has(id)) attributes.id = referenceId(id);
      marked.add(id);
      return h("sup", attributes, link);
    },
    number: (id) => entry(id).n,
    footnotes() {
      return h(
        "ol",
        {class: "footnotes"},
        ...figures.map((f) =>
          h(
            "li",
            {id: footnoteId(f.id), "data-figure": f.id},
            h("span", {class: "footnote-id"}, `摘录 ${f.id}`),
            `（${sourceTitle(f.document)}，${f.section}）：`,
            h("q", quoteLang(f.quote) ? {lang: "en"} : {}, f.quote),
            h("span", {class: "quote-reading"}, simplifiedReadingText(f.quote)),
            f.indicator_zh ? h("span", {class: "muted"}, `（指标：${f.indicator_zh}）`) : "",
            " ",
            h("a", {href: `#${referenceId(f.id)}`, class: "footnote-back", "aria-label": "返回正文"}, "↩"),
          ),
        ),
      );
    },
  };
}
