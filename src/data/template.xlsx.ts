// Framework data loader: the fill-in template (填报模板) — one sheet per table, Chinese headers, an
// instructions sheet — generated from the schemas (loaders/city/template.ts); identical on every build.
import {templateXlsx} from "../../loaders/city/template.js";

process.stdout.write(await templateXlsx());
