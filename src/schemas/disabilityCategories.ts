/**
 * Disability categories of the national classification (残疾类别), in its order, with their Chinese
 * labels. Kept apart from the zod schema (persons.ts re-exports them) so a page can label its filters
 * without loading zod.
 */
export const disabilityCategories = ["visual", "hearing", "speech", "physical", "intellectual", "psychiatric", "multiple"] as const;
export type DisabilityCategory = (typeof disabilityCategories)[number];
export const disabilityCategoryLabels: Record<DisabilityCategory, string> = {
  visual: "视力", hearing: "听力", speech: "言语", physical: "肢体", intellectual: "智力", psychiatric: "精神", multiple: "多重",
};
