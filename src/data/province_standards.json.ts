// Framework data loader: each province's own standards (本省现行标准) for the sandbox's province choice.
import {emitDataset} from "../../loaders/emit.js";
import {provinceStandardRows} from "../../loaders/reference/provinceStandards.js";
import {provinceStandards} from "../schemas/provinceStandards.js";

await emitDataset(provinceStandards, provinceStandardRows(), "json");
