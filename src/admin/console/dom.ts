// The embed's DOM helpers (h: strings become text nodes; safeHtml: the second wall for server HTML), and the
// console's own small ones.
export { h, safeHtml } from '../../embed/dom.js'

/** An element of the console page; the page (src/admin/page.ts) has every id asked for here. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id)
  if (!el) throw new Error(`The console page has no #${id}`)
  return el as T
}

/** Adds a listener and returns the element, so a built element can be handed on as it is made. */
export function on<E extends HTMLElement, K extends keyof HTMLElementEventMap>(el: E, type: K, listener: (event: HTMLElementEventMap[K]) => void): E {
  el.addEventListener(type, listener)
  return el
}

/** The status line: what the last action did (focusable, for where focus goes when its element is gone). */
export function say(text: string): void {
  byId('status').textContent = text
}
