import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import type { Counts, Label, ModelStore } from './classifier.js'

/** The moderation tables (migration 0002), typed here where they are used. */
export type ModerationTables = {
  word_lists: { list: WordListName; words: string[]; updated_at: Date }
  spam_features: { feature: string; spam: number; ham: number }
  spam_learned: { key: string; label: Label; learned_at: Date }
}
export type WordListName = 'moderation' | 'disallowed'

export function moderationDb(db: Kysely<Database>): Kysely<Database & ModerationTables> {
  return db.withTables<ModerationTables>()
}

/** The feature row that holds how many spam and ham messages were learned. */
const TOTALS = ''

/** The learned model in PostgreSQL: one row per feature; a decision is relearned in one transaction. */
export class PostgresModelStore implements ModelStore {
  private readonly db: Kysely<Database & ModerationTables>
  constructor(db: Kysely<Database>) {
    this.db = moderationDb(db)
  }

  async lookup(feats: readonly string[]) {
    const rows = await this.db
      .selectFrom('spam_features')
      .select(['feature', 'spam', 'ham'])
      .where('feature', '=', sql<string>`any(${[TOTALS, ...feats]}::text[])`)
      .execute()
    const counts = new Map<string, Counts>()
    let totals: Counts = { spam: 0, ham: 0 }
    for (const r of rows) {
      const c = { spam: Number(r.spam), ham: Number(r.ham) }
      if (r.feature === TOTALS) totals = c
      else counts.set(r.feature, c)
    }
    return { totals, counts }
  }

  async relabel(key: string, feats: readonly string[], label: Label | null): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // Row lock on the message's learned label: two moderators deciding at once cannot both count it.
      const before = await trx.selectFrom('spam_learned').select('label').where('key', '=', key).forUpdate().executeTakeFirst()
      const old = before?.label ?? null
      if (old === label) return
      const all = [TOTALS, ...feats]
      if (old) await bump(trx, all, old, -1)
      if (label) await bump(trx, all, label, 1)
      if (label === null) await trx.deleteFrom('spam_learned').where('key', '=', key).execute()
      else
        await trx
          .insertInto('spam_learned')
          .values({ key, label, learned_at: new Date() })
          .onConflict((oc) => oc.column('key').doUpdateSet({ label, learned_at: new Date() }))
          .execute()
    })
  }
}

async function bump(db: Kysely<Database & ModerationTables>, feats: string[], label: Label, delta: 1 | -1) {
  const spam = label === 'spam' ? delta : 0
  const ham = label === 'ham' ? delta : 0
  await sql`
    insert into spam_features (feature, spam, ham)
    select f, greatest(0, ${spam}::int), greatest(0, ${ham}::int) from unnest(${feats}::text[]) as f
    on conflict (feature) do update set
      spam = greatest(0, spam_features.spam + ${spam}::int),
      ham = greatest(0, spam_features.ham + ${ham}::int)`.execute(db)
}
