import {defineConfig} from "vitest/config";

export default defineConfig({
  // Framework's `npm:x` specifiers (src/components) are the installed package `x` in Node.
  resolve: {alias: [{find: /^npm:(.*)$/, replacement: "$1"}]},
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: ["tests/browser/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
