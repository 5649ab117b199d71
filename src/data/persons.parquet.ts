// Framework data loader: the persons dataset as Parquet: the demo city's; for a planner's real city
// it is published empty — person-level rows never reach dist/ (loaders/city/loadCity.ts).
import {emitDataset} from "../../loaders/emit.js";
import {loadPublishedPersons} from "../../loaders/city/loadCity.js";
import {persons} from "../schemas/persons.js";

await emitDataset(persons, loadPublishedPersons(), "parquet");
