/**
 * `npm run package`: the built site as one ZIP to hand over (dist.zip), the same bytes for the same
 * dist/: entries in path order under one folder (dpf-sandbox/), fixed timestamps and permissions, and a
 * SHA256SUMS file inside so the receiver can check every file (`sha256sum -c SHA256SUMS`). The archive
 * is written beside its final name and renamed into place, so a failure leaves no half-written file.
 *
 *   npm run package                      # builds, then writes dist.zip
 *   npx tsx loaders/publish/packageSite.ts dist dist.zip
 */
import {createHash} from "node:crypto";
import {existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from "node:fs";
import {join, relative, sep} from "node:path";
import {fileURLToPath} from "node:url";
import {zipArchive, type ZipEntry} from "./zip.js";

/** The folder every file sits in inside the archive. */
export const ARCHIVE_FOLDER = "dpf-sandbox";

/** Every file below `dir`, as archive paths with forward slashes, in code-point order. */
function siteFiles(dir: string): string[] {
  return readdirSync(dir, {recursive: true, encoding: "utf-8"})
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => f.split(sep).join("/"))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The archive of a built site: its files under ARCHIVE_FOLDER/, and SHA256SUMS listing them. */
export function siteArchive(dir: string): Uint8Array {
  if (!existsSync(join(dir, "index.html"))) throw new Error(`${dir} holds no built site (no index.html); run npm run build first`);
  const entries: ZipEntry[] = [];
  const sums: string[] = [];
  for (const file of siteFiles(dir)) {
    const data = readFileSync(join(dir, file));
    entries.push({name: `${ARCHIVE_FOLDER}/${file}`, data});
    sums.push(`${createHash("sha256").update(data).digest("hex")}  ${file}`);
  }
  entries.push({name: `${ARCHIVE_FOLDER}/SHA256SUMS`, data: new TextEncoder().encode(`${sums.join("\n")}\n`)});
  return zipArchive(entries);
}

/** Writes bytes to `path` through a temporary file in the same folder and a rename: all or nothing. */
export function writeAtomically(path: string, bytes: Uint8Array): void {
  const temporary = `${path}.${process.pid}.partial`;
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, {force: true});
  }
}

/** Packages `dir` into `out`; returns the archive's size and SHA-256. */
export function packageSite(dir: string, out: string): {bytes: number; sha256: string; files: number} {
  const archive = siteArchive(dir);
  writeAtomically(out, archive);
  return {bytes: archive.length, sha256: createHash("sha256").update(archive).digest("hex"), files: siteFiles(dir).length};
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [dir = "dist", out = "dist.zip"] = process.argv.slice(2);
  const result = packageSite(dir, out);
  console.log(`package: ${result.files} files of ${relative(process.cwd(), dir) || dir} → ${out} (${(result.bytes / 1e6).toFixed(1)} MB, SHA-256 ${result.sha256})`);
}
