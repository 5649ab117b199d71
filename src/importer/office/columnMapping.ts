import type {OfficeField} from "./vocabulary.js";

// The mapping step's types, in a module of their own: the readers of layouts (readOffice.ts, indicatorForm.ts)
// and the mapping file (mappingFile.ts) all use them, and would otherwise import each other in a cycle.

/** A planner's choice on the mapping step: per layout (its header signature), column header → field or null. */
export type ColumnMapping = Record<string, Record<string, OfficeField | null>>;

export interface ColumnGuess {
  index: number;
  header: string;
  field: OfficeField | null;
  field_zh: string | null;
  /** 1 sure, 0.8 by its group label, 0.5 a guess, 0 not recognised; "planner" when set on the mapping step. */
  confidence: number | "planner";
  /** The first few values of the column as written, for the mapping step to try another field on. */
  samples: string[];
  /** A column the remembered mapping of this layout (or of a like one) did not have. */
  added?: true;
}
