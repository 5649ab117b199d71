// Framework data loader: the `reference` dataset (全国及分省参考数据) from data/reference/*.csv.
import {emitDataset} from "../../loaders/emit.js";
import {loadReference} from "../../loaders/reference/loadReference.js";
import {reference} from "../schemas/reference.js";

await emitDataset(reference, loadReference(), "json");
