// Framework data loader: the `figures` dataset (数据摘录) from data/figures/*.yaml; fails the build when
// the catalogue check fails (a quote not found, a value not in its quote, a number left uncovered).
import {emitDataset} from "../../loaders/emit.js";
import {loadFigureRows} from "../../loaders/figures/checkCatalogue.js";
import {figures} from "../schemas/figures.js";

await emitDataset(figures, loadFigureRows(), "parquet");
