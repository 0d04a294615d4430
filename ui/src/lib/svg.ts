/**
 * Sanitises chart SVG before it is inserted inline.
 *
 * Contract: the markup comes from our own plotters renderer, but it is still treated as
 * untrusted: only an `<svg>` root survives; scripts, foreignObject, event-handler attributes
 * and non-fragment links are removed. Returns "" for anything that does not parse as SVG.
 */
const FORBIDDEN = ["script", "foreignObject", "iframe", "object", "embed", "style"];

export function sanitizeSvg(markup: string | null | undefined): string {
  if (!markup) return "";
  const doc = new DOMParser().parseFromString(markup, "image/svg+xml");
  const root = doc.documentElement;
  if (!root || root.nodeName.toLowerCase() !== "svg" || doc.getElementsByTagName("parsererror").length) {
    return "";
  }
  for (const tag of FORBIDDEN) {
    for (const el of Array.from(root.getElementsByTagName(tag))) el.remove();
  }
  for (const el of [root, ...Array.from(root.getElementsByTagName("*"))]) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim().toLowerCase();
      if (name.startsWith("on")) el.removeAttribute(attr.name);
      else if ((name === "href" || name === "xlink:href") && !value.startsWith("#")) {
        el.removeAttribute(attr.name);
      }
    }
  }
  // Scale to the container: keep the drawing's own size as the viewBox.
  const w = root.getAttribute("width");
  const h = root.getAttribute("height");
  if (!root.getAttribute("viewBox") && w && h) root.setAttribute("viewBox", `0 0 ${parseFloat(w)} ${parseFloat(h)}`);
  root.removeAttribute("width");
  root.removeAttribute("height");
  root.setAttribute("preserveAspectRatio", "xMidYMid meet");
  return new XMLSerializer().serializeToString(root);
}
