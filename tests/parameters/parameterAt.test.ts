import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {parameterAt, type DatedValue} from "../../src/engine/parameterAt.js";

const dibao: DatedValue[] = [
  {id: "subsidy.dibao.urban_monthly", effective_date: "2013-01-01", value: 450},
  {id: "subsidy.dibao.rural_monthly", effective_date: "2012-01-01", value: 300},
  {id: "subsidy.dibao.urban_monthly", effective_date: "2012-01-01", value: 390},
];

describe("parameterAt", () => {
  it("picks the value in force: the latest effective date on or before the date", () => {
    expect(parameterAt(dibao, "subsidy.dibao.urban_monthly", "2012-06-30")?.value).toBe(390);
    expect(parameterAt(dibao, "subsidy.dibao.urban_monthly", "2030-12-31")?.value).toBe(450);
  });

  it("applies a new value from its effective date itself, not the day after", () => {
    expect(parameterAt(dibao, "subsidy.dibao.urban_monthly", "2012-12-31")?.value).toBe(390);
    expect(parameterAt(dibao, "subsidy.dibao.urban_monthly", "2013-01-01")?.value).toBe(450);
  });

  it("gives nothing before the first effective date, never a zero", () => {
    expect(parameterAt(dibao, "subsidy.dibao.urban_monthly", "2011-12-31")).toBeUndefined();
  });

  it("gives nothing for an id without rows and never mixes ids", () => {
    expect(parameterAt(dibao, "subsidy.wubao.monthly", "2013-06-30")).toBeUndefined();
    expect(parameterAt(dibao, "subsidy.dibao.rural_monthly", "2013-06-30")?.value).toBe(300);
  });

  it("returns the whole row, so a caller can cite its source", () => {
    const rows = [{id: "x.y", effective_date: "2020-01-01", value: 1, source: "004_f20733b96c2a913c.txt"}];
    expect(parameterAt(rows, "x.y", "2020-01-01")?.source).toBe("004_f20733b96c2a913c.txt");
  });

  it("rejects a date that is not an ISO calendar date, which string comparison would get wrong", () => {
    for (const date of ["2013-1-1", "2013/01/01", "2013-02-30", ""]) expect(() => parameterAt(dibao, "subsidy.dibao.urban_monthly", date)).toThrow(/ISO date/);
  });

  it("refuses two values for one parameter on one date", () => {
    const twice = [...dibao, {id: "subsidy.dibao.urban_monthly", effective_date: "2013-01-01", value: 460}];
    expect(() => parameterAt(twice, "subsidy.dibao.urban_monthly", "2013-06-30")).toThrow(/two values dated 2013-01-01/);
  });

  it("agrees with 'the latest date on or before' for any dates and any row order", () => {
    const day = fc.integer({min: 0, max: 20_000}).map((n) => new Date(Date.UTC(2000, 0, 1 + n)).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.uniqueArray(day, {minLength: 1, maxLength: 8}), day, (dates, query) => {
        const rows = dates.map((effective_date, i) => ({id: "p.q", effective_date, value: i}));
        const expected = rows.filter((r) => r.effective_date <= query).sort((a, b) => (a.effective_date < b.effective_date ? 1 : -1))[0];
        expect(parameterAt(rows, "p.q", query)).toBe(expected);
        expect(parameterAt([...rows].reverse(), "p.q", query)).toBe(expected);
      }),
    );
  });
});
