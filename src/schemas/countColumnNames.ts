import type {DisabilityCategory} from "./disabilityCategories.js";

/**
 * The names of community_counts' columns by category and grade (communityCounts.ts), without its zod
 * schema: the engines' answerability check needs the names only, and the pages' first figures should
 * not wait for zod to load.
 */

/** Column of the count of one disability category, e.g. category_visual. */
export type CategoryCountColumn = `category_${DisabilityCategory}`;
export const categoryCountColumn = (c: DisabilityCategory): CategoryCountColumn => `category_${c}`;

export const gradeCountColumns = ["grade_1", "grade_2", "grade_3", "grade_4"] as const;
export type GradeCountColumn = (typeof gradeCountColumns)[number];
