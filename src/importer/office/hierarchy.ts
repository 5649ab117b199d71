import type {UnitLevel, UnitRow} from "../../schemas/units.js";
import {unitLevels} from "../../schemas/units.js";

/**
 * The administrative tree of an office's tables, from names or codes:
 * - names only (所属街道 / 社区名称): district → street → community built from the names, each with a stable
 *   generated code (its parent's code + four characters hashed from its name: the same names give the same
 *   codes on every upload, whatever the row order);
 * - 12-digit 统计用区划代码 (330106001001): levels and parents read from the code's structure (2 province,
 *   2 city, 2 county, 3 town, 3 village digits), stored trimmed so that a child's code starts with its
 *   parent's (330106 → 330106001 → 330106001001), a blank parent derived from it;
 * - any level may be the top (a county, a district or a street office): the levels above it are added as
 *   one unit each, named after the top, so every page reads 市 → 区县 → 街道/镇 → 社区/村.
 */

export const levelIndex = (level: UnitLevel) => unitLevels.indexOf(level);

const LEVEL_OF_SUFFIX: [RegExp, UnitLevel, UnitRow["level_label"]][] = [
  [/(社区)$/, "community", "社区"],
  [/(村)$/, "community", "村"],
  [/(街道)$/, "street", "街道"],
  [/(镇|乡|苏木)$/, "street", "镇"],
  [/(区)$/, "district", "区"],
  [/(县|旗|县级市)$/, "district", "县"],
  [/(市|州|盟)$/, "city", "市"],
];

/** The level a name announces by its ending (东湖社区 → community, 城关镇 → street), if any. */
export function levelOfName(name: string): {level: UnitLevel; label: UnitRow["level_label"]} | null {
  for (const [re, level, label] of LEVEL_OF_SUFFIX) if (re.test(name)) return {level, label};
  return null;
}

export function defaultLabel(level: UnitLevel, rural: boolean): UnitRow["level_label"] {
  return ({city: "市", district: rural ? "县" : "区", street: rural ? "镇" : "街道", community: rural ? "村" : "社区"} as const)[level];
}

/** A 12-digit statistical division code's level and its trimmed form, or null when it is not one. */
export function statisticalCode(code: string): {level: UnitLevel | "province"; trimmed: string; parent: string | null} | null {
  if (!/^\d{12}$/.test(code)) return null;
  const [p, c, d, s, v] = [code.slice(0, 2), code.slice(2, 4), code.slice(4, 6), code.slice(6, 9), code.slice(9, 12)];
  if (v !== "000") return {level: "community", trimmed: code, parent: p + c + d + s};
  if (s !== "000") return {level: "street", trimmed: p + c + d + s, parent: p + c + d};
  if (d !== "00") return {level: "district", trimmed: p + c + d, parent: p + c};
  if (c !== "00") return {level: "city", trimmed: p + c, parent: null};
  return {level: "province", trimmed: p, parent: null};
}

/** Trimmed statistical codes of shorter forms (330106001 is a street, 330106 a district, 3301 a city). */
export function trimmedCodeLevel(code: string): UnitLevel | null {
  if (!/^\d+$/.test(code)) return null;
  return ({4: "city", 6: "district", 9: "street", 12: "community"} as Record<number, UnitLevel>)[code.length] ?? null;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Four base-36 characters from a name: a generated code's part for one level. */
export function namePart(name: string, salt = 0): string {
  return (fnv1a(salt ? `${name}#${salt}` : name) % 36 ** 4).toString(36).toUpperCase().padStart(4, "0");
}

/** Generated codes start with N (for "named"), so they never collide with statistical codes (digits only). */
export const GENERATED_PREFIX = "N";

export interface TreeNode {
  /** Set by `assignCodes`; the file's code when it gave one. */
  code: string;
  name: string;
  level: UnitLevel;
  label: UnitRow["level_label"];
  parent: TreeNode | null;
  children: Map<string, TreeNode>;
  /** Added above the office's own top unit so every level exists; named after that unit. */
  virtual: boolean;
  /** The code as the file gives it (trimmed statistical code), if any. */
  fileCode?: string;
}

export function makeNode(name: string, level: UnitLevel, label: UnitRow["level_label"], parent: TreeNode | null, fileCode?: string): TreeNode {
  const node: TreeNode = {code: "", name, level, label, parent, children: new Map(), virtual: false, fileCode};
  if (parent) parent.children.set(childKey(node), node);
  return node;
}

export const childKey = (node: Pick<TreeNode, "name" | "fileCode">) => node.fileCode ?? node.name;

/** Adds one unit per missing level above `top` (a county office's county stands for the city too). */
export function withAncestors(top: TreeNode): TreeNode {
  let node = top;
  while (levelIndex(node.level) > 0) {
    const level = unitLevels[levelIndex(node.level) - 1]!;
    const rural = node.label === "县" || node.label === "镇" || node.label === "村";
    const code = node.fileCode && /^\d+$/.test(node.fileCode) ? node.fileCode.slice(0, {city: 4, district: 6, street: 9, community: 12}[level]) : undefined;
    const up: TreeNode = {code: "", name: node.name, level, label: defaultLabel(level, rural), parent: null, children: new Map(), virtual: true, fileCode: code && code.length < node.fileCode!.length ? code : undefined};
    node.parent = up;
    up.children.set(childKey(node), node);
    node = up;
  }
  return node;
}

/**
 * Codes top-down: a unit keeps the file's code; one without gets its parent's code + four characters from its
 * name (siblings that hash alike get a salted hash). Generated codes start with N and stay within 24 characters.
 */
export function assignCodes(root: TreeNode): void {
  const taken = new Set<string>();
  const visit = (node: TreeNode) => {
    if (node.fileCode) node.code = node.fileCode;
    else {
      const base = node.parent ? node.parent.code : GENERATED_PREFIX;
      const prefix = base.length + 4 > 24 ? base.slice(0, 20) : base;
      let salt = 0;
      do node.code = prefix + namePart(node.name, salt++);
      while (taken.has(node.code));
    }
    taken.add(node.code);
    for (const child of node.children.values()) visit(child);
  };
  visit(root);
}

export function* walk(node: TreeNode): Generator<TreeNode> {
  yield node;
  for (const child of node.children.values()) yield* walk(child);
}
