import {describe, expect, test} from "vitest";
import {LEGACY_DATABASE, deploymentBase, storeDatabaseName} from "../../../src/components/import/storeLocation.js";
import {
  NEWER_VERSION_MESSAGE,
  OLD_VERSION_MESSAGE,
  STORE_SCHEMA,
  checkStoredRecord,
  formatBytes,
  saveFailureMessage,
  type StoredCity,
} from "../../../src/components/import/storedCityRecord.js";

// An imported city is kept per deployment: the database is named after the site's base path, which
// importStore.ts reads from its own URL (<base>/_import/components/importStore.<hash>.js).

describe("the deployment's base path, from the store module's URL", () => {
  test.each([
    ["a build served at the host's root", "http://intranet.example/_import/components/importStore.1a2b3c4d.js", "/"],
    ["a build under /sandbox/", "http://intranet.example/sandbox/_import/components/importStore.1a2b3c4d.js", "/sandbox/"],
    ["a build two folders deep", "https://10.0.0.5:8443/canlian/plan/_import/components/importStore.1a2b3c4d.js", "/canlian/plan/"],
    ["Framework's preview server", "http://127.0.0.1:3000/_import/components/import/importStore.ts?sha=abc", "/"],
    ["a Chinese folder name, decoded", "http://intranet.example/%E6%B2%99%E7%9B%98/_import/components/importStore.1a2b3c4d.js", "/沙盘/"],
    ["the module in a folder of src/components", "http://intranet.example/sandbox/_import/components/import/importStore.1a2b3c4d.js", "/sandbox/"],
    ["the module in a folder, in preview", "http://127.0.0.1:3000/_import/components/import/importStore.ts?sha=abc", "/"],
    ["a base that has _import in it", "http://intranet.example/_import/plan/_import/components/importStore.1a2b3c4d.js", "/_import/plan/"],
  ])("%s", (_, url, base) => {
    expect(deploymentBase(url)).toBe(base);
  });

  test("two deployments on one host get two databases, and neither is the old shared one", () => {
    const a = storeDatabaseName(deploymentBase("http://h/a/_import/components/importStore.x.js"));
    const b = storeDatabaseName(deploymentBase("http://h/b/_import/components/importStore.x.js"));
    const root = storeDatabaseName(deploymentBase("http://h/_import/components/importStore.x.js"));
    expect([a, b, root]).toEqual(["dpf-sandbox:/a/", "dpf-sandbox:/b/", "dpf-sandbox:/"]);
    expect(new Set([a, b, root, LEGACY_DATABASE]).size).toBe(4);
  });

  test("a path that is not valid percent-encoding is kept as it is", () => {
    expect(deploymentBase("http://h/%E6%B2/_import/components/importStore.x.js")).toBe("/%E6%B2/");
  });
});

function record(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schema: STORE_SCHEMA,
    base: "/sandbox/",
    source: {kind: "imported", label: "本机导入：city.xlsx", importedAt: "2026/12/3 10:00:00"},
    tables: {units: new Uint8Array([1, 2, 3]), persons: new Uint8Array([4, 5])},
    summary: {units: 9, persons: 24, files: ["city.xlsx"], droppedColumns: []},
    ...overrides,
  };
}

describe("a stored record read back", () => {
  test("of this layout and this deployment is used, with any extra table", () => {
    const value = record({tables: {units: new Uint8Array([1]), persons: new Uint8Array([2]), community_counts: new Uint8Array([3])}});
    const check = checkStoredRecord(value, "/sandbox/");
    expect(check.ok).toBe(true);
    expect(check.ok && Object.keys((check.city as StoredCity).tables)).toEqual(["units", "persons", "community_counts"]);
  });

  test("from the first version (no schema number, tables at the top level) says it is from an old version", () => {
    const old = {source: {kind: "imported", label: "本机导入：a.xlsx"}, units: new Uint8Array([1]), persons: new Uint8Array([2]), summary: {units: 1, persons: 1, files: [], droppedColumns: []}};
    expect(checkStoredRecord(old, "/sandbox/")).toEqual({ok: false, message: OLD_VERSION_MESSAGE});
    expect(OLD_VERSION_MESSAGE).toBe("本机保存的数据来自旧版本，无法读取，请重新导入");
    expect(checkStoredRecord(record({schema: 1}), "/sandbox/")).toEqual({ok: false, message: OLD_VERSION_MESSAGE});
  });

  test("from a newer version says so rather than reading it half", () => {
    expect(checkStoredRecord(record({schema: STORE_SCHEMA + 1}), "/sandbox/")).toEqual({ok: false, message: NEWER_VERSION_MESSAGE});
  });

  test.each([
    ["not an object", "garbage", "记录不是对象"],
    ["null", null, "记录不是对象"],
    ["a version that is not a number", record({schema: "2"}), "版本号无效"],
    ["another deployment's record", record({base: "/other/"}), "记录属于另一部署路径「/other/」"],
    ["no source", record({source: undefined}), "缺少数据来源"],
    ["no tables", record({tables: undefined}), "缺少数据表"],
    ["no persons table", record({tables: {units: new Uint8Array([1])}}), "缺少人员表"],
    ["an empty units table", record({tables: {units: new Uint8Array(), persons: new Uint8Array([1])}}), "缺少单位表"],
    ["a table that is text, not bytes", record({tables: {units: new Uint8Array([1]), persons: new Uint8Array([1]), extra: "abc"}}), "数据表「extra」不是字节"],
    ["a negative count", record({summary: {units: -1, persons: 24, files: [], droppedColumns: []}}), "缺少导入摘要"],
  ])("that is damaged (%s) names what is wrong, in Chinese", (_, value, detail) => {
    expect(checkStoredRecord(value, "/sandbox/")).toEqual({ok: false, message: `本机保存的数据已损坏（${detail}），无法读取，请重新导入`});
  });
});

describe("a save the browser refuses", () => {
  test("for lack of space names the size and suggests 仅在本标签页使用", () => {
    const message = saveFailureMessage(new DOMException("The quota has been exceeded.", "QuotaExceededError"), 12.34 * 1024 * 1024);
    expect(message).toContain("存储空间不足");
    expect(message).toContain("约 12.3 MB");
    expect(message).toContain("「仅在本标签页使用」");
  });

  test("for another reason says why and offers the same way round it", () => {
    expect(saveFailureMessage(new Error("disk I/O"), 1000)).toBe("保存失败：disk I/O。可改选「仅在本标签页使用」（不写入本机存储）。");
  });

  test("sizes read as KB below a megabyte", () => {
    expect([formatBytes(100), formatBytes(850 * 1024), formatBytes(3 * 1024 * 1024)]).toEqual(["1 KB", "850 KB", "3 MB"]);
  });
});
