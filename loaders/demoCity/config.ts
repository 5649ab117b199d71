import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {parse as parseYaml} from "yaml";
import {z} from "zod";
import {disabilityCategories} from "../../src/schemas/persons.js";

/** Where the demo city's calibration lives: every rate with its source. */
export const defaultConfigPath = fileURLToPath(new URL("../../data/demo-city/config.yaml", import.meta.url));

/** The marker for a value chosen by us rather than read from a source. */
export const ASSUMED = "assumed";

/**
 * Where a number comes from: a file in data/sources/ or data/reference/ with the exact quote (and, for
 * a reference table, the row key: comma-separated cells the row holds), or `assumed` with a reason.
 */
const provenance = {
  source: z.string().min(1),
  quote: z.string().min(1).optional(),
  row: z.string().min(1).optional(),
  reason: z.string().min(1).optional(),
};
function requireProvenance(v: {source: string; quote?: string; reason?: string}, ctx: z.RefinementCtx) {
  if (v.source === ASSUMED && !v.reason) ctx.addIssue({code: "custom", message: "an assumed value needs a reason"});
  if (v.source !== ASSUMED && !v.quote) ctx.addIssue({code: "custom", message: `a value from ${v.source} needs the exact quote`});
}

const sourced = <T extends z.ZodType>(value: T) => z.object({value, ...provenance}).strict().superRefine(requireProvenance);
const share = z.number().min(0).max(1);
const sourcedShare = sourced(share);
export type Sourced = z.infer<typeof sourcedShare>;

const service = z
  .object({
    kind: z.enum(["probability", "amount", "share"]),
    /** The id of the parameter (data/parameters/) the indicator is measured against, if any. */
    parameter: z.string().optional(),
    /** The city-wide median level: a share for `probability`/`share`, an amount for `amount`. */
    centre: z.number().positive(),
    district_spread: z.number().nonnegative(),
    street_sd: z.number().nonnegative(),
    community_sd: z.number().nonnegative(),
    ...provenance,
  })
  .strict()
  .superRefine(requireProvenance)
  .superRefine((v, ctx) => {
    if (v.kind !== "amount" && v.centre >= 1) ctx.addIssue({code: "custom", message: `a ${v.kind} centre must be below 1`});
  });
export type ServiceModel = z.infer<typeof service>;

export const serviceNames = [
  "rehab_room",
  "rehab_room_area_m2",
  "coordinator",
  "coordinator_trained",
  "care_point",
  "rehab_funding_per_resident",
  "satisfaction",
  "screening",
  "archive",
  "enrolment",
  "dibao_takeup",
  "poor_subsidy_takeup",
  "severe_subsidy_takeup",
] as const;
export type ServiceName = (typeof serviceNames)[number];

/**
 * Person-level services of the national plan's indicators (基本康复服务, 辅助器具适配). Drawn from streams of
 * their own (rng keys `…-national:`), so adding them left every earlier draw, and the city they make, as it was.
 */
export const nationalServiceNames = ["rehab_service", "device_fitting"] as const;
export type NationalServiceName = (typeof nationalServiceNames)[number];

const byCategory = z.object(Object.fromEntries(disabilityCategories.map((c) => [c, sourcedShare])) as Record<(typeof disabilityCategories)[number], typeof sourcedShare>).strict();
const urbanRural = z.object({urban: sourcedShare, rural: sourcedShare}).strict();

/** Shares that make up a whole must add up to 1 (to rounding of the quoted figures). */
function sumsToOne(label: string) {
  return (values: readonly {value: number}[], ctx: z.RefinementCtx) => {
    const sum = values.reduce((a, v) => a + v.value, 0);
    if (Math.abs(sum - 1) > 0.002) ctx.addIssue({code: "custom", message: `${label} shares add up to ${sum.toFixed(4)}, not 1`});
  };
}

