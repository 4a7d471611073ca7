import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { moderationDb, type WordListName } from './store.js'
import { WordSet } from './word-set.js'

export type WordLists = { moderation: string[]; disallowed: string[] }
export type CompiledLists = { moderation: WordSet; disallowed: WordSet }

/** At most this many entries of at most 100 characters each per list. */
export const MAX_WORDS = 2000

/**
 * The hold and spam word lists: in the database, seeded from configuration the first time they are read.
 * Compiled sets are cached briefly per process; a replacement on this instance takes effect at once,
 * other instances see it within CACHE_MS.
 */
export class WordListStore {
  static readonly CACHE_MS = 5_000
  private cached: { at: number; lists: CompiledLists; raw: WordLists } | undefined

  constructor(
    private readonly db: Kysely<Database>,
    private readonly defaults: WordLists,
    private readonly now: () => number = Date.now,
  ) {}

  async read(): Promise<WordLists> {
    return (await this.load()).raw
  }

  async compiled(): Promise<CompiledLists> {
    return (await this.load()).lists
  }

  async replace(lists: Partial<WordLists>): Promise<WordLists> {
    const db = moderationDb(this.db)
    for (const name of ['moderation', 'disallowed'] as const) {
      const words = lists[name]
      if (!words) continue
      await db
        .insertInto('word_lists')
        .values({ list: name, words: clean(words), updated_at: new Date() })
        .onConflict((oc) => oc.column('list').doUpdateSet({ words: clean(words), updated_at: new Date() }))
        .execute()
    }
    this.cached = undefined
    return this.read()
  }

  private async load() {
    if (this.cached && this.now() - this.cached.at < WordListStore.CACHE_MS) return this.cached
    const db = moderationDb(this.db)
    let rows = await db.selectFrom('word_lists').select(['list', 'words']).execute()
    if (rows.length < 2) {
      // First use: the configured lists become the stored ones (a list already stored is kept).
      const seed = (['moderation', 'disallowed'] as const).map((list: WordListName) => ({
        list,
        words: clean(this.defaults[list]),
        updated_at: new Date(),
      }))
      await db.insertInto('word_lists').values(seed).onConflict((oc) => oc.column('list').doNothing()).execute()
      rows = await db.selectFrom('word_lists').select(['list', 'words']).execute()
    }
    const raw: WordLists = { moderation: [], disallowed: [] }
    for (const r of rows) raw[r.list] = r.words
    this.cached = {
      at: this.now(),
      raw,
      lists: { moderation: new WordSet(raw.moderation), disallowed: new WordSet(raw.disallowed) },
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
