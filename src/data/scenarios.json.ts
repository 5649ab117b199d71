// Framework data loader: the site's scenario files (data/scenarios/*.json) by name, for the briefing
// composer (测算简报撰写) to offer beside the sandbox's slots.
import {readScenarioFiles} from "../../loaders/publish/scenarioResults.js";
import {writeStdout} from "../../loaders/publish/downloads.js";

await writeStdout(`${JSON.stringify(readScenarioFiles().map(({id, scenario}) => ({id, scenario})))}\n`);
