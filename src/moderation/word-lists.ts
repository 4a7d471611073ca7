import type { WordListName } from '../db/schema.js'
import { WordSet } from './word-set.js'

/**
 * moderation: a hit holds the comment; disallowed: a hit sends it to spam; profanity: this site's own
 * profane words, on top of the shipped list; allowed: words never read as profanity or as a hold or spam
 * word (a town, a surname).
 */
export type WordLists = { moderation: string[]; disallowed: string[]; profanity: string[]; allowed: string[] }
export type CompiledLists = { moderation: WordSet; disallowed: WordSet; profanity?: WordSet; allowed?: WordSet }
export const LIST_NAMES = ['moderation', 'disallowed', 'profanity', 'allowed'] as const

/** At most this many entries of at most 100 characters each per list. */
export const MAX_WORDS = 2000

/** Where the lists are kept (db/word-lists.ts): every stored list; the missing ones added (a stored one kept); one replaced. */
export interface WordListRows {
  read(): Promise<{ list: WordListName; words: string[] }[]>
  seed(lists: { list: WordListName; words: string[] }[]): Promise<void>
  save(list: WordListName, words: string[]): Promise<void>
}

/**
 * The hold and spam word lists: in the database, seeded from configuration the first time they are read.
 * Compiled sets are cached briefly per process; a replacement on this instance takes effect at once,
 * other instances see it within CACHE_MS.
 */
export class WordListStore {
  static readonly CACHE_MS = 5_000
  private cached: { at: number; lists: CompiledLists; raw: WordLists } | undefined

  constructor(
    private readonly rows: WordListRows,
    private readonly defaults: Pick<WordLists, 'moderation' | 'disallowed'> & Partial<WordLists>,
    private readonly now: () => number = Date.now,
  ) {}

  async read(): Promise<WordLists> {
    return (await this.load()).raw
  }

  async compiled(): Promise<CompiledLists> {
    return (await this.load()).lists
  }

  async replace(lists: Partial<WordLists>): Promise<WordLists> {
    for (const name of LIST_NAMES) {
      const words = lists[name]
      if (words) await this.rows.save(name, clean(words))
    }
    this.cached = undefined
    return this.read()
  }

  private async load() {
    if (this.cached && this.now() - this.cached.at < WordListStore.CACHE_MS) return this.cached
    let rows = await this.rows.read()
    if (rows.length < LIST_NAMES.length) {
      // First use: the configured lists become the stored ones (a list already stored is kept).
      await this.rows.seed(LIST_NAMES.map((list) => ({ list, words: clean(this.defaults[list] ?? []) })))
      rows = await this.rows.read()
    }
    const raw: WordLists = { moderation: [], disallowed: [], profanity: [], allowed: [] }
    for (const r of rows) raw[r.list] = r.words
    // An allowed word is never a hold or spam word either.
    const allowed = new WordSet(raw.allowed)
    const keep = (words: string[]) => (allowed.size === 0 ? words : words.filter((w) => allowed.findIn(w) === null))
    this.cached = {
      at: this.now(),
      raw,
      lists: {
        moderation: new WordSet(keep(raw.moderation)),
        disallowed: new WordSet(keep(raw.disallowed)),
        profanity: new WordSet(keep(raw.profanity)),
        allowed,
      },
    }
    return this.cached
  }
}

/** Trimmed, unique, non-empty entries; case kept as the moderator wrote it. */
function clean(words: readonly string[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const w of words) {
    const t = w.trim().slice(0, 100)
    if (t === '' || seen.has(t.toLowerCase())) continue
    seen.add(t.toLowerCase())
    out.push(t)
  }
  return out.slice(0, MAX_WORDS)
}
