import type {UnitRow} from "../../schemas/units.js";
import {cleanName} from "./records.js";

/**
 * Persons exported from the certificate system name their community (所属社区) and street (所属街道) instead of
 * giving codes. This matches them to the communities of the import by (street, community) name; a community
 * name that exists in two streets needs its street, and the message names the choices.
 */

export type Resolved = {code: string} | {rule: "orphan_person" | "ambiguous_name"; message: string};

export interface NameResolver {
  /** Whether any community is known by name (an import of names at all). */
  readonly size: number;
  resolve(street: string | null, community: string): Resolved;
}

/** Folds the small differences in how a name is written (spaces, 居委会 for 社区, a missing 社区/村 ending). */
function key(name: string): string {
  return cleanName(name.normalize("NFKC")).replace(/(社区|村|街道|镇|乡)$/, "");
}

export function personsByName(units: readonly UnitRow[]): NameResolver {
  const byCode = new Map(units.map((u) => [u.unit_code, u]));
  const byName = new Map<string, UnitRow[]>();
  for (const u of units) {
    if (u.level !== "community") continue;
    const k = key(u.unit_name);
    byName.set(k, [...(byName.get(k) ?? []), u]);
  }
  const streetOf = (u: UnitRow) => (u.street_code ? byCode.get(u.street_code)?.unit_name ?? "" : "");
  return {
    size: byName.size,
    resolve(street, community) {
      const candidates = byName.get(key(community)) ?? [];
      const inStreet = street ? candidates.filter((c) => key(streetOf(c)) === key(street)) : candidates;
      if (inStreet.length === 1) return {code: inStreet[0]!.unit_code};
      if (!candidates.length) return {rule: "orphan_person", message: `所属社区「${community}」不在导入的社区名单中`};
      if (street && !inStreet.length) return {rule: "orphan_person", message: `「${street}」下没有社区「${community}」（名单中「${community}」属于 ${candidates.map(streetOf).join("、")}）`};
      return {rule: "ambiguous_name", message: `社区名「${community}」在 ${candidates.map(streetOf).join("、")} 都有，请填写所属街道以区分`};
    },
  };
}
