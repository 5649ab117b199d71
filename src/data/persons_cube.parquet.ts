// Framework data loader: persons_cube as Parquet: persons counted per community in slices, small cells
// pooled (loaders/city/personsCube.ts) — what the engines read for a real city, whose person rows are never published.
import {emitDataset} from "../../loaders/emit.js";
import {loadPublishedCube} from "../../loaders/city/loadCity.js";
import {personsCube} from "../schemas/personsCube.js";

await emitDataset(personsCube, loadPublishedCube().then((c) => c.rows), "parquet");
