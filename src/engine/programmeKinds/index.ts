import type {Programme, ProgrammeKind} from "../programmeTypes.js";
import {cash} from "./cash.js";
import type {Family, ProgrammeKindBlock, ProgrammeWords} from "./kind.js";
import {linearFamily} from "./linear.js";
import {oneOff} from "./oneOff.js";
import {perResident} from "./perResident.js";
import {personTarget} from "./personTarget.js";
import {unitTarget} from "./unitTarget.js";

/**
 * The programme kinds (项目类型), one block each: adding a kind is adding a file beside these, a line
 * here and its name in ProgrammeKind (programmeTypes.ts). Each block says which parameters its programmes name, what the cube counts for them, their
 * levers, the SQL steps from count to cost, and the formula in Chinese (see kind.ts).
 */
export const programmeKinds = {
  per_resident: perResident,
  cash,
  one_off: oneOff,
  person_target: personTarget,
  unit_target: unitTarget,
} as const satisfies Record<ProgrammeKind, ProgrammeKindBlock>;

export const programmeKindNames = Object.keys(programmeKinds) as ProgrammeKind[];

/** The block of a programme's kind. */
export const kindOf = (prog: Pick<Programme, "kind">): ProgrammeKindBlock => programmeKinds[prog.kind];

/**
 * Kinds whose cost is linear in each base row's quantity with levers shared by every community: their
 * city totals need one row per programme, not one per community (see `scenario_bases_city`).
 */
export const linearKinds: readonly ProgrammeKind[] = programmeKindNames.filter((k) => "linear" in programmeKinds[k].cost);

/** The programme's formula in Chinese, as its kind writes it, with the programme's own remark after it. */
export function formulaOf(prog: ProgrammeWords): string {
  const formula = kindOf(prog).formula_zh(prog);
  return prog.words_zh.note ? `${formula}；${prog.words_zh.note}` : formula;
}

/** The recompute families, per community or for city totals: the linear kinds in one pass, then each other kind's own. */
export function recomputeFamilies(byCommunity: boolean): Family[] {
  const own = programmeKindNames.flatMap((k) => {
    const cost = programmeKinds[k].cost;
    return "families" in cost ? [byCommunity ? cost.families.community : cost.families.city] : [];
  });
  return [linearFamily(linearKinds.map((k) => [k, programmeKinds[k]])), ...own];
}

export type {ProgrammeKind} from "../programmeTypes.js";
export {parameterRoles, type Growth, type ParameterRole, type ProgrammeKindBlock, type RoleValues, type Step, type Family} from "./kind.js";
