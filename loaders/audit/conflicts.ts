/**
 * Conflicting targets (目标冲突): two targets of the same indicator, in the same unit, for the same place,
 * in one document, with different values — e.g. a community rehab room rate of 80% in the goals and 95%
 * in a department's duties. A target with no place written counts as the document's own place.
 */
import type {AuditRow} from "../../src/schemas/audit.js";
import type {FigureRow} from "../../src/schemas/figures.js";

/** Targets the checks file says are not a conflict (e.g. a stage and a final goal), by figure ids. */
export interface ConflictException {
  figures: string[];
  reason: string;
}

function samePlace(a: FigureRow, b: FigureRow): boolean {
  return a.place === null || b.place === null || a.place === b.place;
}

/** One finding per pair of differing target values (the first figure of each), in catalogue order; id ends with the second figure's number. */
export function findConflicts(figures: readonly FigureRow[], exceptions: readonly ConflictException[] = []): AuditRow[] {
  const excused = (a: FigureRow, b: FigureRow) => exceptions.some((e) => e.figures.includes(a.id) && e.figures.includes(b.id));
  const targets = [...figures].filter((f) => f.kind === "target").sort((a, b) => (a.id < b.id ? -1 : 1));
  const findings: AuditRow[] = [];
  const reported = new Set<string>();
  targets.forEach((a, i) => {
    for (const b of targets.slice(i + 1)) {
      if (a.document !== b.document || a.indicator !== b.indicator || a.unit !== b.unit || a.value === b.value) continue;
      if (a.year !== b.year && a.year !== null && b.year !== null) continue;
      if (!samePlace(a, b) || excused(a, b)) continue;
      const key = `${a.document}|${a.indicator}|${a.value}|${b.value}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const place = a.place ?? b.place;
      const where = place ? `（${place}）` : "";
      const show = (f: FigureRow) => `${f.value}${f.unit === "%" || f.unit === "‰" ? f.unit : ` ${f.unit}`}`;
      findings.push({
        id: `${a.id.slice(0, 3)}-conflict-${a.indicator.replaceAll("_", "-")}-${b.id.slice(4)}`,
        document: a.document,
        kind: "conflict",
        severity: "warning",
        message_zh: `同一文件对「${a.indicator_zh}」${where}给出两个不同的目标：${show(a)}（${a.section}）与 ${show(b)}（${b.section}）。`,
        message_en: `The document sets two different targets for ${a.indicator_en}${place ? ` (${place})` : ""}: ${show(a)} (${a.section}) and ${show(b)} (${b.section}).`,
        expected: null,
        reported: a.value,
        unit: a.unit,
        figure_a: a.id,
        quote_a: a.quote,
        figure_b: b.id,
        quote_b: b.quote,
      });
    }
  });
  return findings;
}
