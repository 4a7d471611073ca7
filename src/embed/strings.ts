// The words the embed shows: English bundled, every other language's table fetched from Parley when a
// page asks for it (one table per language in src/embed/lang/). Plurals, numbers and lists follow Intl.
import { en, type Strings } from './lang/en.js'

export type { Strings }

/** Languages with a table (src/embed/lang/index.ts holds the same list; a test keeps them equal). */
export const LANGUAGES = ['ar', 'de', 'en', 'es', 'fr', 'it', 'ja', 'nl', 'pl', 'pt', 'ru', 'zh']
const RTL = ['ar', 'he', 'fa', 'ur']

export type Translate = ((key: keyof Strings, vars?: Record<string, string | number>) => string) & {
  lang: string
  dir: 'ltr' | 'rtl'
}

/** The first of the candidates (data-lang, then <html lang>) that has a table; else English. */
export function pickLanguage(...candidates: (string | null | undefined)[]): string {
  for (const tag of candidates) {
    const code = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? ''
    if (LANGUAGES.includes(code)) return code
  }
  return 'en'
}

/** A translator over a table: `{n}` picks the plural form Intl.PluralRules names and is written as the language writes numbers. */
export function translator(lang: string, table: Strings = en): Translate {
  const plural = new Intl.PluralRules(lang)
  const number = new Intl.NumberFormat(lang)
  const t = (key: keyof Strings, vars: Record<string, string | number> = {}) => {
    const entry = table[key] ?? en[key]
    const text = typeof entry === 'string' ? entry : (entry[plural.select(Number(vars.n))] ?? entry.other)
    return text.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = vars[name]
      return typeof value === 'number' ? number.format(value) : (value ?? '')
    })
  }
  return Object.assign(t, { lang, dir: RTL.includes(lang) ? ('rtl' as const) : ('ltr' as const) })
}

const loaded = new Map<string, Promise<Translate>>()

/** The translator for a language, its table fetched once per page; English when it cannot be had. */
export function loadStrings(base: string, lang: string): Promise<Translate> {
  const key = `${base} ${lang}`
  let found = loaded.get(key)
  if (!found) {
    found =
      lang === 'en'
        ? Promise.resolve(translator('en'))
        : fetch(`${base}/embed/lang/${lang}.json`)
            .then((res) => (res.ok ? (res.json() as Promise<Strings>) : Promise.reject(new Error())))
            .then((table) => translator(lang, table))
            .catch(() => translator('en'))
    loaded.set(key, found)
  }
  return found
}
