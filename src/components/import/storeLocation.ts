/**
 * Where this deployment keeps an imported city in the browser. IndexedDB belongs to the origin (scheme,
 * host, port), not to a path: every app on the same host shares one set of databases. Naming the database
 * after the site's base path keeps two deployments of this app on one host (/a/, /b/) from using each
 * other's city; it does not hide the data from other apps on that host (only a dedicated host name or
 * port does: docs/deploy.md).
 */

/** The database every deployment shared before it was named per deployment; never read again. */
export const LEGACY_DATABASE = "dpf-sandbox";

/**
 * The site's base path ("/sandbox/") from the URL of a module in src/components. Framework serves it as
 * `<base>/_import/components/<name>.<hash>.js` in a build and `/_import/components/<name>.ts` in preview
 * (`<base>/_import/components/<folder>/<name>…` for a module in a folder), so the base is what comes
 * before the last `/_import/`. Decoded, so a Chinese path reads as itself ("/沙盘/").
 */
export function deploymentBase(moduleUrl: string): string {
  const {pathname} = new URL(moduleUrl);
  const at = pathname.lastIndexOf("/_import/");
  const path = at >= 0 ? pathname.slice(0, at + 1) : new URL("../../", moduleUrl).pathname;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The IndexedDB database of the deployment at `base`: "dpf-sandbox:/sandbox/". */
export function storeDatabaseName(base: string): string {
  return `${LEGACY_DATABASE}:${base}`;
}
