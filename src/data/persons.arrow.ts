// Framework data loader: the persons dataset as Arrow IPC; today the synthetic demo city 示例市.
import {emitDataset} from "../../loaders/emit.js";
import {loadPersons} from "../../loaders/demoCity/index.js";
import {persons} from "../schemas/persons.js";

await emitDataset(persons, loadPersons(), "arrow");
