/**
 * Where the import page keeps a planner's city, in Chromium against the built site: per deployment (two
 * copies of the site under /a/ and /b/ on one origin never see each other's city), not at all for
 * 仅在本标签页使用 (no IndexedDB database, nothing in localStorage or sessionStorage, gone once the
 * import tab closes), an old or damaged record reported in Chinese and cleared, the old shared database
 * never read and offered for deletion, and a full disk answered with the size and the way round it.
 */
import {mkdtempSync, rmSync, symlinkSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import type {Page} from "playwright-core";
import {tableFromArrays, tableToIPC} from "apache-arrow";
import {fixturesDir} from "../importer/corpus.js";
import {openSite, screenshot, visit, type Site, type Visit} from "./harness.js";

const cityXlsx = join(fixturesDir, "city", "city.xlsx");
const cityUnits = join(fixturesDir, "city", "units.csv");
const cityPersons = join(fixturesDir, "city", "persons.csv");
const OLD_VERSION = "本机保存的数据来自旧版本，无法读取，请重新导入";

let site: Site;
const visits: Visit[] = [];

beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  expect(visits.flatMap((v) => v.externalRequests)).toEqual([]);
  expect(visits.flatMap((v) => v.dialogs)).toEqual([]);
  await site?.close();
});

async function open(s: Site, path: string): Promise<Page> {
  const v = await visit(s, path, {waitFor: "#observablehq-main h1"});
  visits.push(v);
  if (path.endsWith("import")) await v.page.waitForSelector("[data-testid=status] [data-source]");
  return v.page;
}

/** Uploads files and uses them, kept as chosen ("local" or "session"); resolves once the page has checked them. */
async function importCity(page: Page, files: string[], where: "local" | "session", options: {contractCheck?: boolean} = {}): Promise<void> {
  await page.setInputFiles("[data-testid=file-input]", files);
  await page.waitForSelector("[data-testid=result]", {timeout: 120_000});
  await page.check(`[data-testid=store-${where}]`);
  await page.click("[data-testid=use]");
  await page.waitForSelector(`[data-testid=saved][data-storage=${where}]`);
  if (options.contractCheck !== false) await page.waitForSelector("[data-testid=db-check][data-persons]", {timeout: 60_000});
}

async function clearData(page: Page): Promise<void> {
  await page.click("[data-testid=clear]");
  // Nothing is deleted until the planner confirms what the box names.
  const box = await page.waitForSelector("[data-testid=clear-confirm-box]:not([hidden])");
  expect(await box.textContent()).toContain("确定要清除");
  await page.click("[data-testid=clear-confirm]");
  await page.waitForSelector("[data-testid=cleared]");
}

/** Names of the IndexedDB databases of the page's origin. */
async function databases(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? "").sort());
}

/** The badge of a data page (gap explorer, sandbox), once it has opened its city. */
async function badge(page: Page): Promise<{source: string; text: string}> {
  const b = await page.waitForSelector("#observablehq-main [data-source]:is(.data-badge, .synthetic-badge)", {timeout: 60_000});
  return {source: (await b.getAttribute("data-source"))!, text: (await b.textContent())!};
}

/** Writes a record as an earlier or broken version of the site would have left it. */
async function plantRecord(page: Page, database: string, record: "first-version" | "garbage-bytes"): Promise<void> {
  await page.evaluate(
    ({database, record}) =>
      new Promise<void>((done, fail) => {
        const request = indexedDB.open(database, 1);
        request.onupgradeneeded = () => request.result.createObjectStore("imported-city");
        request.onerror = () => fail(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const summary = {units: 9, persons: 24, files: ["旧的.xlsx"], droppedColumns: []};
          const source = {kind: "imported", label: "本机导入：旧的.xlsx", importedAt: "2026/1/1 08:00:00"};
          const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
          const value =
            record === "first-version"
              ? {source, units: garbage, persons: garbage, summary}
              : {schema: 2, base: "/", source, tables: {units: garbage, persons: garbage}, summary};
          const tx = db.transaction("imported-city", "readwrite");
          tx.objectStore("imported-city").put(value, "current");
          tx.oncomplete = () => (db.close(), done());
          tx.onerror = () => fail(tx.error);
        };
      }),
    {database, record},
  );
}

