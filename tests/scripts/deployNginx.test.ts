import {readFileSync} from "node:fs";
import {expect, test} from "vitest";
import {immutableCacheControl, immutablePrefixes} from "../../scripts/serve.js";

// docs/deploy.md's nginx block, read as text: nginx drops every add_header of a location once a nested
// location has its own, so the cached-a-year location must repeat each security header itself. A header
// added to one and forgotten in the other would leave the engine's files without the CSP.
const docs = readFileSync(new URL("../../docs/deploy.md", import.meta.url), "utf-8");
const block = /```nginx\n([\s\S]*?)```/.exec(docs)![1]!;
const nestedMatch = /\n(\s+)location ~ \^\/sandbox\/\(([^)]*)\)\/ \{\n([\s\S]*?)\n\1\}/.exec(block);

const headers = (text: string) => new Map([...text.matchAll(/^\s*add_header (\S+) "([^"]*)" always;$/gm)].map((m) => [m[1]!, m[2]!]));

test("the block has a nested location for the hashed folders", () => {
  expect(nestedMatch).not.toBeNull();
});

test("the nested location caches the folders scripts/serve.ts caches, with the same Cache-Control", () => {
  const [, , folders, body] = nestedMatch!;
  expect(folders!.split("|").map((f) => `${f}/`).sort()).toEqual([...immutablePrefixes].sort());
  expect(headers(body!).get("Cache-Control")).toBe(immutableCacheControl);
});

test("the nested location repeats every header of the outer one except Cache-Control, with the same value", () => {
  const body = nestedMatch![3]!;
  const outer = headers(block.replace(body, ""));
  const inner = headers(body);
  expect(outer.get("Cache-Control")).toBe("no-cache");
  outer.delete("Cache-Control");
  inner.delete("Cache-Control");
  expect(outer.size).toBeGreaterThanOrEqual(3);
  expect(inner).toEqual(outer);
});
