import {h} from "./dom.js";

/**
 * A file input with the page's own words. The browser's file button names itself and the chosen files
 * in the browser's UI language ("Choose Files", "No file chosen"), not the page's: the input stays in
 * the page, reachable by keyboard and screen readers, but out of sight (style.css, .file-pick), and a
 * button-like label and a line of text say it in Chinese.
 */
export function filePicker(input: HTMLInputElement, label: string): {element: HTMLElement; chosen: HTMLElement} {
  const chosen = h("span", {class: "file-chosen muted", "data-testid": `${input.dataset.testid ?? "file"}-chosen`, "aria-live": "polite"}, "未选择文件");
  input.addEventListener("change", () => {
    const names = [...(input.files ?? [])].map((f) => f.name);
    if (names.length) chosen.textContent = `已选择：${names.join("、")}`;
  });
  return {element: h("span", {class: "file-picker"}, h("label", {class: "file-pick"}, label, input), chosen), chosen};
}
