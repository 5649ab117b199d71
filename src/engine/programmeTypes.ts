import type {AgeBand, PersonFlag} from "../schemas/cubeDimensions.js";
import type {DisabilityCategory} from "../schemas/persons.js";

/** What a programme is (programmes.ts lists them); apart so that the programme kinds can read it. */

/** Community service flags a coverage target counts (null, "not reported", counts as lacking). */
export const unitFlags = ["has_rehab_room", "has_coordinator", "has_care_point"] as const;
export type UnitFlag = (typeof unitFlags)[number];

/** Which persons a programme counts: every listed condition must hold. */
export interface PersonSelection {
  urbanRural?: "urban" | "rural";
  categories?: readonly DisabilityCategory[];
  grades?: readonly number[];
  ageBands?: readonly AgeBand[];
  /** Flags that must be true. */
  flags?: readonly PersonFlag[];
}

/**
 * How a programme's cost arises: each kind is one block in programmeKinds/ (what the cube counts, its
 * levers, its cost steps and its formula), listed in programmeKinds/index.ts.
 */
export type ProgrammeKind = "per_resident" | "cash" | "one_off" | "person_target" | "unit_target";

/** Parameter ids that price a programme, by role. */
export interface ProgrammeParameters {
  /** per_resident: yuan per resident per year. */
  perResident?: string;
  /** cash: monthly standard. */
  monthly?: string;
  /** cash: share of the eligible who receive it; one_off: share of the eligible receiving it in a year. */
  takeup?: string;
  /** cash: share of the standard paid on average where the allowance tops income up to it. */
  topup?: string;
  /** one_off: amount per case (a standard, not price-indexed). */
  amount?: string;
  /** one_off / person_target / unit_target: unit cost (an assumption, price-indexed). */
  unitCost?: string;
  /** person_target / unit_target: running cost per covered person or community per year (price-indexed). */
  runningCost?: string;
  /** person_target / unit_target: the rate to reach (share 0–1). */
  target?: string;
}

export interface Programme {
  id: string;
  label: {zh: string; en: string};
  kind: ProgrammeKind;
  /** Who or what is counted, in Chinese, for the formula ("城市低保对象"). */
  counts_zh: string;
  /** Persons counted (cash, one_off, person_target: the denominator of the rate; unit_target: the people a facility covers). */
  persons?: PersonSelection;
  /** cash per post: community posts counted where this flag is true. */
  posts?: UnitFlag;
  /** person_target: flag of persons already covered; unit_target: flag of communities already covered. */
  achieved?: PersonFlag | UnitFlag;
  parameters: ProgrammeParameters;
  /** The words its kind writes the formula from. */
  words_zh: FormulaWords;
  /** Formula in Chinese, written by the programme's kind (programmeKinds/); `{id}` stands for a parameter's value. */
  formula_zh: string;
}

/** The words of a programme's formula: its kind puts them in place (programmeKinds/). */
export interface FormulaWords {
  /** Each parameter's name in the formula, by role ("享受率", "月标准"). */
  terms: {readonly [role in keyof ProgrammeParameters]?: string};
  /** What is counted, when the formula names it otherwise than `counts_zh` (专职委员岗位数). */
  counted?: string;
  /** person_target: those already covered (已筛查). */
  achieved?: string;
  /** person_target, unit_target: those newly reached or communities newly equipped (新建档, 新配). */
  newly?: string;
  /** unit_target: whose communities are equipped first (有康复需求者). */
  first?: string;
  /** A remark after the formula. */
  note?: string;
}