describe("two deployments of the site under two sub-paths of one origin", () => {
  let two: Site;
  let root: string;
  beforeAll(async () => {
    // One server, one origin: the same dist/ at /a/ and at /b/ (as two nginx locations would serve it).
    root = mkdtempSync(join(tmpdir(), "dpf-two-deployments-"));
    symlinkSync(resolve("dist"), join(root, "a"));
    symlinkSync(resolve("dist"), join(root, "b"));
    two = await openSite({dir: root});
  });
  afterAll(async () => {
    await two?.close();
    rmSync(root, {recursive: true, force: true});
  });

  test("do not see each other's imported city, and clearing one leaves the other", async () => {
    let a = await open(two, "a/import");
    await importCity(a, [cityXlsx], "local");
    expect(await a.textContent("[data-testid=local-where]")).toContain("IndexedDB 数据库「dpf-sandbox:/a/」");
    expect(await databases(a)).toEqual(["dpf-sandbox:/a/"]);
    await a.close();

    // /b/ has no city: its import page and its gap explorer show the demo city.
    let b = await open(two, "b/import");
    expect(await b.getAttribute("[data-testid=status]", "data-source")).toBe("demo");
    await b.close();
    const bGaps = await open(two, "b/gaps");
    expect((await badge(bGaps)).source).toBe("demo");
    await bGaps.close();

    // /b/ imports another city; each deployment shows its own.
    b = await open(two, "b/import");
    await importCity(b, [cityUnits, cityPersons], "local");
    expect(await databases(b)).toEqual(["dpf-sandbox:/a/", "dpf-sandbox:/b/"]);
    await b.close();
    for (const [path, label] of [["a/gaps", "数据：本机导入：city.xlsx（仅存于本机浏览器）"], ["b/gaps", "数据：本机导入：units.csv、persons.csv（仅存于本机浏览器）"], ["b/sandbox", "数据：本机导入：units.csv、persons.csv（仅存于本机浏览器）"]]) {
      const page = await open(two, path);
      expect(await badge(page), path).toEqual({source: "imported", text: label});
      await page.close();
    }

    a = await open(two, "a/import");
    await clearData(a);
    expect(await databases(a)).toEqual(["dpf-sandbox:/b/"]);
    await a.close();
    const bAgain = await open(two, "b/gaps");
    expect((await badge(bAgain)).text).toBe("数据：本机导入：units.csv、persons.csv（仅存于本机浏览器）");
    await bAgain.close();
    b = await open(two, "b/import");
    await clearData(b);
    expect(await databases(b)).toEqual([]);
    await b.close();
  });
});

describe("仅在本标签页使用", () => {
  test("stores nothing in the browser, serves the tabs the import page opens, and is gone once that tab closes", async () => {
    const page = await open(site, "import");
    await importCity(page, [cityXlsx], "session");
    expect(await page.getAttribute("[data-testid=status]", "data-storage")).toBe("session");
    expect(await page.getAttribute("[data-testid=db-check]", "data-persons")).toBe("24");
    expect(await page.textContent("[data-testid=status] .data-badge")).toBe("数据：本标签页临时使用：city.xlsx（只在导入页的内存中，未写入本机存储）");
    // No IndexedDB database at all; web storage holds only Framework's sidebar state; no cookie.
    expect(await databases(page)).toEqual([]);
    const storage = await page.evaluate(() => ({local: localStorage.length, session: Object.keys(sessionStorage), cookie: document.cookie}));
    expect(storage.local).toBe(0);
    expect(storage.session.filter((k) => !k.startsWith("observablehq-sidebar"))).toEqual([]);
    expect(storage.cookie).toBe("");
    await screenshot(page, "import-session-only");

    // The link opens the gap explorer in a new tab, which reads the city from the import page.
    const [gaps] = await Promise.all([site.context.waitForEvent("page"), page.click("[data-testid=saved] [data-testid=open-gaps]")]);
    await gaps.waitForLoadState("load");
    expect(await badge(gaps)).toEqual({source: "imported", text: "数据：本标签页临时使用：city.xlsx（只在导入页的内存中，未写入本机存储）"});
    // Moving on inside that tab (its sidebar link) keeps it: the budget sandbox there uses it too.
    await Promise.all([gaps.waitForURL(/\/sandbox$/), gaps.click("#observablehq-sidebar a[href$='sandbox']")]);
    expect((await badge(gaps)).source).toBe("imported");
    // Another tab, opened from the address bar, does not see it.
    const other = await open(site, "gaps");
    expect((await badge(other)).source).toBe("demo");
    await other.close();

    await page.close();
    await gaps.reload();
    expect(await badge(gaps)).toEqual({source: "demo", text: "数据：示例市（合成数据）"});
    await gaps.close();
    const again = await open(site, "import");
    expect(await again.getAttribute("[data-testid=status]", "data-source")).toBe("demo");
    expect(await databases(again)).toEqual([]);
    await again.close();
  });
});

