// Framework data loader: the `parameters` dataset (政策参数) from data/parameters/**/*.yaml.
import {emitDataset} from "../../loaders/emit.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {parameters} from "../schemas/parameters.js";

await emitDataset(parameters, loadParameters(), "json");
