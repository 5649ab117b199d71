import {describe, expect, it} from "vitest";
import {readChecks, runAudit} from "../../loaders/audit/runAudit.js";
import {encodeDataset} from "../../loaders/emit.js";
import {checkCatalogue} from "../../loaders/figures/checkCatalogue.js";
import {readSources} from "../../loaders/sources/readSources.js";
import {audit} from "../../src/schemas/audit.js";

/** The committed catalogue, sources and checks (figures that pass their checks, as the lenient CLI does). */
const committed = () => ({figures: checkCatalogue().rows, documents: readSources(), checks: readChecks()});

describe("the audit of the committed catalogue", () => {
  const findings = runAudit(committed());
  const ids = (doc: string) => findings.filter((f) => f.document.startsWith(doc)).map((f) => f.id);

  it("finds what a careful reader of document 004 finds, and nothing else", () => {
    expect(ids("004")).toEqual([
      "004-blank-001",                              // 力爭到20*年底
      "004-conflict-community-rehab-room-rate-012", // 80% in the goals, 95% in the civil-affairs duties
      "004-psychiatric-improvement-rate",           // 37251 / 57408 = 64.9%, reported 64%
      "004-psychiatric-registration-rate",          // 69243 / 1152万 = 6.0‰, reported 6.1‰
      "004-survey-households",                      // 13 × 2 × 10 planned, 219 surveyed
      "004-survey-streets-sampled",                 // 13 × 2 planned, 24 sampled
    ]);
  });

  it("raises no alarm on the sums and shares of 004 that agree", () => {
    for (const agreeing of ["004-committees-elected", "004-one-shoulder-village-share", "004-one-shoulder-community-share", "004-veterans-received", "004-marriage-registrations", "004-civil-organisations", "004-psychiatric-monitoring-rate", "004-psychiatric-participation-rate"])
      expect(ids("004")).not.toContain(agreeing);
  });

  it("finds nothing in documents 000 and 002", () => {
    expect([...ids("000"), ...ids("002")]).toEqual([]);
  });

  it("gives every recomputation and conflict both quotes", () => {
    for (const f of findings.filter((f) => f.kind !== "blank")) {
      expect(f.quote_a, f.id).toBeTruthy();
      expect(f.quote_b, f.id).toBeTruthy();
    }
  });

  it("writes the same Parquet bytes twice", async () => {
    const first = await encodeDataset(audit, runAudit(committed()), "parquet");
    const second = await encodeDataset(audit, runAudit(committed()), "parquet");
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });
});
