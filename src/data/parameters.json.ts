// Framework data loader: the `parameters` dataset (政策参数) from data/parameters/**/*.yaml.
import {emitDataset} from "../../loaders/emit.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import type {Dataset} from "../schemas/column.js";
import {parameters} from "../schemas/parameters.js";

// emitDataset takes the untyped Dataset, which a Dataset<Shape> is not assignable to (zod's ZodObject is invariant in its shape).
await emitDataset(parameters as unknown as Dataset, loadParameters(), "json");
