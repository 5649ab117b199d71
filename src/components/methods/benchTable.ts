import type {Summary, SummaryCell} from "../../../bench/lib/summary.js";

/**
 * The latest benchmark (bench/results/latest.md) for the methods page: warm p50 / p95 per workload,
 * contender and size with the ratio to the typed-array loop, and each speed goal with what was measured.
 * Text only; `summary` comes from src/data/bench.json.ts.
 */

const workloadLabels: Record<string, string> = {gap: "缺口查询", "scenario-cube": "情景重算（预聚合立方体）", "scenario-raw": "情景重算（从个人数据）"};
/** Each contender: the tool's own name (English, marked) and what it is, in Chinese. */
const contenderLabels: Record<string, [string, string]> = {
  duckdb: ["DuckDB-WASM", "（本站引擎）"],
  arquero: ["Arquero", "（数据表库）"],
  typed: ["", "类型化数组循环（上限参照）"],
  node: ["@duckdb/node-api", "（服务器端引擎）"],
};

function contenderCell(contender: string): HTMLElement {
  const [name, what] = contenderLabels[contender] ?? [contender, ""];
  const td = el("td");
  if (name) td.append(english(el("span", name)));
  td.append(what);
  return td;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Text the benchmark writes in English (goals, measurements, the machine): marked as such for readers and screen readers. */
function english<E extends HTMLElement>(node: E): E {
  node.lang = "en";
  return node;
}

const ms = (x: number) => (x < 10 ? x.toFixed(1) : String(Math.round(x)));

function cellText(c: SummaryCell | null, contender: string): string {
  if (!c) return "—";
  const ratio = c.ratio !== null && contender !== "typed" ? `（${c.ratio.toFixed(1)}×）` : "";
  return `${ms(c.p50)} / ${ms(c.p95)}${c.truncated ? `（${c.n} 次）` : ""}${ratio}`;
}

/** Two tables: timings (ms, p50 / p95, × = p50 ÷ the typed-array loop's) and the goals of issue 8. */
export function BenchTable(summary: Summary | null): HTMLElement {
  const root = el("div", undefined, "bench-table");
  if (!summary) {
    root.append(el("p", "尚无基准测试结果（由开发人员在本机运行基准测试后生成）。", "muted"));
    return root;
  }
  const machine = el("p", "测试机器：", "muted");
  machine.append(english(el("span", summary.machine)), `；日期：${summary.dates.map((d) => d.slice(0, 10)).join("、")}。${summary.answersEqual ? "各方案结果已核对一致。" : "注意：各方案结果不一致。"}`);
  root.append(machine);
  const timings = el("table");
  const head = el("tr");
  head.append(el("th", "任务"), el("th", "方案"), ...summary.sizes.map((s) => el("th", `${s.persons.toLocaleString("zh-CN")} 人`)));
  timings.append(el("thead"), el("tbody"));
  timings.tHead!.append(head);
  for (const row of summary.rows) {
    const tr = el("tr");
    tr.append(el("td", workloadLabels[row.workload] ?? row.workload), contenderCell(row.contender), ...summary.sizes.map((s) => el("td", cellText(row.cells[s.name] ?? null, row.contender))));
    timings.tBodies[0]!.append(tr);
  }
  root.append(el("p", "热运行耗时（毫秒，中位数 / 95 分位；括号内为相对类型化数组循环的倍数）"), timings);
  const goals = el("table");
  const goalHead = el("tr");
  goalHead.append(el("th", "目标（英文原文）"), el("th", "实测（英文原文）"), el("th", "达成"));
  goals.append(el("thead"), el("tbody"));
  goals.tHead!.append(goalHead);
  for (const g of summary.goals) {
    const tr = el("tr");
    tr.append(english(el("td", g.goal)), english(el("td", g.measured)), el("td", g.met === null ? "未测" : g.met ? "是" : "否"));
    goals.tBodies[0]!.append(tr);
  }
  root.append(el("p", "速度与资源目标"), goals);
  return root;
}
