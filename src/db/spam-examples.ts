import { sql, type Kysely } from 'kysely'
import { keyedMessageKey, legacyMessageKey, type ModelStore, type ModelVersion, type StoredExample } from '../moderation/learner.js'
import type { Keys } from '../privacy/keys.js'
import type { Database, SpamLabel } from './schema.js'

/** The moderators' decisions in PostgreSQL, one row per message, versioned by the single spam_model row. */
export class PostgresModelStore implements ModelStore {
  constructor(private readonly db: Kysely<Database>) {}

  async version(): Promise<ModelVersion> {
    const row = await this.db.selectFrom('spam_model').select(['seq', 'reset_seq']).where('id', '=', 1).executeTakeFirst()
    return { seq: Number(row?.seq ?? 0), resetSeq: Number(row?.reset_seq ?? 0) }
  }

  async examples(afterSeq: number, limit: number): Promise<StoredExample[]> {
    const rows = await this.db
      .selectFrom('spam_examples')
      .select(['label', 'features', 'seq'])
      .where('seq', '>', afterSeq)
      .where('label', 'is not', null)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute()
    return rows.reverse().map((r) => ({ label: r.label!, features: Int32Array.from(r.features), seq: Number(r.seq) }))
  }

  async relabel(key: string, feats: Int32Array, label: SpamLabel | null): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // The version row's lock orders all decisions: seq numbers are handed out one at a time.
      const model = await trx.selectFrom('spam_model').select(['seq', 'reset_seq']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow()
      const before = await trx.selectFrom('spam_examples').select('label').where('key', '=', key).executeTakeFirst()
      const old = before?.label ?? null
      if (old === label) return
      const seq = Number(model.seq) + 1
      const features = sql<number[]>`${Array.from(feats)}::int[]`
      await trx
        .insertInto('spam_examples')
        .values({ key, label, features, seq })
        .onConflict((oc) => oc.column('key').doUpdateSet({ label, features, seq }))
        .execute()
      const resetSeq = old === null ? Number(model.reset_seq) : seq
      await trx.updateTable('spam_model').set({ seq, reset_seq: resetSeq }).where('id', '=', 1).execute()
    })
  }
}

/**
 * Erasure: removes the spam model's examples of these messages (keyed and legacy keys alike), rows and
 * all, so nothing of their text stays in spam_examples; the version moves so every instance retrains
 * without them. Runs in the caller's transaction. Returns how many rows went.
 */
export async function forgetExamples(
  db: Kysely<Database>,
  keys: Keys,
  messages: readonly { author: string; url: string | null; content: string }[],
): Promise<number> {
  if (messages.length === 0) return 0
  const keyed = keyedMessageKey(keys)
  const names = (await Promise.all(messages.map(async (m) => [await keyed(m), await legacyMessageKey(m)]))).flat()
  const deleted = await db.deleteFrom('spam_examples').where('key', 'in', names).executeTakeFirst()
  const n = Number(deleted.numDeletedRows)
  if (n > 0) {
    await db
      .updateTable('spam_model')
      .set((eb) => ({ seq: eb('seq', '+', 1), reset_seq: eb('seq', '+', 1) }))
      .where('id', '=', 1)
      .execute()
  }
  return n
}
