#!/usr/bin/env node
// Runs Observable Framework's CLI (build, preview) with its telemetry switched off. Unless
// OBSERVABLE_TELEMETRY_DISABLE is set, `observable build` and `observable preview` write a device id to
// ~/.observablehq and POST it with a hash of the git remote, CPU, memory and OS to Observable's server:
// our users' builds must contact no host, so every npm script runs Framework through this file.
// Plain JavaScript, not tsx: Framework loads its own TypeScript (config, data loaders) itself.
process.env.OBSERVABLE_TELEMETRY_DISABLE = "true";
await import("../node_modules/@observablehq/framework/dist/bin/observable.js");
