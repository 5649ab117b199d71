// Framework data loader: the latest benchmark results (bench/results/latest.json, and latest-10m.json
// when there is one) summarised for the methods page; null before the first `npm run bench`.
import {existsSync, readFileSync} from "node:fs";
import {summarize, type ResultsFile} from "../../bench/lib/summary.js";

const files = ["latest.json", "latest-10m.json"]
  .map((name) => new URL(`../../bench/results/${name}`, import.meta.url))
  .filter((url) => existsSync(url))
  .map((url) => JSON.parse(readFileSync(url, "utf-8")) as ResultsFile);
process.stdout.write(JSON.stringify(files.length ? summarize(files) : null));
