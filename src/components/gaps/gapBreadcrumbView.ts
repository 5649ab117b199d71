import {h, isPlainClick, replace} from "../shared/dom.js";
import {levelPlural} from "./gapText.js";
import type {GapActions, GapPart} from "./gapState.js";

/** The breadcrumb (层级导航): each unit above the scope is a link to its view; the level listed ends it. */
export function GapBreadcrumbView(actions: GapActions): GapPart {
  const element = h("nav", {class: "gap-breadcrumb", "aria-label": "层级导航"});
  return {
    element,
    update({scope, view}) {
      const items = scope.map((item, i) => {
        if (i === scope.length - 1) return h("li", {}, h("span", {"aria-current": "page"}, item.unit_name));
        const click = (event: Event) => {
          if (!isPlainClick(event as MouseEvent)) return;
          event.preventDefault();
          actions.drill(item.unit_code, item.level);
        };
        return h("li", {}, h("a", {href: actions.drillHref(item.unit_code, item.level) ?? "?", "data-unit": item.unit_code, on: {click}}, item.unit_name));
      });
      replace(element, h("ol", {}, ...items, h("li", {class: "gap-breadcrumb-level"}, levelPlural[view.level])));
    },
  };
}
