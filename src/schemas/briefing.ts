import {z} from "zod";
import {gapLevels} from "../engine/gapQuery.js";
import {indicatorIds} from "../engine/indicators.js";

/**
 * A briefing file (简报定义, data/briefings/<id>.yaml) as a planner writes it — by hand, or exported from
 * the composer page (测算简报撰写). One schema for the build route (loaders/publish/briefing.ts) and the
 * composer, so a draft the composer exports is a file the build reads.
 */

/** Counts 1 … threshold − 1 of a real city are hidden below city level (publish.small_cell_threshold's default). */
export const DEFAULT_SMALL_CELL_THRESHOLD = 5;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "an ISO date, e.g. 2026-03-01");
export const briefingSlug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "a kebab-case name, e.g. raise-wubao");
const figureId = z.string().regex(/^\d{3}-\d{3}$/, "a figure id of the catalogue, e.g. 004-013");

/** A scenario written into the briefing file (a sandbox slot or an uploaded scenario): its id and the scenario file's content. */
const inlineScenario = z.object({id: briefingSlug, scenario: z.record(z.string(), z.unknown())}).strict();

export const briefingFile = z
  .object({
    title: z.string().min(1),
    subtitle: z.string().min(1).optional(),
    /**
     * Scenarios: a file of data/scenarios/ (its name without .json), or one written in place (a sandbox
     * slot or a saved scenario file); the first is the briefing's main scenario. None: a briefing of gap views only.
     */
    scenarios: z.array(z.union([briefingSlug, inlineScenario])).default([]),
    /** A yearly budget cap (yuan) every scenario of the briefing is measured against; absent: each scenario's own. */
    cap_yuan_per_year: z.number().positive().optional(),
    /** Gap views: an indicator at a level for the year the data describe. */
    gaps: z
      .array(
        z
          .object({
            indicator: z.enum(indicatorIds),
            level: z.enum(gapLevels as unknown as ["city", "district", "street", "community"]).default("district"),
            year: z.number().int().min(2000).max(2100),
            /** Rows shown in the table (largest gap first); the chart shows them all. */
            top: z.number().int().min(1).max(100).default(20),
          })
          .strict(),
      )
      .default([]),
    /** Figures the prose quotes besides those the page cites with cite("…"); footnoted in order. */
    figures: z.array(figureId).default([]),
    /** The briefing's date (printed in the footer); the build date when absent. */
    date: isoDate.optional(),
    /** The planner's words under the title; `[004-013]` footnotes a catalogue figure. */
    lead: z.string().optional(),
    /** A short text per section, after its heading (the single file and the page show them alike). */
    sections: z
      .object({policy: z.string().optional(), gaps: z.string().optional(), scenarios: z.string().optional(), conclusions: z.string().optional()})
      .strict()
      .default({}),
  })
  .strict()
  .refine((f) => f.scenarios.length > 0 || f.gaps.length > 0, {message: "a briefing shows at least one scenario or gap view", path: ["scenarios"]});
export type BriefingFile = z.infer<typeof briefingFile>;
/** A briefing file before defaults are filled in (as written, or as a test or the composer builds it). */
export type BriefingFileInput = z.input<typeof briefingFile>;

/** Each problem of a briefing file as key: rule, e.g. "gaps.0.indicator: Invalid option". */
export function briefingFileProblems(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`).join("; ");
}
