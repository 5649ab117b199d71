/**
 * npm run demo-city -- [--persons N] [--units N] [--seed N] [--out DIR] [--format parquet,arrow] [--threads N] [--report]
 *
 * Writes the synthetic demo city 示例市 (units.parquet, units.arrow, persons.parquet, persons.arrow) at
 * any size, e.g. 10 million persons for the benchmark:
 *   npm run demo-city -- --persons 10000000 --out tmp/city-10m
 * Prints a JSON report (sizes, files, seconds per step) on stdout; with --report, the calibration and
 * gap tables of data/demo-city/README.md as Markdown instead.
 */
import {parseArgs} from "node:util";
import {calibrationMarkdown, latestParameterValues, openCity} from "../loaders/demoCity/calibration.js";
import {loadDemoCityConfig} from "../loaders/demoCity/config.js";
import {writeDemoCity, type CityFormat} from "../loaders/demoCity/writeCity.js";

const {values} = parseArgs({
  options: {
    persons: {type: "string"},
    units: {type: "string"},
    seed: {type: "string"},
    out: {type: "string", default: "tmp/demo-city"},
    format: {type: "string", default: "parquet,arrow"},
    threads: {type: "string", default: "2"},
    report: {type: "boolean", default: false},
    help: {type: "boolean", short: "h"},
  },
  strict: true,
});

if (values.help) {
  process.stdout.write(
    [
      "npm run demo-city -- [options]   write the synthetic demo city 示例市",
      "  --persons N    person rows (default: the config's city, ~26 thousand); the city grows to match",
      "  --units N      communities (社区/村); default: grows with --persons (600 for the default city)",
      "  --seed N       seed (default: data/demo-city/config.yaml)",
      "  --out DIR      output folder (default tmp/demo-city)",
      "  --format LIST  persons formats: parquet,arrow (default both; units always both)",
      "  --threads N    DuckDB threads (default 2; 1 gives byte-identical files across machines)",
      "  --report       print the calibration and gap tables (Markdown) instead of the JSON report",
      "",
    ].join("\n"),
  );
  process.exit(0);
}

/** A whole number from the command line, or a message naming the option. */
function count(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`--${name} must be a whole number ≥ ${min}, got ${JSON.stringify(text)}\n`);
    process.exit(2);
  }
  return n;
}

const formats = values.format.split(",").map((f) => f.trim());
for (const f of formats)
  if (f !== "parquet" && f !== "arrow") {
    process.stderr.write(`--format takes parquet and/or arrow, got ${JSON.stringify(f)}\n`);
    process.exit(2);
  }

if (values.report && !formats.includes("parquet")) {
  process.stderr.write("--report reads the Parquet files: keep parquet in --format\n");
  process.exit(2);
}
const config = loadDemoCityConfig();
const report = await writeDemoCity({
  config,
  outDir: values.out,
  persons: count("persons", values.persons, 1),
  units: count("units", values.units, 1),
  seed: count("seed", values.seed, 0),
  formats: formats as CityFormat[],
  threads: count("threads", values.threads, 1),
});
if (values.report) {
  const db = await openCity(values.out);
  try {
    process.stdout.write(await calibrationMarkdown(db, report.seed === config.seed ? config : {...config, seed: report.seed}, latestParameterValues()));
  } finally {
    db.close();
  }
} else process.stdout.write(JSON.stringify(report, null, 2) + "\n");
