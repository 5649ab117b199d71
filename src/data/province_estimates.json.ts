// Framework data loader: the `province_estimates` dataset (分省残疾人数估算) from the reference tables (2020 census × 2006 survey).
import {emitDataset} from "../../loaders/emit.js";
import {loadProvinceEstimates} from "../../loaders/reference/provinceEstimates.js";
import type {Dataset} from "../schemas/column.js";
import {provinceEstimates} from "../schemas/provinceEstimates.js";

// emitDataset takes the untyped Dataset, which a Dataset<Shape> is not assignable to (zod's ZodObject is invariant in its shape).
await emitDataset(provinceEstimates as unknown as Dataset, loadProvinceEstimates(), "json");
