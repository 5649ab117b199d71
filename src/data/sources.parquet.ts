// Framework data loader: the `sources` dataset (来源文件与覆盖率): each source document, its normalisation
// and how much of it the figures catalogue covers; fails the build when the catalogue check fails.
import {emitDataset} from "../../loaders/emit.js";
import {passingCatalogue} from "../../loaders/figures/checkCatalogue.js";
import {sourceRows} from "../../loaders/sources/sourceRows.js";
import {sources} from "../schemas/sources.js";

await emitDataset(sources, sourceRows(passingCatalogue()), "parquet");
