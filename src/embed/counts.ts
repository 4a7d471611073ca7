// Comment counts on pages that list articles: <a href="/post#comments" data-parley-count></a>, or
// <span data-parley-count="KEY"></span>, filled with "3 comments" (in the element's data-lang).
import { fetchCounts } from './api.js'
import { strings } from './strings.js'

/** The API allows this many articles per counts request. */
const PER_REQUEST = 100

/** An element's article: its data-parley-count, else (on a link) the path of the page it links to. */
function keyOf(el: HTMLElement): string {
  const href = el instanceof HTMLAnchorElement ? el.href : ''
  return (el.dataset.parleyCount?.trim() || (href ? new URL(href).pathname : '')).slice(0, 512)
}

/** Fills every count element not filled yet; an element whose count cannot be had keeps the text it had. */
export async function fillCounts(origin: string): Promise<void> {
  const byBase = new Map<string, Map<string, HTMLElement[]>>()
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-parley-count]'))) {
    const key = keyOf(el)
    if (!key || el.dataset.parleyTotal) continue
    const base = (el.dataset.parleyUrl || origin).replace(/\/+$/, '')
    const keys = byBase.get(base) ?? new Map<string, HTMLElement[]>()
    byBase.set(base, keys)
    keys.set(key, [...(keys.get(key) ?? []), el])
  }
  const requests: Promise<void>[] = []
  for (const [base, keys] of byBase) {
    const all = [...keys.keys()]
    for (let i = 0; i < all.length; i += PER_REQUEST) {
      const chunk = all.slice(i, i + PER_REQUEST)
      requests.push(
        fetchCounts(base, chunk).then(
          (counts) => {
            for (const key of chunk) {
              const n = counts[key]
              if (typeof n !== 'number') continue
              for (const el of keys.get(key)!) {
                const t = strings(el.dataset.lang || 'en')
                el.textContent = n === 0 ? t('count0') : n === 1 ? t('count1') : t('countN', { n })
                el.dataset.parleyTotal = String(n)
              }
            }
          },
          () => {},
        ),
      )
    }
  }
  await Promise.all(requests)
}
