// Framework data loader: the units dataset as Arrow IPC: the demo city 示例市, or the planner's workbook named in
// dpf.config.yaml (loaders/city/loadCity.ts).
import {emitDataset} from "../../loaders/emit.js";
import {loadCityUnits} from "../../loaders/city/loadCity.js";
import {units} from "../schemas/units.js";

await emitDataset(units, loadCityUnits(), "arrow");