export const demoCityConfig = z
  .object({
    seed: z.number().int().nonnegative().max(0xffffffff),
    city: z.object({code: z.string().regex(/^[0-9]{2,6}$/), name: z.string().min(1)}).strict(),
    size: z
      .object({
        residents: sourced(z.number().int().positive()),
        communities: sourced(z.number().int().positive()),
        communities_per_street: sourced(z.number().positive()),
        village_share_in_towns: sourcedShare,
        urban_community_size_ratio: sourced(z.number().positive()),
        community_size_sd_log: sourced(z.number().nonnegative()),
      })
      .strict(),
    districts: z
      .array(
        z
          .object({
            name: z.string().min(1),
            kind: z.enum(["区", "县"]),
            street_weight: z.number().positive(),
            town_share: share,
            performance: z.number(),
          })
          .strict(),
      )
      .min(1)
      .max(99),
    district_jitter_sd: z.number().nonnegative(),
    persons: z
      .object({
        prevalence_all: sourcedShare,
        registration_rate: sourcedShare,
        rural_ratio: sourced(z.number().positive()),
        community_sd_log: sourced(z.number().nonnegative()),
        categories: byCategory.superRefine((v, ctx) => sumsToOne("category")(Object.values(v), ctx)),
        grades: z.object({"1": sourcedShare, "2": sourcedShare, "3": sourcedShare, "4": sourcedShare}).strict().superRefine((v, ctx) => sumsToOne("grade")(Object.values(v), ctx)),
        ages: z
          .array(z.object({from: z.number().int().min(0), to: z.number().int().max(120), value: share, ...provenance}).strict().superRefine(requireProvenance))
          .min(1)
          .superRefine(sumsToOne("age band"))
          .superRefine((bands, ctx) => {
            bands.forEach((b, i) => {
              if (b.to < b.from) ctx.addIssue({code: "custom", message: `age band ${b.from}–${b.to} ends before it starts`});
              if (i > 0 && b.from !== bands[i - 1].to + 1) ctx.addIssue({code: "custom", message: `age band ${b.from}–${b.to} does not follow ${bands[i - 1].to}`});
            });
          }),
        rehab_need: byCategory,
        device_need: byCategory,
        archive_without_need: sourcedShare,
        dibao_eligible: urbanRural,
        wubao: urbanRural,
      })
      .strict(),
    services: z.object(Object.fromEntries(serviceNames.map((n) => [n, service])) as Record<ServiceName, typeof service>).strict(),
    national_services: z.object(Object.fromEntries(nationalServiceNames.map((n) => [n, service])) as Record<NationalServiceName, typeof service>).strict(),
    missing: z
      .object({
        unit_unreported_share: sourcedShare,
        unit_item_share: sourcedShare,
        person_unreported_share: sourcedShare,
        person_item_share: sourcedShare,
      })
      .strict(),
  })
  .strict();

export type DemoCityConfig = z.infer<typeof demoCityConfig>;

/** Reads and checks the demo city's config; a bad file stops with the key and the rule it broke. */
export function loadDemoCityConfig(path = defaultConfigPath): DemoCityConfig {
  const result = demoCityConfig.safeParse(parseYaml(readFileSync(path, "utf8")));
  if (!result.success)
    throw new Error(`${path}: invalid demo-city config\n` + result.error.issues.map((i) => `  ${i.path.join(".") || "(file)"}: ${i.message}`).join("\n"));
  return result.data;
}

/** How big a generated city is: the counts the CLI's --persons/--units choose. */
export interface CitySize {
  residents: number;
  communities: number;
  persons: number;
}

/** Registered persons per resident, city-wide: prevalence × registration rate. */
export function registeredShare(config: DemoCityConfig): number {
  return config.persons.prevalence_all.value * config.persons.registration_rate.value;
}

/**
 * The size of the city for a requested number of persons and/or communities. The default is the
 * config's city. Asking for more persons grows the whole city (residents and communities) so that
 * registered persons stay at the calibrated share of residents; `units` fixes the number of
 * communities (社区/村) independently.
 */
export function citySize(config: DemoCityConfig, request: {persons?: number; units?: number} = {}): CitySize {
  for (const [name, value] of Object.entries(request))
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new Error(`--${name} must be a positive integer, got ${value}`);
  const share = registeredShare(config);
  const baseResidents = config.size.residents.value;
  const baseCommunities = config.size.communities.value;
  const factor = request.persons !== undefined ? request.persons / (baseResidents * share) : request.units !== undefined ? request.units / baseCommunities : 1;
  const residents = Math.max(1, Math.round(baseResidents * factor));
  const communities = request.units ?? Math.max(config.districts.length, Math.round(baseCommunities * factor));
  const persons = request.persons ?? Math.round(residents * share);
  if (communities < config.districts.length) throw new Error(`--units ${communities} is fewer than the ${config.districts.length} districts (each needs a community)`);
  if (residents < communities) throw new Error(`${residents} residents cannot fill ${communities} communities`);
  return {residents, communities, persons};
}
