// Framework data loader: the `figures_ignored` dataset: the numbers of the sources that are not figures,
// with the reason; fails the build when the catalogue check fails.
import {emitDataset} from "../../loaders/emit.js";
import {passingCatalogue} from "../../loaders/figures/checkCatalogue.js";
import {figuresIgnored} from "../schemas/figures.js";

await emitDataset(figuresIgnored, passingCatalogue().ignoredRows, "parquet");
