/**
 * A planner's text in a briefing (简报正文): paragraphs split by a blank line, a paragraph of lines that
 * start with "1." or "-" a numbered or plain list, and `[004-013]` a footnote to that catalogue figure.
 * Written as an HTML string (escaped), so the page, the single file and the composer's preview show the
 * same words. Pure: no DOM.
 */

const escapeMap: Record<string, string> = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};
/** Text as HTML text: every markup character escaped. */
export const esc = (text: string | number) => String(text).replace(/[&<>"']/g, (c) => escapeMap[c]!);

const citeMark = /\[(\d{3}-\d{3})\]/g;

/** The catalogue figures a text cites, in order of first citation. */
export function citedInText(text: string | null | undefined): string[] {
  return [...new Set([...(text ?? "").matchAll(citeMark)].map((m) => m[1]!))];
}

/** One line: escaped, `**bold**` in <strong>, each `[004-013]` replaced by its footnote mark. */
function inline(line: string, cite: (id: string) => string): string {
  return esc(line)
    .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
    .replace(citeMark, (_, id: string) => cite(id));
}

/** The text as paragraphs and lists; empty for no text. */
export function proseHtml(text: string | null | undefined, cite: (id: string) => string): string {
  if (!text?.trim()) return "";
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((block) => {
      const lines = block.split("\n").map((l) => l.trim()).filter(Boolean);
      if (lines.every((l) => /^\d+[.、．]\s*/.test(l))) return `<ol>${lines.map((l) => `<li>${inline(l.replace(/^\d+[.、．]\s*/, ""), cite)}</li>`).join("")}</ol>`;
      if (lines.every((l) => /^[-•]\s+/.test(l))) return `<ul>${lines.map((l) => `<li>${inline(l.replace(/^[-•]\s+/, ""), cite)}</li>`).join("")}</ul>`;
      return `<p>${lines.map((l) => inline(l, cite)).join("")}</p>`;
    })
    .join("\n");
}
