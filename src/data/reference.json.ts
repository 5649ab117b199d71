// Framework data loader: the `reference` dataset (全国及分省参考数据) from data/reference/*.csv.
import {emitDataset} from "../../loaders/emit.js";
import {loadReference} from "../../loaders/reference/loadReference.js";
import type {Dataset} from "../schemas/column.js";
import {reference} from "../schemas/reference.js";

// emitDataset takes the untyped Dataset, which a Dataset<Shape> is not assignable to (zod's ZodObject is invariant in its shape).
await emitDataset(reference as unknown as Dataset, loadReference(), "json");
