import {simplifiedChars, traditionalChars, wholeReadings} from "./simplifiedReadingTable.js";

/**
 * The simplified reading of a quote in traditional script, shown beside the original (which stays as its
 * source writes it): OpenCC's reading, from a table the build's quotes were read into
 * (loaders/figures/quoteReadings.ts), so no page loads a dictionary. Null for a quote already simplified.
 */

/** A reader of text by a character map: `traditional[i]` reads as `simplified[i]`, any other character as itself. */
export function characterReader(traditional: string, simplified: string): (text: string) => string {
  const to = [...simplified];
  const characters = new Map([...traditional].map((c, i) => [c, to[i]!]));
  return (text) => [...text].map((c) => characters.get(c) ?? c).join("");
}

const readCharacters = characterReader(traditionalChars, simplifiedChars);

export function simplifiedReading(quote: string | null | undefined): string | null {
  if (!quote) return null;
  const reading = wholeReadings[quote] ?? readCharacters(quote);
  return reading === quote ? null : reading;
}

/** The reading as the pages show it after the quote: "（简体：残疾人康复需求筛出率不低于60%）", or "". */
export function simplifiedReadingText(quote: string | null | undefined): string {
  const reading = simplifiedReading(quote);
  return reading ? `（简体：${reading}）` : "";
}
