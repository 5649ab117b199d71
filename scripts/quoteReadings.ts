/** npm run quote-readings: writes src/components/shared/simplifiedReadingTable.ts from the quotes in data/ (loaders/figures/quoteReadings.ts). */
import {writeFileSync} from "node:fs";
import {readingTable, readingTableModule, shownQuotes} from "../loaders/figures/quoteReadings.js";

const quotes = shownQuotes();
const table = readingTable(quotes);
const out = new URL("../src/components/shared/simplifiedReadingTable.ts", import.meta.url);
writeFileSync(out, readingTableModule(table));
console.log(`${quotes.length} quotes; ${[...table.traditional].length} characters mapped, ${Object.keys(table.whole).length} read whole → src/components/shared/simplifiedReadingTable.ts`);
