import {z} from "zod";

// Zod compiles object parsers with `new Function` unless told not to; the site's Content-Security-Policy
// forbids eval, and even zod's guarded probe is reported as a violation. Schemas decide this when they
// are built, so this module must be imported before any schema module (index.ts imports it first).
z.config({jitless: true});

export const zodJitless = true;
