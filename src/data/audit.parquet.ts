// Framework data loader: the `audit` dataset (一致性核查): recomputations of data/audit/checks.yaml,
// conflicting targets and blank figures over the checked figures catalogue.
import {emitDataset} from "../../loaders/emit.js";
import {loadAudit} from "../../loaders/audit/runAudit.js";
import {audit} from "../schemas/audit.js";

await emitDataset(audit, loadAudit(), "parquet");
