// Framework data loader: the units dataset as Arrow IPC; today the synthetic demo city 示例市.
import {emitDataset} from "../../loaders/emit.js";
import {loadUnits} from "../../loaders/demoCity/index.js";
import {units} from "../schemas/units.js";

await emitDataset(units, loadUnits(), "arrow");
