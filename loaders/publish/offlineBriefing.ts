import {mkdirSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {offlineBriefingHtml} from "../../src/components/briefing/briefingHtml.js";
import type {BriefingData} from "../../src/schemas/briefingData.js";

/** The renderer lives in src/components (pure) so that the composer page writes the same file in the browser. */
export {offlineBriefingHtml};

/** File name of a briefing's single-file version beside its page. */
export const offlineBriefingName = (id: string) => `${id}.offline.html`;

/**
 * Writes dist/briefings/<id>.offline.html for every briefing JSON the build emitted
 * (dist/_file/briefings/<id>.<hash>.json); returns the files written.
 */
export function writeOfflineBriefings(dist: string, built?: string): string[] {
  const dir = join(dist, "_file", "briefings");
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const written: string[] = [];
  mkdirSync(join(dist, "briefings"), {recursive: true});
  for (const name of names) {
    const m = /^([a-z0-9-]+)\.[0-9a-f]+\.json$/.exec(name);
    if (!m) continue;
    const data = JSON.parse(readFileSync(join(dir, name), "utf-8")) as BriefingData;
    const file = join(dist, "briefings", offlineBriefingName(m[1]!));
    writeFileSync(file, offlineBriefingHtml(data, built ? {built} : {}));
    written.push(file);
  }
  return written;
}
