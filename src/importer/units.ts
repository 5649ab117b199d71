import type {UnitLevel, UnitRow} from "../schemas/units.js";
import {unitLevels} from "../schemas/units.js";
import {TableBuilder, type Draft, type RawRow, type SourceContext, type Values} from "./tableBuilder.js";
import {unitsSpec} from "./tables.js";
import type {ProblemLog, RejectedLog} from "./log.js";

const LEVEL_OF_LABEL: Record<string, UnitLevel> = {市: "city", 区: "district", 县: "district", 街道: "street", 镇: "street", 社区: "community", 村: "community"};
const URBAN_LABELS = new Set(["市", "区", "街道", "社区"]);
/** Level label from the end of a unit's name: 东湖社区 → 社区, 李家村 → 村, 城关镇 → 镇. */
const NAME_SUFFIX = /(社区|街道|村|镇|乡|区|县|市)$/;

interface UnitDraft extends Draft {
  code: string | null;
  givenResidents: number | null;
  givenDistrict: string | null;
  givenStreet: string | null;
  final?: UnitRow;
}

const spec = (name: string) => unitsSpec.columns.find((c) => c.name === name)!;

/** Rows a message names at most; the rest are counted. */
export const LISTED_ROWS = 10;

/** 「第 2 行、第 5 行……等 N 行」: the first rows of a list (with their file when it differs from the first's). */
function rowsOf(list: readonly UnitDraft[]): string {
  const first = list[0]!;
  const named = list.slice(0, LISTED_ROWS).map((x) => `${x.ctx.file !== first.ctx.file || x.ctx.sheet !== first.ctx.sheet ? `${x.ctx.file} ` : ""}第 ${x.row} 行`).join("、");
  return list.length > LISTED_ROWS ? `${named} 等 ${list.length} 行` : named;
}

/** Appends in place: a copy per row ([...list, d]) makes a large family quadratic. */
function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The units table: each row read and checked on its own, then — once every row is in — the rules
 * across rows: duplicate codes, one city at the root, every parent present and one level up, district
 * and street codes derived down the tree, residents of a parent at least the sum of its children
 * (derived when left blank). A rejected parent takes its subtree with it, each row saying why.
 */
export class UnitsBuilder extends TableBuilder {
  readonly drafts: UnitDraft[] = [];
  readonly notes: string[] = [];
  private derivedLabels = 0;
  private derivedResidents = 0;

  constructor(problems: ProblemLog, rejected: RejectedLog) {
    super(unitsSpec, problems, rejected);
  }

  add(ctx: SourceContext, raw: RawRow): void {
    const read = this.read(ctx, raw);
    if (!read) return;
    const d = read as UnitDraft;
    const v = d.values;
    d.code = typeof v.unit_code === "string" && v.unit_code ? v.unit_code : null;
    d.givenResidents = typeof v.residents === "number" ? v.residents : null;
    d.givenDistrict = typeof v.district_code === "string" ? v.district_code : null;
    d.givenStreet = typeof v.street_code === "string" ? v.street_code : null;
    if (!ctx.missingRequired.length && !raw.issue) this.deriveLocal(d);
    this.drafts.push(d);
    if (!ctx.missingRequired.length && !raw.issue) this.validate(d, this.rowOf(d));
  }

