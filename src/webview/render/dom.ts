// The panel's DOM helpers: an element with properties and children, typed by its tag; writes that skip what is
// already there.
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

/** Sets `el`'s data attributes to `values`, writing only those that differ (a write of the same value is still an
 *  attribute change to style, mutation observers and the accessibility tree; a streaming reply paints many times). */
export function setData(el: HTMLElement, values: Record<string, string>): void {
  for (const [k, v] of Object.entries(values)) if (el.dataset[k] !== v) el.dataset[k] = v;
}

/** Sets `el`'s text unless it already is `text` (a new text node otherwise, laid out again). */
export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
