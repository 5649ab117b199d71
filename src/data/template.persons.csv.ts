// Framework data loader: the CSV template of the persons table (header row, UTF-8 with BOM).
import {templateCsv} from "../../loaders/city/template.js";

process.stdout.write(templateCsv("persons"));
