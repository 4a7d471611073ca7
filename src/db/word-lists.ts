import type { Kysely } from 'kysely'
import type { WordListRows } from '../moderation/word-lists.js'
import type { Database } from './schema.js'

/** The moderators' word lists in the word_lists table, one row per list (moderation/word-lists.ts reads and caches them). */
export function postgresWordLists(db: Kysely<Database>): WordListRows {
  return {
    read: () => db.selectFrom('word_lists').select(['list', 'words']).execute(),
    async seed(lists) {
      const updated_at = new Date()
      await db
        .insertInto('word_lists')
        .values(lists.map(({ list, words }) => ({ list, words, updated_at })))
        .onConflict((oc) => oc.column('list').doNothing())
        .execute()
    },
    async save(list, words) {
      const updated_at = new Date()
      await db
        .insertInto('word_lists')
        .values({ list, words, updated_at })
        .onConflict((oc) => oc.column('list').doUpdateSet({ words, updated_at }))
        .execute()
    },
  }
}