describe("a record this version cannot read", () => {
  test.each([
    ["left by the first version (no schema number)", "first-version", OLD_VERSION],
    ["whose tables are damaged bytes", "garbage-bytes", "本机保存的数据已损坏（单位表"],
  ] as const)("%s is reported in Chinese, never used, and can be cleared", async (_, record, message) => {
    let page = await open(site, "import");
    await plantRecord(page, "dpf-sandbox:/", record);
    await page.reload();
    await page.waitForSelector("[data-testid=store-problem]");
    expect(await page.textContent("[data-testid=store-problem]")).toContain(message);
    expect(await page.getAttribute("[data-testid=status]", "data-source")).toBe("demo");
    await screenshot(page, `import-unreadable-${record}`);
    await page.close();

    // The gap explorer shows the demo city and says why, not the stored record.
    const gaps = await open(site, "gaps");
    const shown = await badge(gaps);
    expect(shown.source).toBe("demo");
    expect(await gaps.textContent("[data-testid=store-notice]")).toContain(message);
    await gaps.close();

    page = await open(site, "import");
    await page.waitForSelector("[data-testid=store-problem]");
    // 取消 keeps it; 确定清除 removes the whole database.
    await page.click("[data-testid=clear]");
    await page.click("[data-testid=clear-cancel]");
    expect(await page.isHidden("[data-testid=clear-confirm-box]")).toBe(true);
    expect(await databases(page)).toEqual(["dpf-sandbox:/"]);
    await clearData(page);
    expect(await databases(page)).toEqual([]);
    expect(await page.$("[data-testid=store-problem]")).toBeNull();
    await page.close();
  });

  test("the database every deployment shared before is not read, and is offered for deletion", async () => {
    let page = await open(site, "import");
    await plantRecord(page, "dpf-sandbox", "first-version");
    await page.reload();
    await page.waitForSelector("[data-testid=legacy]:not([hidden])");
    expect(await page.textContent("[data-testid=legacy]")).toContain("不再读取它");
    expect(await page.getAttribute("[data-testid=status]", "data-source")).toBe("demo");
    expect(await page.$("[data-testid=store-problem]")).toBeNull();
    await page.close();
    const gaps = await open(site, "gaps");
    expect(await badge(gaps)).toEqual({source: "demo", text: "数据：示例市（合成数据）"});
    await gaps.close();
    page = await open(site, "import");
    await page.click("[data-testid=legacy-delete]");
    await page.waitForSelector("[data-testid=legacy-deleted]");
    expect(await databases(page)).toEqual([]);
    await page.reload();
    await page.waitForSelector("[data-testid=status] [data-source]");
    await page.waitForTimeout(300);
    expect(await page.isHidden("[data-testid=legacy]")).toBe(true);
    await page.close();
  });
});

describe("a full disk", () => {
  test("saving names the size and suggests 仅在本标签页使用, which then works", async () => {
    // A browser of its own: what earlier tests stored (or the quota they set) in the shared one must not decide this.
    const own = await openSite();
    try {
      const page = await open(own, "import");
      const cdp = await own.context.newCDPSession(page);
      const origin = new URL(own.url).origin;
      await cdp.send("Storage.overrideQuotaForOrigin", {origin, quotaSize: 1024});
      try {
        await page.setInputFiles("[data-testid=file-input]", [cityXlsx]);
        await page.waitForSelector("[data-testid=result]", {timeout: 120_000});
        await page.click("[data-testid=use]");
        await page.waitForSelector("[data-testid=save-error]:not([hidden])");
        const message = (await page.textContent("[data-testid=save-error]"))!;
        expect(message).toMatch(/存储空间不足，无法保存这份数据（约 \d+ KB）/);
        expect(message).toContain("「仅在本标签页使用」");
        await page.check("[data-testid=store-session]");
        await page.click("[data-testid=use]");
        await page.waitForSelector("[data-testid=saved][data-storage=session]");
        expect(await page.getAttribute("[data-testid=status]", "data-storage")).toBe("session");
      } finally {
        await cdp.send("Storage.overrideQuotaForOrigin", {origin});
      }
      await page.close();
    } finally {
      await own.close();
    }
  });
});

