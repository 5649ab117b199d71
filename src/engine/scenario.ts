import {z} from "zod";
import {isIsoDate} from "../schemas/parameters.js";
import {CAP_UNIT, capBounds, outOfRangeMessage, withinBounds, type ScenarioProblem} from "./parameterBounds.js";
import {planBaseYear, planYears} from "./planPeriod.js";

/**
 * A budget scenario (预算情景): which parameters differ from the baseline, for which years. Versioned so
 * a scenario saved to a URL or a JSON file by this version still loads later; `migrateScenario` brings
 * older versions up, `checkScenario` reports ids the current parameters or presets do not know.
 */

export const SCENARIO_VERSION = 1;

/** Finite number; -0 becomes 0 so JSON and URL round-trips restore the value exactly. */
const finite = z
  .number()
  .refine(Number.isFinite, {message: "must be a finite number"})
  .transform((v) => (Object.is(v, -0) ? 0 : v));

const isoDate = z.string().refine(isIsoDate, {message: "must be a calendar date written YYYY-MM-DD"});

/** Parameter ids as in data/parameters: dotted lower-case snake_case paths. */
export const parameterIdPattern = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
/** Preset ids: kebab-case words, e.g. `wubao-480`. */
export const presetIdPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const datedValue = z.object({date: isoDate, value: finite}).strict();

/** A constant for every date, or dated values (ascending, distinct dates) from the first date on. */
export const overrideSchema = z.union([
  finite,
  z
    .array(datedValue)
    .min(1)
    .refine((values) => values.every((v, i) => i === 0 || values[i - 1]!.date < v.date), {message: "dates must ascend without repeats"}),
]);

/** Years a scenario may name: the engine compounds growth from the base year, so any year of the century works. */
const year = z.number().refine((y) => Number.isInteger(y) && y >= 2000 && y <= 2100, {message: "must be a whole year from 2000 to 2100"});

