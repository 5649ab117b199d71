/**
 * The plan period (规划期): the 15th five-year plan (十五五, 2026–2030), whose first year follows the base
 * year the data describe. The scenario engine simulates these years; the gap page offers them as the
 * years whose targets and standards a planner checks. Kept free of zod so a page can read it cheaply.
 */
export const planBaseYear = 2025;
export const planYears: readonly number[] = [2026, 2027, 2028, 2029, 2030];
