// Framework data loader: the `parameters` dataset as Arrow IPC, for DuckDB-WASM on the pages.
import {emitDataset} from "../../loaders/emit.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {parameters} from "../schemas/parameters.js";

await emitDataset(parameters, loadParameters(), "arrow");
