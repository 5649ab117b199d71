import type {UnitLevel, UnitRow} from "../schemas/units.js";
import type {ProblemLog, RejectedLog} from "./log.js";
import {ageOn} from "./numbers.js";
import {TableBuilder, type RawRow, type SourceContext, type Values} from "./tableBuilder.js";
import {personsSpec} from "./tables.js";

/** Accepted rows stored column by column (a million persons as objects would not fit comfortably). */
export interface Columns {
  names: string[];
  data: Record<string, (string | number | boolean | null)[]>;
  length: number;
}

export function emptyColumns(names: string[]): Columns {
  return {names, data: Object.fromEntries(names.map((n) => [n, []])), length: 0};
}

/** The rows of a column store as objects (small tables, tests). */
export function rowsOf<T = Values>(columns: Columns): T[] {
  return Array.from({length: columns.length}, (_, i) => Object.fromEntries(columns.names.map((n) => [n, columns.data[n]![i]])) as T);
}

const spec = (name: string) => personsSpec.columns.find((c) => c.name === name)!;
const storedNames = personsSpec.columns.filter((c) => !c.transient).map((c) => c.name);

/**
 * The persons table, row by row as it streams in (the units are already settled): each person's
 * community must be an accepted community; ages come from 出生日期 on the reference date when the file
 * has no 年龄; person numbers are the file's (unique) or the row order.
 */
export class PersonsBuilder extends TableBuilder {
  readonly columns = emptyColumns(storedNames);
  readonly notes: string[] = [];
  private readonly ids = new Set<number>();
  private nextId = 1;
  private agesFromBirth = 0;
  private readonly communities = new Map<string, {code: string; level: UnitLevel}>();

  constructor(
    problems: ProblemLog,
    rejected: RejectedLog,
    units: readonly UnitRow[],
    /** Codes of unit rows that were rejected, with where they are. */
    private readonly rejectedUnits: Map<string, string>,
    /** The date ages are computed on, ISO (a parameter: the importer never reads the clock). */
    private readonly referenceDate: string,
  ) {
    super(personsSpec, problems, rejected);
    for (const u of units) this.communities.set(u.unit_code, {code: u.unit_code, level: u.level});
  }

  add(ctx: SourceContext, raw: RawRow): void {
    const d = this.read(ctx, raw);
    if (!d) return;
    const id = this.nextId++;
    if (d.errors === 0 || !raw.issue) {
      const v = d.values;
      if ((v.age === null || !("age" in v)) && v.birth_date === undefined && "birth_date" in v) {
        v.age = undefined as never; // the unreadable birth date is the problem reported
      } else if ((v.age === null || !("age" in v)) && typeof v.birth_date === "string") {
        const age = ageOn(v.birth_date, this.referenceDate);
        if (age < 0) {
          this.problem(d, spec("birth_date"), "bad_date", v.birth_date, `出生日期晚于统计日期 ${this.referenceDate}`);
          v.age = undefined as never;
        } else {
          v.age = age;
          this.agesFromBirth++;
        }
      }
      if (!("person_id" in v)) v.person_id = id;
      else if (typeof v.person_id === "number") {
        if (this.ids.has(v.person_id)) this.problem(d, spec("person_id"), "duplicate_person_id", v.person_id, `人员序号 ${v.person_id} 重复`);
        this.ids.add(v.person_id);
      }
      const code = v.community_code;
      if (typeof code === "string" && code) {
        const unit = this.communities.get(code);
        if (!unit) {
          const where = this.rejectedUnits.get(code);
          if (where) this.problem(d, spec("community_code"), "community_rejected", code, `所属社区「${code}」所在行（${where}）被拒绝`);
          else this.problem(d, spec("community_code"), "orphan_person", code, `所属社区「${code}」在单位表中不存在`);
        } else if (unit.level !== "community") {
          this.problem(d, spec("community_code"), "not_a_community", code, `「${code}」是${({city: "市", district: "区县", street: "街道/镇", community: "社区"} as const)[unit.level]}，不是社区/村`);
        } else v.community_code = unit.code;
      }
      if (!ctx.missingRequired.length && !raw.issue) {
        const row: Values = {};
        for (const name of storedNames) row[name] = v[name] ?? null;
        if (this.validate(d, row) && d.errors === 0) {
          for (const name of storedNames) this.columns.data[name]!.push(row[name]!);
          this.columns.length++;
        }
      }
    }
    this.settle(d);
  }

  finish(): Columns {
    if (this.agesFromBirth) this.notes.push(`${this.agesFromBirth.toLocaleString("en-US")} 人的年龄按出生日期折算到 ${this.referenceDate}（出生日期随后删除）`);
    return this.columns;
  }
}
