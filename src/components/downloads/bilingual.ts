/**
 * A note written "中文。 English." as its Chinese and English parts: the English starts after the last
 * Chinese character or punctuation mark. The page marks English as a second language (lang="en"), as the
 * bilingual codebook for researchers is meant to be read.
 */
export function splitBilingual(text: string): {zh: string; en: string} {
  const lastChinese = Math.max(...[...text.matchAll(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/g)].map((m) => m.index!), -1);
  if (lastChinese < 0) return {zh: "", en: text.trim()};
  return {zh: text.slice(0, lastChinese + 1).trim(), en: text.slice(lastChinese + 1).trim()};
}