  /** Level label from the name, level from the label, urban/rural from the label. */
  private deriveLocal(d: UnitDraft): void {
    const v = d.values;
    if (v.level_label === null || (!("level_label" in v))) {
      const suffix = typeof v.unit_name === "string" ? NAME_SUFFIX.exec(v.unit_name)?.[1] : undefined;
      let label: string | null = suffix === "乡" ? "镇" : (suffix ?? null);
      // The one unit without a parent is the city (示例小城 need not end in 市).
      if (!label && "parent_code" in v && v.parent_code === null && (v.level === null || v.level === "city" || !("level" in v))) label = "市";
      if (!label && typeof v.level === "string") {
        const rural = v.urban_rural === "rural";
        label = ({city: "市", district: rural ? "县" : "区", street: rural ? "镇" : "街道", community: rural ? "村" : "社区"} as Record<string, string>)[v.level] ?? null;
      }
      if (label) {
        v.level_label = label;
        this.derivedLabels++;
      } else if (!("level_label" in v) || v.level_label !== (undefined as never)) {
        this.problem(d, spec("level_label"), "required", "", "层级名称为空，且无法从单位名称推算（请填写 区/县/街道/镇/社区/村）");
        v.level_label = undefined as never;
      }
    }
    const label = v.level_label;
    if (label === undefined) {
      // The label was unreadable (reported): what depends on it is not reported again.
      if (v.level === null || !("level" in v)) v.level = undefined as never;
      if (v.urban_rural === null || !("urban_rural" in v)) v.urban_rural = undefined as never;
    }
    if (typeof label === "string") {
      const level = LEVEL_OF_LABEL[label];
      if (v.level === null || !("level" in v)) v.level = level ?? null;
      else if (typeof v.level === "string" && level && v.level !== level) {
        const m = d.ctx.mapped.find((x) => x.spec.name === "level");
        this.problem(d, m ?? spec("level"), "inconsistent", m ? d.cells[m.index] : v.level, `层级与层级名称「${label}」相矛盾`);
      }
      if (v.urban_rural === null || !("urban_rural" in v)) v.urban_rural = URBAN_LABELS.has(label) ? "urban" : "rural";
    }
  }

  /** The row in schema order; fields derived across rows hold placeholders until finish(). */
  private rowOf(d: UnitDraft): Values {
    const v = d.values;
    const row: Values = {};
    for (const c of unitsSpec.columns) row[c.name] = v[c.name] ?? null;
    row.synthetic = false;
    if (row.residents === null && v.level !== "community" && v.residents !== (undefined as never)) row.residents = 0;
    return row;
  }