describe("a stored city of an older table layout, and two tabs saving different cities", () => {
  test("an older layout (tables that decode but lack columns) is named in Chinese on 覆盖缺口 and 预算沙盘, with 清除 and 重新导入 there", async () => {
    // Arrow tables as an earlier layout might have written them: only two columns each.
    const units = tableToIPC(tableFromArrays({unit_code: ["C01", "D01"], unit_name: ["旧城", "旧区"]}), "file");
    const persons = tableToIPC(tableFromArrays({community_code: ["K01"], category: ["visual"]}), "file");
    const page = await open(site, "import");
    await page.evaluate(
      ({units, persons}) =>
        new Promise<void>((done, fail) => {
          const request = indexedDB.open("dpf-sandbox:/", 1);
          request.onupgradeneeded = () => request.result.createObjectStore("imported-city");
          request.onerror = () => fail(request.error);
          request.onsuccess = () => {
            const db = request.result;
            const value = {schema: 2, base: "/", source: {kind: "imported", label: "本机导入：旧表.xlsx"}, tables: {units: new Uint8Array(units), persons: new Uint8Array(persons)}, summary: {units: 2, persons: 1, files: ["旧表.xlsx"], droppedColumns: []}};
            const tx = db.transaction("imported-city", "readwrite");
            tx.objectStore("imported-city").put(value, "current");
            tx.oncomplete = () => (db.close(), done());
            tx.onerror = () => fail(tx.error);
          };
        }),
      {units: [...units], persons: [...persons]},
    );
    await page.close();
    for (const path of ["gaps", "sandbox"]) {
      const shown = await open(site, path);
      expect((await badge(shown)).source).toBe("demo");
      const notice = (await shown.textContent("[data-testid=store-notice]"))!;
      expect(notice).toContain("本机保存的数据来自旧版本的表结构，无法在本版本中使用，请清除后重新导入（单位表缺少列");
      // No decoder's or database's English error reaches the planner (column names are the codebook's).
      expect(notice).not.toMatch(/Error|undefined|Invalid|Arrow/);
      expect(await shown.getAttribute("[data-testid=store-notice-import]", "href")).toBe("./import");
      if (path === "sandbox") {
        // 清除 asks once more on the button itself, then deletes the database and reloads.
        await shown.click("[data-testid=store-notice-clear]");
        expect(await databases(shown)).toEqual(["dpf-sandbox:/"]);
        await Promise.all([shown.waitForEvent("load"), shown.click("[data-testid=store-notice-clear]")]);
        expect((await badge(shown)).text).toBe("数据：示例市（合成数据）");
        expect(await databases(shown)).toEqual([]);
      }
      await shown.close();
    }
  });

  test("a tab showing the stored city is told when another tab saves a different one, or clears it", async () => {
    // A browser of its own: what earlier tests stored (or the quota they set) in the shared one must not decide this.
    const own = await openSite();
    try {
      const first = await open(own, "import");
      await importCity(first, [cityXlsx], "local", {contractCheck: false});
      await first.close();
      const gaps = await open(own, "gaps");
      expect((await badge(gaps)).text).toBe("数据：本机导入：city.xlsx（仅存于本机浏览器）");
      const second = await open(own, "import");
      await importCity(second, [cityUnits, cityPersons], "local", {contractCheck: false});
      const told = await gaps.waitForSelector("[data-testid=store-change]");
      expect(await told.textContent()).toMatch(/另一个标签页已在 .+ 保存了「本机导入：units\.csv、persons\.csv」，替换了本机保存的数据；本页仍显示打开时载入的数据，刷新后使用新数据。/);
      await clearData(second);
      await gaps.waitForFunction(() => document.querySelector("[data-testid=store-change]")?.textContent?.includes("清除了本机保存的数据"));
      for (const p of [gaps, second]) await p.close();
    } finally {
      await own.close();
    }
  });

  test("an open import page is told when another tab saves a city, and shows what is stored now", async () => {
    const own = await openSite();
    try {
      const first = await open(own, "import");
      expect(await first.getAttribute("[data-testid=status]", "data-storage")).toBe("none");
      const second = await open(own, "import");
      await importCity(second, [cityUnits, cityPersons], "local", {contractCheck: false});
      // The files were read, and the stored city's tables built, in the import worker (the page stays responsive).
      expect(await second.getAttribute(".import-panel", "data-import-in")).toBe("worker");
      expect(Number(await second.getAttribute(".import-panel", "data-tables-ms"))).toBeGreaterThanOrEqual(0);
      // The second tab does not hear its own save; the first does, and its status reads the stored city.
      const told = await first.waitForSelector("[data-testid=store-change]:not([hidden])");
      expect(await told.textContent()).toMatch(/^另一个标签页已在 .+ 保存了「本机导入：units\.csv、persons\.csv」，替换了本机保存的数据；下方为现在保存的数据。$/);
      await first.waitForSelector("[data-testid=status][data-storage=local]");
      expect(await first.textContent("[data-testid=status]")).toContain("本机导入：units.csv、persons.csv");
      expect(await second.isHidden("[data-testid=store-change]")).toBe(true);
      await clearData(second);
      await first.waitForFunction(() => document.querySelector("[data-testid=store-change]")?.textContent?.includes("清除了本机保存的数据"));
      await first.waitForSelector("[data-testid=status][data-storage=none]");
      for (const p of [first, second]) await p.close();
    } finally {
      await own.close();
    }
  });
});
