// Framework data loader: the `province_estimates` dataset (分省残疾人数估算) from the reference tables (2020 census × 2006 survey).
import {emitDataset} from "../../loaders/emit.js";
import {loadProvinceEstimates} from "../../loaders/reference/provinceEstimates.js";
import {provinceEstimates} from "../schemas/provinceEstimates.js";

await emitDataset(provinceEstimates, loadProvinceEstimates(), "parquet");
