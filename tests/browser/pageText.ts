/**
 * What a planner reads on a page: every visible text node (and the SVG text of the figures, the
 * placeholders and the options of a drop-down), each with whether it sits inside an element marked as
 * English (`lang="en"`), read after the page has settled and every <details> has been opened.
 */
import type {Page} from "playwright-core";

export interface ShownText {
  text: string;
  /** True inside an element whose nearest `lang` is English: the marked second language. */
  english: boolean;
  /** True inside an element marked as pinyin (`lang="zh-Latn-pinyin"`): Chinese in Latin letters. */
  pinyin: boolean;
  /** Where: the tag and class of the enclosing element, for the failure message. */
  where: string;
}

/** Waits until the page has stopped changing: no pending request, no loading cell, the same text for `quietMs`. */
export async function settle(page: Page, options: {quietMs?: number; timeout?: number} = {}): Promise<void> {
  const quietMs = options.quietMs ?? 1_500;
  const deadline = Date.now() + (options.timeout ?? 90_000);
  await page.waitForLoadState("networkidle", {timeout: options.timeout ?? 90_000});
  let last = "";
  let since = Date.now();
  while (Date.now() < deadline) {
    const now = await page.evaluate(() => {
      const loading = document.querySelectorAll(".observablehq--loading").length;
      return `${loading}:${document.body.innerText.length}:${document.querySelectorAll("svg").length}`;
    });
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (!now.startsWith("0:")) since = Date.now();
    else if (Date.now() - since >= quietMs) return;
    await page.waitForTimeout(250);
  }
  throw new Error(`the page did not settle within ${options.timeout ?? 90_000} ms (${last})`);
}

/** Opens every <details> (again after each round: opening one may draw more), then lets the page settle. */
export async function openAllDetails(page: Page): Promise<number> {
  let opened = 0;
  for (let round = 0; round < 4; round++) {
    const now = await page.evaluate(() => {
      const closed = [...document.querySelectorAll("details")].filter((d) => !d.open);
      for (const d of closed) d.open = true;
      return closed.length;
    });
    if (now === 0) break;
    opened += now;
    await settle(page, {quietMs: 800});
  }
  return opened;
}

/** Every text a reader sees on the page, with its language marking. */
export async function shownTexts(page: Page): Promise<ShownText[]> {
  return page.evaluate(() => {
    const out: {text: string; english: boolean; pinyin: boolean; where: string}[] = [];
    const lang = (el: Element | null) => el?.closest("[lang]")?.getAttribute("lang") ?? "";
    const english = (el: Element | null) => /^en\b/i.test(lang(el));
    const pinyin = (el: Element | null) => /^zh-Latn\b/i.test(lang(el));
    const where = (el: Element) => `${el.tagName.toLowerCase()}${el.classList.length ? `.${[...el.classList].join(".")}` : ""}${el.closest("[id]") ? ` in #${el.closest("[id]")!.id}` : ""}`;
    const visible = (el: Element) => (el instanceof HTMLElement || el instanceof SVGElement) && el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim() ?? "";
      if (!parent || text === "" || parent.closest("script, style, template, noscript")) continue;
      // A drop-down's options are read when it opens; an SVG's text when its figure is on screen.
      const inSelect = parent.closest("select");
      if (inSelect ? !visible(inSelect) : !visible(parent)) continue;
      out.push({text, english: english(parent), pinyin: pinyin(parent), where: where(parent)});
    }
    for (const el of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input[placeholder], textarea[placeholder]"))
      if (visible(el) && el.placeholder.trim()) out.push({text: el.placeholder.trim(), english: english(el), pinyin: pinyin(el), where: `${where(el)}[placeholder]`});
    for (const el of document.querySelectorAll<HTMLInputElement>("input[type=button], input[type=submit]"))
      if (visible(el) && el.value.trim()) out.push({text: el.value.trim(), english: english(el), pinyin: pinyin(el), where: `${where(el)}[value]`});
    return out;
  });
}

/**
 * Broken tokens: what a missing or non-finite value becomes when code prints it. Word-bounded, so
 * "nullify" or "NaNjing" do not count, while "undefined年" (next to Chinese) does.
 */
export const brokenToken = /(?<![A-Za-z0-9_])(undefined|NaN|null|Infinity)(?![A-Za-z0-9_])|\[object [A-Za-z]+\]/;

/**
 * True when a shown text holds a broken token. The one false alarm is the researchers' English codebook,
 * which names JSON's missing value in prose ("null when not reported"): lower-case "null" inside a
 * `lang="en"` element is that word, not a printed value. Everywhere else, and every other token, counts.
 */
export function hasBrokenToken(t: Pick<ShownText, "text" | "english">): boolean {
  const text = t.english ? t.text.replace(/(?<![A-Za-z0-9_])null(?![A-Za-z0-9_])/g, "") : t.text;
  return brokenToken.test(text);
}

/**
 * Latin words a Chinese page may show outside a `lang="en"` element, each a name a planner needs as it
 * is written: file formats a planner picks, opens or sees at the end of a file name (CSV, XLSX, XLS, WPS's
 * ET/ETT, Parquet, JSON, ZIP, PDF, HTML, YAML, TXT), text encodings a spreadsheet asks for (UTF-8, UTF-16,
 * GBK, GB18030), the office programs the pages name (Excel, WPS; Word, whose files the importer names) and file sizes
 * (KB, MB). Units are written in Chinese (元, 平方米) or as symbols (%, ¥, m²: one letter, not a word);
 * numbers are not words; a link's address is not prose. Everything else is Chinese or marked English.
 */
export const allowedLatinWords = new Set(["csv", "xlsx", "xls", "et", "ett", "parquet", "json", "zip", "pdf", "html", "yaml", "txt", "utf", "gbk", "gb", "excel", "wps", "word", "kb", "mb"]);

/** The Latin words of a text that are not allowed: runs of two or more letters (a lone "m" of m² or "A" of A4 is a symbol). */
export function unmarkedLatinWords(text: string): string[] {
  const prose = text.replace(/\bhttps?:\/\/\S+/g, " ");
  return [...prose.matchAll(/[A-Za-z][A-Za-z'’-]*[A-Za-z]/g)].map((m) => m[0]).filter((w) => !allowedLatinWords.has(w.toLowerCase()));
}
