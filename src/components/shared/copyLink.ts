/**
 * Copies a link shown on the page to the clipboard, saying so in `status`: a read-only text field's value
 * (the sandbox's share links) or a link's address (the gap explorer's view link). Where the browser
 * refuses the clipboard (permissions, a plain-http intranet origin), the link is selected so that Ctrl+C
 * copies it, and the status says that instead.
 */
export async function copyLinkOf(field: HTMLInputElement | HTMLAnchorElement, status: HTMLElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(field instanceof HTMLInputElement ? field.value : field.href);
    status.textContent = "已复制。";
  } catch {
    if (field instanceof HTMLInputElement) {
      field.focus();
      field.select();
    } else {
      const range = document.createRange();
      range.selectNodeContents(field);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
    }
    status.textContent = "请按 Ctrl+C 复制已选中的链接。";
  }
}