export const scenarioSchema = z
  .object({
    version: z.literal(SCENARIO_VERSION),
    name: z.string().max(200),
    /** The year the data describe (persons and units as counted); projections grow from it. */
    baseYear: year,
    /** Simulated years, ascending, each after the base year. */
    years: z
      .array(year)
      .min(1)
      .max(30)
      .refine((ys) => ys.every((y, i) => i === 0 || ys[i - 1]! < y), {message: "years must ascend without repeats"}),
    /** Parameter id → new value(s); applied after the presets, so an explicit override wins. */
    // Keys are checked on the raw object: a record parse would silently drop a key such as "__proto__".
    overrides: z
      .unknown()
      .superRefine((overrides, ctx) => {
        if (typeof overrides !== "object" || overrides === null) return;
        for (const id of Object.keys(overrides))
          if (!parameterIdPattern.test(id)) ctx.addIssue({code: "custom", path: [id], message: "not a parameter id (dotted lower-case path)"});
      })
      .pipe(z.record(z.string(), overrideSchema)),
    /** Preset ids, applied in order. */
    presets: z.array(z.string().regex(presetIdPattern, {message: "not a preset id (kebab-case)"})),
    /** The planner's province (6-digit code): its own standards replace the baseline's defaults (provinceStandards.ts). */
    province: z.string().regex(/^\d{6}$/, {message: "not a province code (6 digits, e.g. 430000)"}).optional(),
    /** A yearly budget cap for the gap-funding view. */
    cap: z
      .object({
        yuanPerYear: finite.superRefine((v, ctx) => {
          if (!withinBounds(v, capBounds)) ctx.addIssue({code: "custom", message: outOfRangeMessage(v, capBounds, CAP_UNIT)});
        }),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((s) => s.years.every((y) => y > s.baseYear), {message: "every simulated year must come after the base year", path: ["years"]});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioOverride = Scenario["overrides"][string];

/** The scenario with no changes: baseline parameters, base year 2025, years 2026–2030. */
export function baselineScenario(name = "基线"): Scenario {
  return {version: SCENARIO_VERSION, name, baseYear: planBaseYear, years: [...planYears], overrides: {}, presets: []};
}

export type {ScenarioProblem} from "./parameterBounds.js";

export class ScenarioError extends Error {
  constructor(readonly problems: ScenarioProblem[]) {
    super(`invalid scenario: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  }
}

/** One step up the version ladder: takes a scenario of version n, returns one of version n + 1. */
export type ScenarioMigration = (old: Record<string, unknown>) => Record<string, unknown>;

/**
 * Migrations by the version they start from. Version 1 is the first format, so the ladder is empty;
 * a future version 2 adds `1: (v1) => v2` here and every saved v1 scenario keeps loading.
 */
export const scenarioMigrations: Readonly<Record<number, ScenarioMigration>> = {};

/**
 * Parameter ids renamed since scenarios were first saved: old id → new id. A saved override of an old
 * id is carried over to the new one (and reported), never dropped.
 */
export const renamedParameterIds: Readonly<Record<string, string>> = {};

export interface MigrationOptions {
  migrations?: Readonly<Record<number, ScenarioMigration>>;
  renamed?: Readonly<Record<string, string>>;
}

/**
 * Brings a parsed scenario object of any known version up to the current one and validates it.
 * Refuses (with the reason) a scenario from a newer version, a missing version, or invalid fields.
 */
export function migrateScenario(input: unknown, options: MigrationOptions = {}): {scenario: Scenario; notes: ScenarioProblem[]} {
  const migrations = options.migrations ?? scenarioMigrations;
  const renamed = options.renamed ?? renamedParameterIds;
  if (typeof input !== "object" || input === null || Array.isArray(input)) throw new ScenarioError([{path: "(scenario)", message: "a scenario is a JSON object"}]);
  let current = input as Record<string, unknown>;
  const version = current.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 0)
    throw new ScenarioError([{path: "version", message: "missing or invalid version number"}]);
  if (version > SCENARIO_VERSION)
    throw new ScenarioError([{path: "version", message: `version ${version} was made by a newer DPF Sandbox (this one reads up to ${SCENARIO_VERSION})`}]);
  const notes: ScenarioProblem[] = [];
  for (let v = version; v < SCENARIO_VERSION; v++) {
    const step = migrations[v];
    if (!step) throw new ScenarioError([{path: "version", message: `no migration from version ${v}`}]);
    current = step(current);
    notes.push({path: "version", message: `migrated from version ${v} to ${v + 1}`});
  }
  const overrides = current.overrides;
  if (typeof overrides === "object" && overrides !== null && !Array.isArray(overrides)) {
    // fromEntries keeps a hostile key such as "__proto__" as an own key, so validation sees and refuses it.
    const next = Object.fromEntries(
      Object.entries(overrides).map(([id, value]) => {
        const to = Object.hasOwn(renamed, id) ? renamed[id]! : id;
        if (to !== id) notes.push({path: `overrides.${id}`, message: `parameter ${id} is now called ${to}; the override was carried over`});
        return [to, value];
      }),
    );
    current = {...current, overrides: next};
  }
  const parsed = scenarioSchema.safeParse(current);
  if (!parsed.success) throw new ScenarioError(parsed.error.issues.map((i) => ({path: i.path.map(String).join(".") || "(scenario)", message: i.message})));
  return {scenario: parsed.data, notes};
}

/**
 * Ids in a scenario that the current parameters or presets do not know. They stay in the scenario (so
 * saving it again keeps them) and the engine ignores them, but the page must show them.
 */
export function checkScenario(scenario: Scenario, known: {parameterIds: Iterable<string>; presetIds: Iterable<string>}): ScenarioProblem[] {
  const parameterIds = new Set(known.parameterIds);
  const presetIds = new Set(known.presetIds);
  const problems: ScenarioProblem[] = [];
  for (const id of Object.keys(scenario.overrides))
    if (!parameterIds.has(id)) problems.push({path: `overrides.${id}`, message: `unknown parameter ${id}: its override is ignored`});
  scenario.presets.forEach((id, i) => {
    if (!presetIds.has(id)) problems.push({path: `presets.${i}`, message: `unknown preset ${id}: ignored`});
  });
  return problems;
}

/** The scenario as pretty JSON (the download file). */
export function scenarioToJson(scenario: Scenario): string {
  return `${JSON.stringify(scenarioSchema.parse(scenario), null, 2)}\n`;
}

/** Parses a scenario file's text: JSON, then migration and validation. */
export function scenarioFromJson(text: string, options: MigrationOptions = {}): {scenario: Scenario; notes: ScenarioProblem[]} {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError([{path: "(file)", message: `not JSON: ${(error as Error).message}`}]);
  }
  return migrateScenario(parsed, options);
}

/*
 * URL form: short reserved keys plus one key per override, readable and short:
 *   ?v=1&n=提高五保&b=2025&y=2026-2030&p=wubao-480&subsidy.wubao.monthly=480&prov=430000&cap=5000000
 * A dated override lists date*value pairs: `subsidy.wubao.monthly=2027-01-01*480*2028-01-01*500`.
 * `*`, `-`, `.` and `_` pass through URL encoding unchanged; parameter ids always contain a dot, so they
 * never collide with the reserved keys.
 */
const SEP = "*";
const numberText = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?(e[+-]?[0-9]+)?$/;

/** The scenario as a URL query string (no leading `?`). */
export function scenarioToQuery(scenario: Scenario): string {
  const s = scenarioSchema.parse(scenario);
  const q = new URLSearchParams();
  q.set("v", String(s.version));
  if (s.name !== "") q.set("n", s.name);
  q.set("b", String(s.baseYear));
  const contiguous = s.years.every((y, i) => i === 0 || y === s.years[i - 1]! + 1);
  q.set("y", contiguous && s.years.length > 1 ? `${s.years[0]}-${s.years.at(-1)}` : s.years.join(SEP));
  if (s.presets.length) q.set("p", s.presets.join(SEP));
  for (const [id, override] of Object.entries(s.overrides))
    q.set(id, typeof override === "number" ? String(override) : override.flatMap((d) => [d.date, String(d.value)]).join(SEP));
  if (s.province) q.set("prov", s.province);
  if (s.cap) q.set("cap", String(s.cap.yuanPerYear));
  return q.toString();
}

function parseNumber(text: string, path: string, problems: ScenarioProblem[]): number {
  if (!numberText.test(text)) {
    problems.push({path, message: `not a number: ${JSON.stringify(text)}`});
    return Number.NaN;
  }
  return Number(text);
}

/** Parses a URL query string (with or without `?`) back into a scenario; unknown keys are errors. */
export function scenarioFromQuery(query: string, options: MigrationOptions = {}): {scenario: Scenario; notes: ScenarioProblem[]} {
  const q = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
  const problems: ScenarioProblem[] = [];
  const raw: Record<string, unknown> = {name: "", presets: [], overrides: {}};
  const overrides: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const [key, value] of q) {
    if (seen.has(key)) {
      problems.push({path: key, message: "appears twice in the URL"});
      continue;
    }
    seen.add(key);
    if (key === "v") raw.version = parseNumber(value, key, problems);
    else if (key === "n") raw.name = value;
    else if (key === "b") raw.baseYear = parseNumber(value, key, problems);
    else if (key === "y") {
      const range = /^(\d{4})-(\d{4})$/.exec(value);
      if (range) {
        const [from, to] = [Number(range[1]), Number(range[2])];
        raw.years = to >= from && to - from < 100 ? Array.from({length: to - from + 1}, (_, i) => from + i) : [];
      } else raw.years = value.split(SEP).map((y) => parseNumber(y, key, problems));
    } else if (key === "p") raw.presets = value === "" ? [] : value.split(SEP);
    else if (key === "cap") raw.cap = {yuanPerYear: parseNumber(value, key, problems)};
    else if (key === "prov") raw.province = value;
    else if (parameterIdPattern.test(key)) {
      const parts = value.split(SEP);
      if (parts.length === 1) overrides[key] = parseNumber(value, key, problems);
      else if (parts.length % 2 === 0) {
        const dated: {date: string; value: number}[] = [];
        for (let i = 0; i < parts.length; i += 2) dated.push({date: parts[i]!, value: parseNumber(parts[i + 1]!, key, problems)});
        overrides[key] = dated;
      } else problems.push({path: key, message: "dated values must come in date*value pairs"});
    } else problems.push({path: key, message: "unknown URL key"});
  }
  if (problems.length) throw new ScenarioError(problems);
  raw.overrides = overrides;
  return migrateScenario(raw, options);
}
