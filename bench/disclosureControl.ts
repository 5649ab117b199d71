/**
 * npx tsx bench/disclosureControl.ts [--communities 600]   the joint disclosure control at a city's scale
 *
 * A real-shaped city (the demo generator's structure, marked real) is protected as a build protects it
 * (loaders/publish/disclosureControl.ts: each table's rules, then complementary suppression to a fixed
 * point, then the audit of the rows as published). Prints persons, the figures hidden by the joint rule,
 * time and heap growth; writes bench/results/disclosure-latest.json.
 */
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {generateDemoCity, loadDemoCityConfig} from "../loaders/demoCity/index.js";
import {protectPersonsPublication} from "../loaders/publish/disclosureControl.js";
import {benchRoot} from "./lib/paths.js";

const {values} = parseArgs({options: {communities: {type: "string", default: "600"}}});
const {units, persons} = await generateDemoCity(loadDemoCityConfig(), {units: Number(values.communities)});
const real = units.map((u) => ({...u, synthetic: false}));
const heap0 = process.memoryUsage().heapUsed;
const t0 = performance.now();
const result = protectPersonsPublication(persons, real, 5);
const ms = Math.round(performance.now() - t0);
const heapMB = Math.round((process.memoryUsage().heapUsed - heap0) / 2 ** 20);
const communities = new Set(persons.map((p) => p.community_code)).size;
const row = {communities, persons: persons.length, complementary: result.complementary, cubeRows: result.cube.rows.length, summaryRows: result.summary.length, ms, heapGrowthMB: heapMB};
console.log(row);
writeFileSync(join(benchRoot, "results", "disclosure-latest.json"), `${JSON.stringify({date: new Date().toISOString(), ...row}, null, 2)}\n`);
