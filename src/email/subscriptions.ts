import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'

/** The link in the confirmation message was used: replies are mailed from now on. False when gone. */
export async function confirmSubscription(db: Kysely<Database>, id: number, now: Date): Promise<{ lang: string } | undefined> {
  const row = await db.selectFrom('email_subscriptions').select(['lang', 'confirmed_at']).where('id', '=', id).executeTakeFirst()
  if (!row) return undefined
  if (row.confirmed_at === null)
    await db.updateTable('email_subscriptions').set({ confirmed_at: now }).where('id', '=', id).where('confirmed_at', 'is', null).execute()
  return { lang: row.lang }
}

export async function subscriptionLang(db: Kysely<Database>, emailHash: string): Promise<string> {
  const row = await db
    .selectFrom('email_subscriptions')
    .select('lang')
    .where('email_hash', '=', emailHash)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.lang ?? 'en'
}

/**
 * Ends an address's subscription to one article, or (everything) all of them and any new one: the address joins
 * the opt-outs. What was queued for it and not sent yet is skipped, in the same transaction.
 */
export async function unsubscribe(db: Kysely<Database>, emailHash: string, scope: { articleId: number } | 'everything', now: Date): Promise<void> {
  await db.transaction().execute(async (tx) => {
    let subs = tx.deleteFrom('email_subscriptions').where('email_hash', '=', emailHash)
    if (scope !== 'everything') subs = subs.where('article_id', '=', scope.articleId)
    const gone = await subs.returning('id').execute()
    if (scope === 'everything') {
      await tx
        .insertInto('email_optouts')
        .values({ email_hash: emailHash })
        .onConflict((oc) => oc.column('email_hash').doNothing())
        .execute()
    }
    let queued = tx
      .updateTable('email_outbox')
      .set({ state: 'skipped', sent_at: now, recipient_enc: null })
      .where('recipient_hash', '=', emailHash)
      .where('state', 'in', ['queued', 'failed'])
    if (scope !== 'everything') {
      const ids = gone.map((g) => g.id)
      if (ids.length === 0) return
      queued = queued.where('subscription_id', 'in', ids)
    }
    await queued.execute()
  })
}
