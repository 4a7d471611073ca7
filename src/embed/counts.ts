// Comment counts on pages that list articles: <a href="/post#comments" data-parley-count></a>, or
// <span data-parley-count="KEY"></span>, filled with "3 comments" (in the element's data-lang, else the page's).
import { fetchCounts } from './api.js'
import { loadStrings, pickLanguage } from './strings.js'

/** The API allows this many articles per counts request. */
const PER_REQUEST = 100
/** Query bytes per request: long keys (non-ASCII ones triple when encoded) must stay under servers' header limits (Node's is 16 KiB). */
const QUERY_BYTES = 8000

/** An element's article: its data-parley-count, else (on a link) the path of the page it links to. */
function keyOf(el: HTMLElement): string {
  const href = el instanceof HTMLAnchorElement ? el.href : ''
  return (el.dataset.parleyCount?.trim() || (href ? new URL(href).pathname : '')).slice(0, 512)
}

/** Fills every count element not asked for yet; an element whose count cannot be had keeps the text it had. */
export async function fillCounts(origin: string): Promise<void> {
  const byBase = new Map<string, Map<string, HTMLElement[]>>()
  // data-parley-asked is set before the request, so a second copy of embed.js on the page asks for none of them again.
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-parley-count]:not([data-parley-asked])'))) {
    const key = keyOf(el)
    if (!key) continue
    el.dataset.parleyAsked = ''
    const base = (el.dataset.parleyUrl || origin).replace(/\/+$/, '')
    const keys = byBase.get(base) ?? new Map<string, HTMLElement[]>()
    byBase.set(base, keys)
    keys.set(key, [...(keys.get(key) ?? []), el])
  }
  const requests: Promise<void>[] = []
  for (const [base, keys] of byBase) {
    let chunk: string[] = []
    let bytes = 0
    const send = (articles: string[]) =>
      requests.push(
        fetchCounts(base, articles)
          .then(async (counts) => {
            for (const key of articles) {
              const n = counts[key]
              if (typeof n !== 'number') continue
              for (const el of keys.get(key)!) {
                // The element's data-lang, else the page's; each language's table is fetched once.
                const t = await loadStrings(base, pickLanguage(el.dataset.lang, document.documentElement.lang))
                el.textContent = n === 0 ? t('count0') : t('count', { n })
                el.dataset.parleyTotal = String(n)
              }
            }
          })
          // No answer, a refusal or an answer without counts: the elements keep their text.
          .catch(() => {}),
      )
    for (const key of keys.keys()) {
      const size = encodeURIComponent(key).length + 9 // &article=
      if (chunk.length === PER_REQUEST || (chunk.length && bytes + size > QUERY_BYTES)) {
        send(chunk)
        chunk = []
        bytes = 0
      }
      chunk.push(key)
      bytes += size
    }
    if (chunk.length) send(chunk)
  }
  await Promise.all(requests)
}
