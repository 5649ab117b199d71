// Framework data loader: the opening views of 覆盖缺口 (src/components/shared/openingViews.ts), computed by the
// Node engines at build time so the page shows its first figures before DuckDB-WASM is in.
import {writeStdout} from "../../loaders/publish/downloads.js";
import {loadOpeningGaps} from "../../loaders/publish/openingViews.js";

await writeStdout(`${JSON.stringify(await loadOpeningGaps())}\n`);
