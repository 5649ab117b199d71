/**
 * Copies a link shown in a read-only text field to the clipboard, saying so in `status`. Where the
 * browser refuses the clipboard (permissions, a plain-http intranet origin), the link is selected so that
 * Ctrl+C copies it, and the status says that instead.
 */
export async function copyLinkOf(field: HTMLInputElement, status: HTMLElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(field.value);
    status.textContent = "已复制。";
  } catch {
    field.focus();
    field.select();
    status.textContent = "请按 Ctrl+C 复制已选中的链接。";
  }
}
