// Framework data loader: every download (each dataset as Parquet, CSV and XLSX, codebooks, manifest.json,
// SHA256SUMS.txt, README.md) in one deterministic ZIP. Framework serves data/downloads/<file> from it, so
// each file is encoded once per build and the manifest's checksums are those of the files beside it.
import {downloadsArchive, writeStdout} from "../../loaders/publish/downloads.js";

await writeStdout(await downloadsArchive());
