/**
 * Preloads the data a page's first figures wait for. Framework fetches a FileAttachment only when the
 * cell calling it runs, after every module of the page is in: on an office PC (4 Mbit/s, 100 ms) that
 * put the opening views' JSON 1.3 s behind the modules. A `<link rel="preload" as="fetch">` in the head
 * fetches it alongside them; FileAttachment's own fetch (mode cors, same-origin credentials, which
 * `crossorigin` matches) then takes the preloaded response.
 */

/** The files pages fetch before their first figures, always (an imported city's page fetches them too). */
export const openingFiles = ["./data/opening_gaps.json", "./data/opening_sandbox.json", "./data/province_standards.json"] as const;

/** The hashed paths of a page's opening files, read from Framework's registerFile calls. */
export function openingPaths(html: string): string[] {
  const paths: string[] = [];
  for (const m of html.matchAll(/registerFile\((".*?"), (\{.*?\})\);/g)) {
    const name = JSON.parse(m[1]!) as string;
    if (!(openingFiles as readonly string[]).includes(name)) continue;
    const path = (JSON.parse(m[2]!) as {path?: string}).path;
    if (!path) throw new Error(`registerFile for ${name} has no path`);
    paths.push(path);
  }
  return paths;
}

/** The page with a preload of each opening file at the top of its head. */
export function preloadOpening(html: string): string {
  const links = openingPaths(html).map((path) => `<link rel="preload" as="fetch" crossorigin href="${path}">`);
  return links.length ? html.replace(/<head>/, `<head>\n${links.join("\n")}`) : html;
}
