type Attr = string | number | boolean | null | undefined
type Child = Node | string | null | undefined | false

/** Builds an element; strings become text nodes, so nothing passed here is ever parsed as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, Attr> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === true) el.setAttribute(name, '')
    else if (value != null && value !== false) el.setAttribute(name, String(value))
  }
  for (const child of children) if (child) el.append(child)
  return el
}

export const isWebUrl = (url: string | null | undefined): url is string => !!url && /^https?:\/\//i.test(url)

/**
 * The server's `html` is already escaped; as a second wall, it is parsed in an inert document
 * (no scripts run, no images load) and rebuilt keeping only text, <p>, <br> and http(s) links.
 */
export function safeHtml(html: string): DocumentFragment {
  const out = document.createDocumentFragment()
  const copy = (from: Node, to: Node): void => {
    for (const node of Array.from(from.childNodes)) {
      if (node.nodeType === 3) {
        to.appendChild(document.createTextNode(node.textContent ?? ''))
      } else if (node instanceof Element) {
        const tag = node.tagName
        const href = node.getAttribute('href')
        const el =
          tag === 'P' || tag === 'BR'
            ? document.createElement(tag)
            : tag === 'A' && isWebUrl(href)
              ? h('a', { href, rel: 'nofollow ugc noopener' })
              : null
        if (el) to.appendChild(el)
        copy(node, el ?? to)
      }
    }
  }
  copy(new DOMParser().parseFromString(html, 'text/html').body, out)
  return out
}
