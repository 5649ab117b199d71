import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {loadParameters, repoRoot} from "../../loaders/parameters/loadParameters.js";
import {indicatorParameterIds, indicators} from "../../src/engine/indicators.js";
import {demonstrationCriteria} from "../../src/engine/scorecard.js";

const committed = new Set(loadParameters().map((r) => r.id));

describe("parameter ids in the gap indicators and the scorecard", () => {
  it("name committed parameters only", () => {
    const ids = indicators.flatMap(indicatorParameterIds);
    const criteria = JSON.stringify(demonstrationCriteria);
    const scorecardIds = [...criteria.matchAll(/"parameter":"([a-z0-9_.]+)"/g)].map((m) => m[1]!);
    expect(scorecardIds.length).toBeGreaterThan(3);
    for (const id of [...ids, ...scorecardIds]) expect(committed.has(id), id).toBe(true);
  });

  it("come from the one table of ids (parameterIds in programmes.ts), not from literals repeated in each module", () => {
    for (const file of ["src/engine/indicators.ts", "src/engine/scorecard.ts"]) {
      const code = readFileSync(join(repoRoot, file), "utf8");
      const literals = [...code.matchAll(/"((?:target|assumption|subsidy|funding|allowance|stipend|grant|medical|cost)\.[a-z0-9_.]+)"/g)].map((m) => m[1]);
      expect(literals, file).toEqual([]);
    }
  });
});
