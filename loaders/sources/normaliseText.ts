/**
 * Normalised text of a source document (规范化文本): the scraped page with the pinyin annotations some
 * sites insert after each character (`殘聯(lián)`) removed. Nothing else changes: script (traditional or
 * simplified), punctuation, conversion artefacts (`效劳` for 服务) and every digit stay as they are, so a
 * quote taken from the normalised text is still the document's own words.
 */

/** Vowels carrying a pinyin tone mark; every annotation in the sources has one. */
const tonedVowel = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ";
/** One pinyin syllable (letters, ü, toned vowels) with at least one tone mark. */
const syllable = `[a-zü${tonedVowel}]*[${tonedVowel}][a-zü${tonedVowel}]*`;

/**
 * `(lián)` or `（lián）` right after a Chinese character, possibly several syllables separated by spaces.
 * A toneless word in parentheses (`(PPT)`, `(km)`), every parenthesis with digits or Chinese inside
 * (`(一)`, `(2012年)`) and anything after a digit (removing it could join two numbers) is kept.
 */
const annotation = new RegExp(`(?<=\\p{Script=Han})[(（]${syllable}(?: ${syllable})*[)）]`, "gu");
/**
 * The same annotation whose opening parenthesis was swallowed with its character by a mis-decoding
 * (`藬?shù)的48%`): only a syllable and `)` right after the replacement `?` are taken.
 */
const orphanAnnotation = new RegExp(`(?<=\\?)${syllable}[)）]`, "gu");

export interface NormalisedText {
  /** The document as scraped. */
  original: string;
  /** The document without pinyin annotations. */
  text: string;
  /** For each UTF-16 index of `text` (and one past its end), the UTF-16 index of the same character in `original`. */
  originalIndex: Int32Array;
  /** How many annotations were removed. */
  removed: number;
}

/** Removes pinyin annotations, keeping a map from every normalised position back to the original. */
export function normaliseText(original: string): NormalisedText {
  const cuts: [number, number][] = [];
  for (const pattern of [annotation, orphanAnnotation])
    for (const match of original.matchAll(pattern)) cuts.push([match.index, match.index + match[0].length]);
  cuts.sort((a, b) => a[0] - b[0]);

  const parts: string[] = [];
  const originalIndex = new Int32Array(original.length + 1);
  let length = 0;
  let from = 0;
  const keep = (to: number) => {
    for (let i = from; i < to; i++) originalIndex[length + i - from] = i;
    parts.push(original.slice(from, to));
    length += to - from;
  };
  for (const [start, end] of cuts) {
    if (start < from) continue; // both patterns cannot overlap, but never cut twice
    keep(start);
    from = end;
  }
  keep(original.length);
  originalIndex[length] = original.length;
  return {original, text: parts.join(""), originalIndex: originalIndex.slice(0, length + 1), removed: cuts.length};
}

/** Counts Unicode code points (what DuckDB's `substring` and most readers count) before a UTF-16 index. */
export function codePointOffset(text: string, utf16Index: number): number {
  let count = 0;
  for (let i = 0; i < utf16Index; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xdc00 || code > 0xdfff) count++;
  }
  return count;
}
