/**
 * The one DOM helper of the site's pages (first written for the coverage-gap page): data values only ever become text nodes or attribute values
 * (never markup), and elements are made directly (a few thousand table cells per view change, so no
 * template parsing).
 */

export type Child = Node | string | number | null | undefined | false;
/** Event listeners by event name. */
export type Listeners = Partial<Record<keyof HTMLElementEventMap, (event: Event) => void>>;
export type Props = {
  class?: string | null;
  on?: Listeners;
  [attribute: string]: string | number | boolean | null | undefined | Listeners;
};

/** `h("td", {class: "num", title: "…"}, "1,234")`: attributes set as attributes, children as text or nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: (Child | readonly Child[])[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "on") {
      for (const [type, listener] of Object.entries(value as Listeners)) node.addEventListener(type, listener as EventListener);
    } else if (name === "class") node.className = String(value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

/** Appends children (a list of children in place), strings and numbers as text nodes; no copy of the list is made. */
export function append(parent: Node, children: readonly (Child | readonly Child[])[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child as readonly Child[]);
    else parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : (child as Node));
  }
}

/** Replaces an element's content. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** True for a plain left click that a page may handle itself (not one that opens a new tab or window). */
export function isPlainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
