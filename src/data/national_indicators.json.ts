// Framework data loader: the national plan's main indicators for the overview (全国“十四五”主要指标):
// 2020 baseline → 2025 target → latest outturn, each with its source.
import {emitDataset} from "../../loaders/emit.js";
import {nationalIndicatorRows} from "../../loaders/reference/nationalIndicators.js";
import {nationalIndicators} from "../schemas/nationalIndicators.js";

await emitDataset(nationalIndicators, nationalIndicatorRows(), "json");