  /** Applies the rules across rows and settles every row; returns the accepted units in file order. */
  finish(): UnitRow[] {
    const drafts = this.drafts;
    // Duplicate codes: every occurrence is rejected (which one is right is the planner's call).
    const byCode = new Map<string, UnitDraft[]>();
    for (const d of drafts) if (d.code) pushTo(byCode, d.code, d);
    for (const [code, list] of byCode) {
      if (list.length < 2) continue;
      // One message text for every row of the code: built once, and naming a few rows only (20,000 rows
      // sharing a code would otherwise make 20,000 messages of 20,000 rows each).
      const message = `单位代码「${code}」重复（${rowsOf(list)}）`;
      for (const d of list) this.problem(d, spec("unit_code"), "duplicate_unit_code", code, message);
    }
    const rowOfCode = (code: string) => byCode.get(code)?.[0];
    const levelIndex = (d: UnitDraft) => unitLevels.indexOf(d.values.level as UnitLevel);
    // Roots: the one city; any other row without a parent is an orphan.
    const cities = drafts.filter((d) => d.errors === 0 && d.values.level === "city");
    if (cities.length > 1) for (const d of cities) this.problem(d, spec("level"), "several_cities", d.values.level, `有 ${cities.length} 个市级单位（${rowsOf(cities)}），单位表只能有一个市`);
    for (const d of drafts) {
      if (d.errors) continue;
      if (d.values.level === "city" && d.values.parent_code !== null) this.problem(d, spec("parent_code"), "orphan_unit", d.values.parent_code, "市级单位的上级单位代码应留空");
      if (d.values.level !== "city" && d.values.parent_code === null) this.problem(d, spec("parent_code"), "orphan_unit", "", "上级单位代码为空：只有市级单位可以没有上级");
    }
    const city = cities.length === 1 && cities[0]!.errors === 0 ? cities[0]! : null;
    if (!city && drafts.length) {
      const first = drafts[0]!;
      this.problems.add({file: first.ctx.file, sheet: first.ctx.sheet, row: null, column: null, field: null, rule: cities.length > 1 ? "several_cities" : "no_city", message: cities.length > 1 ? undefined : "缺少市级单位（上级单位代码为空、层级为「市」的那一行）：所有单位都连不到根"});
    }

    // Accept down the tree from the city; reject parts that exceed their whole and repeat.
    let accepted = new Set<UnitDraft>();
    for (;;) {
      accepted = new Set();
      const children = new Map<string, UnitDraft[]>();
      for (const d of drafts) {
        if (d.errors || !d.code || d === city || typeof d.values.parent_code !== "string") continue;
        pushTo(children, d.values.parent_code, d);
      }
      if (city) {
        city.values.district_code = null;
        city.values.street_code = null;
        accepted.add(city);
        const queue = [city];
        for (let head = 0; head < queue.length; head++) {
          const parent = queue[head]!;
          for (const child of children.get(parent.code!) ?? []) {
            if (child.errors) continue;
            if (levelIndex(child) !== levelIndex(parent) + 1) {
              this.problem(child, spec("level"), "level_mismatch", child.values.level_label, `层级「${child.values.level_label}」不能直属于「${parent.values.level_label}」（上级单位 ${parent.code}，第 ${parent.row} 行）`);
              continue;
            }
            const level = child.values.level;
            const district = level === "district" ? child.code : (parent.values.district_code as string | null);
            const street = level === "street" ? child.code : level === "community" ? (parent.values.street_code as string | null) : null;
            if (child.givenDistrict !== null && child.givenDistrict !== district) {
              this.problem(child, spec("district_code"), "code_mismatch", child.givenDistrict, `所属区县代码与按上级单位推算的「${district ?? "（空）"}」不一致`);
              continue;
            }
            if (child.givenStreet !== null && child.givenStreet !== street) {
              this.problem(child, spec("street_code"), "code_mismatch", child.givenStreet, `所属街道代码与按上级单位推算的「${street ?? "（空）"}」不一致`);
              continue;
            }
            child.values.district_code = district;
            child.values.street_code = street;
            accepted.add(child);
            queue.push(child);
          }
        }
      }
      // Residents bottom-up over the accepted tree.
      const sums = new Map<UnitDraft, number>();
      const order = [...accepted].sort((a, b) => levelIndex(b) - levelIndex(a));
      const violators: UnitDraft[] = [];
      for (const d of order) {
        if (d.values.level === "community") {
          d.values.residents = d.givenResidents;
        } else {
          const sum = sums.get(d) ?? 0;
          if (d.givenResidents === null) d.values.residents = sum;
          else {
            d.values.residents = d.givenResidents;
            if (d.givenResidents < sum) violators.push(d);
          }
        }
        const parent = d === city ? undefined : rowOfCode(d.values.parent_code as string);
        if (parent) sums.set(parent, (sums.get(parent) ?? 0) + ((d.values.residents as number | null) ?? 0));
      }
      if (!violators.length) break;
      for (const d of violators) {
        const m = d.ctx.mapped.find((x) => x.spec.name === "residents");
        this.problem(d, m ?? spec("residents"), "parts_exceed_whole", d.givenResidents, `下级单位常住人口之和（${(sums.get(d) ?? 0).toLocaleString("en-US")}）超过本单位的 ${d.givenResidents!.toLocaleString("en-US")}`);
      }
    }

    // Rows not reached: say which link broke.
    for (const d of drafts) {
      if (d.errors || accepted.has(d)) continue;
      const parentCode = d.values.parent_code as string;
      const parent = rowOfCode(parentCode);
      if (!parent) this.problem(d, spec("parent_code"), "orphan_unit", parentCode, `上级单位「${parentCode}」不存在`);
      else if (parent.errors) this.problem(d, spec("parent_code"), "parent_rejected", parentCode, `上级单位「${parentCode}」所在行（${parent.ctx.file !== d.ctx.file ? `${parent.ctx.file} ` : ""}第 ${parent.row} 行）被拒绝`);
      else this.problem(d, spec("parent_code"), "orphan_unit", parentCode, `上级单位「${parentCode}」连不到市级单位（上级关系断开或成环）`);
    }

    const out: UnitRow[] = [];
    for (const d of drafts) {
      if (!d.errors && accepted.has(d)) {
        const row = this.rowOf(d);
        if (d.givenResidents === null && d.values.level !== "community") this.derivedResidents++;
        if (this.validate(d, row)) d.final = row as unknown as UnitRow;
      }
      if (this.settle(d) && d.final) out.push(d.final);
    }
    if (this.derivedLabels) this.notes.push(`${this.derivedLabels} 个单位的层级名称按单位名称（或层级、城乡）推算`);
    if (this.derivedResidents) this.notes.push(`${this.derivedResidents} 个上级单位的常住人口按下级单位合计`);
    return out;
  }
}
