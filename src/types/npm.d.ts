// Framework resolves `npm:` specifiers (to bundles vendored from node_modules); tsc needs to know
// that they are the installed packages.
declare module "npm:@duckdb/duckdb-wasm" {
  export * from "@duckdb/duckdb-wasm";
}
declare module "npm:apache-arrow" {
  export * from "apache-arrow";
}
declare module "npm:@observablehq/plot" {
  export * from "@observablehq/plot";
}
declare module "npm:d3" {
  export * from "d3";
}
declare module "npm:htl" {
  export * from "htl";
}
declare module "npm:arquero" {
  export * from "arquero";
}
interface ImportMeta {
  /** Framework rewrites `import.meta.resolve("npm:…")` to the vendored file's URL. */
  resolve(specifier: string): string;
}
/** A Framework FileAttachment, as far as the components use it. */
interface SandboxFileAttachment {
  name: string;
  href: string;
  arrayBuffer(): Promise<ArrayBuffer>;
  json(): Promise<unknown>;
  text(): Promise<string>;
}
declare module "observablehq:stdlib" {
  export function FileAttachment(path: string): SandboxFileAttachment;
}
