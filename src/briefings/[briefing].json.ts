// Framework data loader: a briefing's data (src/briefings/<id>.json) from data/briefings/<id>.yaml, its
// scenarios and gap views computed by the Node engines at build time, so the page renders without DuckDB.
import {loadBriefing} from "../../loaders/publish/briefing.js";
import {writeStdout} from "../../loaders/publish/downloads.js";

const arg = process.argv.find((a) => a.startsWith("--briefing="));
if (!arg) throw new Error("the briefing loader needs --briefing=<id> (Framework passes it for [briefing].json)");
await writeStdout(`${JSON.stringify(await loadBriefing(arg.slice("--briefing=".length)))}\n`);
