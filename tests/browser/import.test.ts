/**
 * The import page (导入数据) in Chromium against the built site: good and bad files in each encoding
 * and format, the problem list compared with the Node importer's, the PII warning and the removal of
 * ID columns (also from what is stored), hostile values as inert text and neutralised downloads, the
 * badge and persistence across reloads, clearing, a 100 MB CSV without freezing — and no request
 * leaving the page.
 */
import {mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync, statSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import type {Page} from "playwright-core";
import fc from "fast-check";
import {bytesSource, importFiles} from "../../src/importer/index.js";
import {badDir, fixturesDir} from "../importer/corpus.js";
import {readXlsx} from "../../src/importer/xlsx.js";
import {specsFromSheets, writeXls} from "../fixtures/xlsWriter.js";
import {hostileNames, injectedElements, openSite, screenshot, visit, type Site, type Visit} from "./harness.js";

let site: Site;
const visits: Visit[] = [];
const cityUnits = join(fixturesDir, "city", "units.csv");
const cityPersons = join(fixturesDir, "city", "persons.csv");
const cityXlsx = join(fixturesDir, "city", "city.xlsx");
const bad = (f: string) => join(badDir, f);
const scratch = join(import.meta.dirname, "..", "..", "tmp", "browser-import");
/** Random and mutated files uploaded to the page by the fuzz test. */
const BROWSER_FUZZ_FILES = 60;

beforeAll(async () => {
  site = await openSite();
  mkdirSync(scratch, {recursive: true});
});
afterAll(async () => {
  // No page of the run asked anything of another host, and none logged an error.
  expect(visits.flatMap((v) => v.externalRequests)).toEqual([]);
  expect(visits.flatMap((v) => v.consoleErrors)).toEqual([]);
  expect(visits.flatMap((v) => v.dialogs)).toEqual([]);
  await site?.close();
  rmSync(scratch, {recursive: true, force: true});
});

async function open(path = "import"): Promise<Page> {
  const v = await visit(site, path, {waitFor: "[data-testid=file-input]"});
  visits.push(v);
  await v.page.waitForSelector("[data-testid=status] [data-source]");
  return v.page;
}

/** 清除本机数据, confirmed. */
async function clearData(page: Page): Promise<void> {
  await page.click("[data-testid=clear]");
  await page.waitForSelector("[data-testid=clear-confirm-box]:not([hidden])");
  await page.click("[data-testid=clear-confirm]");
  await page.waitForSelector("[data-testid=cleared]");
}

async function upload(page: Page, files: string[]): Promise<Record<string, number>> {
  await page.setInputFiles("[data-testid=file-input]", files);
  const result = await page.waitForSelector("[data-testid=result]", {timeout: 120_000});
  const n = async (k: string) => Number(await result.getAttribute(`data-${k}`));
  return {unitsAccepted: await n("units-accepted"), unitsRejected: await n("units-rejected"), personsAccepted: await n("persons-accepted"), personsRejected: await n("persons-rejected")};
}

/** The problem list as the page shows it: [rule, row] of every row (all pages of the list). */
async function shownProblems(page: Page): Promise<string[]> {
  for (;;) {
    const more = page.locator(".import-problems > button");
    if ((await more.count()) === 0 || !(await more.isVisible())) break;
    await more.click();
  }
  return page.$$eval("[data-testid=problems] tbody tr", (rows) => rows.map((r) => `${(r as HTMLElement).dataset.rule}@${(r as HTMLElement).dataset.row}`).sort());
}

async function nodeProblems(files: string[]): Promise<string[]> {
  const r = await importFiles(files.map((f) => bytesSource(f.split("/").pop()!, readFileSync(f))), {referenceDate: new Date().toISOString().slice(0, 10)});
  return r.problems.map((p) => `${p.rule}@${p.row ?? ""}`).sort();
}

describe("the import page", () => {
  test("offers the templates and starts on the demo city, with a file picker that speaks Chinese", async () => {
    const page = await open();
    expect(await page.getAttribute("[data-testid=status] [data-source]", "data-source")).toBe("demo");
    // The browser's own file button says "Choose Files" in its UI language: it is out of sight, and the
    // page's button and the chosen files' names say it in Chinese.
    const box = await page.locator("[data-testid=file-input]").boundingBox();
    expect(box!.width <= 1 && box!.height <= 1).toBe(true);
    expect(await page.textContent(".file-pick")).toBe("选择文件……");
    expect(await page.textContent("[data-testid=file-input-chosen]")).toBe("未选择文件");
    expect(await upload(page, [bad("utf8-bom.csv"), cityPersons])).toMatchObject({unitsAccepted: 9});
    expect(await page.textContent("[data-testid=file-input-chosen]")).toMatch(/^本次导入：.*utf8-bom\.csv/);
    for (const href of await page.$$eval("a[download]", (as) => as.map((a) => (a as HTMLAnchorElement).href))) {
      const response = await page.request.get(href);
      expect(response.status(), href).toBe(200);
    }
    await page.close();
  });

  test.each([
    ["UTF-8 with BOM", "utf8-bom.csv"],
    ["UTF-8 without BOM", "utf8-no-bom.csv"],
    ["GBK", "gbk.csv"],
    ["GB18030", "gb18030.csv"],
    ["UTF-16 LE", "utf16le-bom.csv"],
    ["UTF-16 BE", "utf16be-bom.csv"],
    ["tab-separated", "tab-separated.tsv"],
  ])("accepts the good city's units in %s with its persons", async (_, file) => {
    const page = await open();
    expect(await upload(page, [bad(file), cityPersons])).toEqual({unitsAccepted: 9, unitsRejected: 0, personsAccepted: 24, personsRejected: 0});
    expect(await page.textContent("[data-testid=error-count]")).toBe("0");
    await page.close();
  });

  test("shows the same problems as the Node importer for bad files, with their rows", async () => {
    for (const files of [[bad("ragged-rows.csv")], [bad("unclosed-quote.csv")], [bad("parts-exceed-whole.csv")], [bad("number-formats.csv")], [bad("formulas.xlsx")], [bad("merged-header.xlsx")], [cityUnits, bad("persons-dates.csv")], [bad("duplicate-codes.csv"), cityPersons]]) {
      const page = await open();
      await upload(page, files);
      expect(await shownProblems(page), files.join(" ")).toEqual(await nodeProblems(files));
      if (files[0]!.endsWith("ragged-rows.csv")) await screenshot(page, "import-ragged");
      await page.close();
    }
  });

  test("reports files it cannot read with a clear rule", async () => {
    for (const [file, rule] of [["empty.csv", "empty_file"], ["binary.csv", "image_file"], ["corrupt.xlsx", "unreadable_xlsx"], ["old.xls", "xls_unsupported"], ["unknown-table.csv", "unknown_table"]] as const) {
      const page = await open();
      await upload(page, [bad(file)]);
      expect(await page.getAttribute("[data-testid=file-error]", "data-rule"), file).toBe(rule);
      expect(await page.isDisabled("[data-testid=use]")).toBe(true);
      await page.close();
    }
  });

  test("reads an .xls workbook in the template layout, loading SheetJS only then, under the site's CSP", async () => {
    // The filled-in template (units and persons sheets, the instructions sheet) saved as Excel 97–2003.
    const file = join(scratch, "示例市.xls");
    const bytes = writeXls(specsFromSheets(await readXlsx(readFileSync(cityXlsx), "city.xlsx")));
    const fd = openSync(file, "w");
    writeSync(fd, bytes);
    closeSync(fd);
    const v = await visit(site, "import", {waitFor: "[data-testid=file-input]"});
    visits.push(v);
    const page = v.page;
    await page.waitForSelector("[data-testid=status] [data-source]");
    expect(await page.getAttribute("[data-testid=file-input]", "accept")).toContain(".xls");
    const sheetJs = () => v.requests.filter((u) => u.includes("@e965/xlsx"));
    // A page that never sees an .xls never downloads the library.
    expect(sheetJs()).toEqual([]);
    expect(await upload(page, [file])).toEqual({unitsAccepted: 9, unitsRejected: 0, personsAccepted: 24, personsRejected: 0});
    expect(await page.textContent("[data-testid=error-count]")).toBe("0");
    expect(sheetJs().length).toBeGreaterThan(0);
    expect(await page.textContent("#observablehq-main")).toContain("Excel 97–2003 工作簿（.xls）");
    // The same as the Node importer finds in the same bytes.
    expect(await shownProblems(page)).toEqual(await nodeProblems([file]));
    await screenshot(page, "import-xls");
    // An encrypted .xls and a Word document are named, with what to do.
    for (const [name, content, rule] of [
      ["加密.xls", writeXls(specsFromSheets(await readXlsx(readFileSync(cityXlsx))), {encrypted: true}), "encrypted_workbook"],
      ["报表.pdf", new TextEncoder().encode("%PDF-1.7\n1 0 obj\n"), "pdf_file"],
    ] as const) {
      const other = join(scratch, name);
      const f = openSync(other, "w");
      writeSync(f, content);
      closeSync(f);
      await page.evaluate(() => document.querySelector("[data-testid=result]")?.remove());
      await upload(page, [other]);
      expect(await page.getAttribute("[data-testid=file-error]", "data-rule"), name).toBe(rule);
    }
    await page.close();
  });

  test(`never breaks on random or mutated files: ${BROWSER_FUZZ_FILES} files, each counted as the Node importer counts it`, async () => {
    // Seeded, so a failure names a file that can be made again: mutate good and bad fixtures, add noise.
    // UTF-8 fixtures are edited character by character (as a person editing the file would); GBK, UTF-16
    // and XLSX fixtures byte by byte (as a damaged copy would be).
    const seeds = ["utf8-bom.csv", "hostile.csv", "number-formats.csv", "unclosed-quote.csv", "gbk.csv", "utf16le-bom.csv", "merged-header.xlsx", "formulas.xlsx"].map((f) => ({name: f, bytes: readFileSync(bad(f)), byChar: !/gbk|utf16|xlsx/.test(f)}));
    // Mostly what people type into cells (quotes, separators, line breaks, formulas, markup, full-width
    // numbers), sometimes raw bytes.
    const typed = fc.constantFrom('"', ",", "\r\n", "\t", "=1+1", "<b>", "１２万", "％", "-5", "\uFEFF", "社区");
    const insert = fc.oneof({arbitrary: typed, weight: 4}, {arbitrary: fc.uint8Array({maxLength: 16}).map((b) => String.fromCharCode(...b)), weight: 1});
    const edits = fc.array(fc.record({at: fc.nat(), cut: fc.integer({min: 0, max: 12}), insert}), {minLength: 1, maxLength: 4});
    const cases = fc.sample(fc.tuple(fc.nat(seeds.length), edits), {seed: 20261123, numRuns: BROWSER_FUZZ_FILES});
    const failures: string[] = [];
    let withRows = 0;
    let unreadable = 0;
    const page = await open();
    for (const [i, [which, changes]] of cases.entries()) {
      const seed = seeds[which] ?? {name: "random.csv", bytes: new Uint8Array(changes.flatMap((c) => [...c.insert].map((ch) => ch.charCodeAt(0) & 0xff))), byChar: false};
      let bytes: Uint8Array = seed.bytes;
      if (which < seeds.length && seed.byChar) {
        let chars = [...new TextDecoder().decode(bytes)];
        for (const c of changes) {
          const at = chars.length ? c.at % chars.length : 0;
          chars = [...chars.slice(0, at), ...c.insert, ...chars.slice(at + c.cut)];
        }
        bytes = new TextEncoder().encode(chars.join(""));
      } else if (which < seeds.length)
        for (const c of changes) {
          const at = bytes.length ? c.at % bytes.length : 0;
          bytes = new Uint8Array([...bytes.subarray(0, at), ...new TextEncoder().encode(c.insert), ...bytes.subarray(at + c.cut)]);
        }
      const file = join(scratch, `fuzz-${String(i).padStart(2, "0")}-${seed.name}`);
      const fd = openSync(file, "w");
      writeSync(fd, bytes);
      closeSync(fd);
      const r = await importFiles([bytesSource(file.split("/").pop()!, bytes)], {referenceDate: new Date().toISOString().slice(0, 10)});
      const expected = {unitsAccepted: r.counts.units.accepted, unitsRejected: r.counts.units.rejected, personsAccepted: r.counts.persons.accepted, personsRejected: r.counts.persons.rejected};
      await page.evaluate(() => document.querySelector("[data-testid=result]")?.remove());
      const shown = await upload(page, [file]);
      if (r.counts.units.accepted + r.counts.persons.accepted > 0) withRows++;
      if (r.files.some((f) => f.error)) unreadable++;
      if (JSON.stringify(shown) !== JSON.stringify(expected)) failures.push(`${file}: page ${JSON.stringify(shown)}, Node ${JSON.stringify(expected)}`);
    }
    expect(failures).toEqual([]);
    // The run reached both ends: files with rows the page accepted, and files it could not read at all.
    console.log(`browser fuzz: ${cases.length} files, ${withRows} with accepted rows, ${unreadable} unreadable`);
    expect(withRows).toBeGreaterThan(cases.length / 4);
    expect(unreadable).toBeGreaterThan(0);
    await page.close();
  }, 300_000);

  test("drops the ID-number column, says so, and stores no ID number", async () => {
    const page = await open();
    await upload(page, [cityUnits, bad("pii-id-header.csv")]);
    expect(await page.textContent("[data-testid=pii]")).toContain("列「身份证号」：身份证号（按表头和内容识别）");
    const text = await page.textContent("#observablehq-main");
    expect(text).not.toMatch(/110105\d{11}[\dX]/);
    await page.click("[data-testid=use]");
    await page.waitForSelector("[data-testid=saved]");
    const stored = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          // The site is served at the root: this deployment's database is "dpf-sandbox:/".
          const req = indexedDB.open("dpf-sandbox:/");
          req.onsuccess = () => {
            const get = req.result.transaction("imported-city").objectStore("imported-city").get("current");
            get.onsuccess = () => {
              const v = get.result as {tables: Record<string, Uint8Array>};
              resolve(Object.values(v.tables).map((t) => new TextDecoder("latin1").decode(t)).join("") + JSON.stringify(v));
            };
          };
        }),
    );
    expect(stored).toContain("K01");
    expect(stored).not.toMatch(/110105\d{11}[\dX]/);
    await screenshot(page, "import-pii");
    await clearData(page);
    await page.close();
  });

  test("keeps hostile cells as inert text and neutralises them in the rejected-rows download", async () => {
    const page = await open();
    // The hostile names, one on a row that is rejected (negative residents).
    const text = readFileSync(bad("hostile.csv"), "utf-8").replace("V01,javascript:alert(1)//村,村,S02,2100", "V01,javascript:alert(1)//村,村,S02,-2100");
    const file = join(scratch, "hostile-rejected.csv");
    const fd = openSync(file, "w");
    writeSync(fd, text);
    closeSync(fd);
    await upload(page, [file, cityPersons]);
    const preview = await page.textContent("[data-testid=preview]");
    expect(preview).toContain("<img src=x onerror=alert(1)>社区");
    expect(preview).toContain('=HYPERLINK("http://example.invalid/?leak","点击查看")');
    expect(await page.$$eval("#observablehq-main img", (imgs) => imgs.length)).toBe(0);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=download-rejected-units]")]);
    const csv = readFileSync((await download.path())!, "utf-8");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv).toContain("'-2100");
    expect(csv).toContain("javascript:alert(1)//村");
    const [problems] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=download-problems]")]);
    expect(readFileSync((await problems.path())!, "utf-8")).toContain("'-2100");
    await page.close();
  });

  test("an imported city with hostile unit names and an SQL column header: the gap explorer and the sandbox show the names as text, and nothing runs", async () => {
    let page = await open();
    // Units named with markup, a formula, a script link and SQL; persons with a column header and cells of SQL.
    expect(await upload(page, [bad("hostile.csv"), bad("sql-header.csv")])).toEqual({unitsAccepted: 9, unitsRejected: 0, personsAccepted: 24, personsRejected: 0});
    await page.click("[data-testid=use]");
    await page.waitForSelector("[data-testid=saved]");
    await page.waitForSelector("[data-testid=db-check][data-persons]");
    expect([await page.getAttribute("[data-testid=db-check]", "data-units"), await page.getAttribute("[data-testid=db-check]", "data-persons")]).toEqual(["9", "24"]);
    await page.close();
    for (const [path, ready] of [
      ["gaps?level=community&indicator=screening", "[data-first-result] .gap-table tbody tr"],
      ["sandbox", "#observablehq-main table tbody tr"],
    ] as const) {
      const other = await visit(site, path, {waitFor: "#observablehq-main h1"});
      visits.push(other);
      await other.page.waitForSelector(".data-badge[data-source=imported]", {timeout: 60_000});
      await other.page.waitForSelector(ready, {timeout: 60_000});
      if (path.startsWith("gaps")) {
        const text = (await other.page.textContent("#observablehq-main")) ?? "";
        for (const hostile of hostileNames) expect(text, `${path} shows ${hostile} as text`).toContain(hostile);
        // Click every unit name: a link or handler made from data would fire now.
        for (const cell of await other.page.$$("[data-unit]")) await cell.click({timeout: 2_000}).catch(() => undefined);
      }
      expect(await injectedElements(other.page), path).toEqual([]);
      await screenshot(other.page, `import-hostile-${path.split("?")[0]}`);
      await other.page.close();
    }
    page = await open();
    await clearData(page);
    await page.close();
  });

  test("the imported city is used by the pages, shows whose data it is, survives a reload, and clears", async () => {
    let page = await open();
    expect(await upload(page, [cityXlsx])).toEqual({unitsAccepted: 9, unitsRejected: 0, personsAccepted: 24, personsRejected: 0});
    await page.click("[data-testid=use]");
    await page.waitForSelector("[data-testid=saved]");
    await page.waitForSelector("[data-testid=db-check][data-persons]");
    expect(await page.getAttribute("[data-testid=db-check]", "data-persons")).toBe("24");
    expect(await page.textContent("[data-testid=status] .data-badge")).toBe("数据：本机导入：city.xlsx（仅存于本机浏览器）");
    await screenshot(page, "import-saved");
    await page.close();

    page = await open();
    expect(await page.getAttribute("[data-testid=status] [data-source]", "data-source")).toBe("imported");
    await page.waitForSelector("[data-testid=db-check][data-persons]");
    expect(await page.getAttribute("[data-testid=db-check]", "data-units")).toBe("9");
    await page.close();

    // The gap explorer and the budget sandbox open the same city through cityDb.ts and say whose it is.
    for (const path of ["gaps", "sandbox"]) {
      const other = await visit(site, path, {waitFor: "#observablehq-main h1"});
      const badge = await other.page.waitForSelector(".data-badge[data-source=imported]", {timeout: 60_000});
      expect(await badge.textContent()).toBe("数据：本机导入：city.xlsx（仅存于本机浏览器）");
      expect(other.externalRequests).toEqual([]);
      // Those pages are other engineers'; how they cope with a 9-unit city is reported, not asserted here.
      if (other.consoleErrors.length) console.warn(`${path} with the imported city: ${other.consoleErrors.join(" | ")}`);
      await screenshot(other.page, `import-used-${path}`);
      await other.page.close();
    }

    page = await open();
    await clearData(page);
    await page.close();
    page = await open();
    expect(await page.getAttribute("[data-testid=status] [data-source]", "data-source")).toBe("demo");
    await page.close();
  });

  test("a 100 MB CSV loads with a progress bar and without freezing the page", async () => {
    const file = join(scratch, "persons-100mb.csv");
    const fd = openSync(file, "w");
    const header = readFileSync(cityPersons, "utf-8").split(/\r?\n/)[0]!;
    const rows = readFileSync(cityPersons, "utf-8").split(/\r?\n/).slice(1).filter(Boolean);
    writeSync(fd, `${header}\r\n`);
    let written = 0;
    let count = 0;
    const block = `${rows.join("\r\n")}\r\n`;
    while (written < 100 * 1024 * 1024) {
      written += writeSync(fd, block);
      count += rows.length;
    }
    closeSync(fd);
    const page = await open();
    // Watch the main thread: long tasks and the largest gap between timer ticks.
    await page.evaluate(() => {
      const w = window as unknown as {maxTask: number; maxGap: number; progressSeen: number};
      w.maxTask = 0;
      w.maxGap = 0;
      w.progressSeen = 0;
      new PerformanceObserver((list) => list.getEntries().forEach((e) => (w.maxTask = Math.max(w.maxTask, e.duration)))).observe({entryTypes: ["longtask"]});
      let last = performance.now();
      setInterval(() => {
        const now = performance.now();
        w.maxGap = Math.max(w.maxGap, now - last);
        last = now;
        const bar = document.querySelector(".import-progress progress") as HTMLProgressElement | null;
        if (bar && bar.value > 0 && bar.value < 1) w.progressSeen++;
      }, 20);
    });
    const started = Date.now();
    const counts = await upload(page, [cityUnits, file]);
    const seconds = (Date.now() - started) / 1000;
    expect(counts).toEqual({unitsAccepted: 9, unitsRejected: 0, personsAccepted: count, personsRejected: 0});
    const m = await page.evaluate(() => {
      const w = window as unknown as {maxTask: number; maxGap: number; progressSeen: number};
      return {maxTask: w.maxTask, maxGap: w.maxGap, progressSeen: w.progressSeen};
    });
    console.log(`100 MB CSV (${(statSync(file).size / 1e6).toFixed(0)} MB, ${count} persons): ${seconds.toFixed(1)} s, longest task ${m.maxTask.toFixed(0)} ms, longest timer gap ${m.maxGap.toFixed(0)} ms, progress seen ${m.progressSeen} times`);
    expect(m.progressSeen).toBeGreaterThan(10);
    expect(m.maxGap).toBeLessThan(500);
    await screenshot(page, "import-100mb");
    await page.close();
  }, 300_000);
});
