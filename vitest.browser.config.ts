import {defineConfig} from "vitest/config";

// Browser specs: run against the built dist/ in Debian's Chromium, one file at a time (2 cores).
export default defineConfig({
  test: {
    include: ["tests/browser/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: "forks",
  },
});
