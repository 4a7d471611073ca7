import type { Kysely } from 'kysely'
import { decryptEmail, encryptEmail, keyedHash } from '../privacy/email.js'
import type { Keys } from '../privacy/keys.js'
import { forgetExamples } from './spam-examples.js'
import { touchArticle } from './articles.js'
import { commentsWithArticle, subscriptionsWithArticle } from './comments.js'
import type { PersonalDataAnswer } from '../api/answers.js'
import type { Database } from './schema.js'

export const ANONYMOUS = 'Anonymous'

/**
 * What Parley holds about one email address: its comments, with everything stored beside them, and its email
 * subscriptions, messages and opt-out. The shape is the API's export answer (api/answers.ts) without its time.
 */
export type PersonalData = Omit<PersonalDataAnswer, 'exportedAt'>

export async function exportPersonalData(db: Kysely<Database>, keys: Keys, email: string, hash: string): Promise<PersonalData> {
  const rows = await commentsWithArticle(db).where('comments.email_hash', '=', hash).orderBy('comments.id').execute()
  const [subscriptions, messages, optOut] = await Promise.all([
    subscriptionsWithArticle(db).where('email_subscriptions.email_hash', '=', hash).orderBy('email_subscriptions.id').execute(),
    db.selectFrom('email_outbox').selectAll().where('recipient_hash', '=', hash).orderBy('id').execute(),
    db.selectFrom('email_optouts').select('email_hash').where('email_hash', '=', hash).executeTakeFirst(),
  ])
  return {
    email,
    emailSubscriptions: subscriptions.map((s) => ({
      article: s.article,
      articleUrl: s.article_url,
      lang: s.lang,
      createdAt: s.created_at.toISOString(),
      confirmedAt: s.confirmed_at?.toISOString() ?? null,
    })),
    emailMessages: messages.map((m) => ({
      id: String(m.id),
      kind: m.kind,
      commentId: m.comment_id === null ? null : String(m.comment_id),
      state: m.state,
      attempts: m.attempts,
      createdAt: m.created_at.toISOString(),
      sentAt: m.sent_at?.toISOString() ?? null,
    })),
    emailOptedOut: optOut !== undefined,
    comments: await Promise.all(
      rows.map(async (row) => ({
        id: String(row.id),
        article: row.article,
        parentId: row.parent_id === null ? null : String(row.parent_id),
        status: row.status,
        author: row.author,
        email: await decryptEmail(keys, row.email_enc),
        url: row.url,
        content: row.content,
        ip: row.ip,
        userAgent: row.user_agent,
        reasons: row.reasons,
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
      })),
    ),
  }
}

/**
 * A stand-in for the email hash of an erased comment: 64 characters like a real hash (the column's
 * check), but not hex, so no address can ever hash to it; unique per comment, so erased comments
 * with the same text never collide on the duplicate index.
 */
export const erasedHash = (id: number) => `erased-${String(id).padStart(57, '0')}`

/**
 * Erases an address: `delete` removes its comments (replies move up); `anonymize` keeps the text
 * as "Anonymous" with no email, website, IP or user agent, and an avatar no longer tied to the person.
 * One transaction; the public lists of touched articles change version. Returns the comments affected.
 */
export async function erasePersonalData(
  db: Kysely<Database>,
  keys: Keys,
  hash: string,
  mode: 'anonymize' | 'delete',
  /** The rate limiter's rows for the address (rate-limit.ts emailLimitRows): erased in the same transaction. */
  limitRows: readonly string[] = [],
): Promise<{ ids: number[]; articles: string[] }> {
  const blankEmail = await encryptEmail(keys, '')
  return db.transaction().execute(async (tx) => {
    const rows = await tx
      .selectFrom('comments')
      .innerJoin('articles', 'articles.id', 'comments.article_id')
      .select(['comments.id', 'comments.status', 'comments.article_id', 'articles.key', 'comments.author', 'comments.url', 'comments.content'])
      .where('comments.email_hash', '=', hash)
      .forUpdate()
      .execute()
    const touched = new Map<number, number>()
    for (const row of rows) {
      const approved = row.status === 'approved' ? 1 : 0
      if (mode === 'delete') {
        // The public list changes when the comment was public, or when public replies lose their parent: only
        // then is its version moved (the list's ETag tells nothing of comments that were never public).
        const publicReply = approved
          ? undefined
          : await tx.selectFrom('comments').select('id').where('parent_id', '=', row.id).where('status', '=', 'approved').limit(1).executeTakeFirst()
        await tx.deleteFrom('comments').where('id', '=', row.id).execute()
        if (approved || publicReply) touched.set(row.article_id, (touched.get(row.article_id) ?? 0) - approved)
      } else {
        await tx
          .updateTable('comments')
          .set({
            author: ANONYMOUS,
            url: null,
            email_enc: blankEmail,
            email_hash: erasedHash(row.id),
            avatar: (await keyedHash(keys, 'avatar', `erased:${row.id}`)).slice(0, 20),
            ip: null,
            user_agent: null,
            updated_at: new Date(),
          })
          .where('id', '=', row.id)
          .execute()
        if (approved && !touched.has(row.article_id)) touched.set(row.article_id, 0)
      }
    }
    for (const [articleId, delta] of touched) await touchArticle(tx, articleId, delta)
    // The spam model's examples of these comments (hashed n-grams of name and text) go too (issue 14).
    await forgetExamples(tx, keys, rows)
    // Email: the subscriptions and every message queued, sent or failed for the address (an opt-out too: erased
    // means forgotten, so a later post may ask for notifications again).
    await tx.deleteFrom('email_subscriptions').where('email_hash', '=', hash).execute()
    await tx.deleteFrom('email_outbox').where('recipient_hash', '=', hash).execute()
    await tx.deleteFrom('email_optouts').where('email_hash', '=', hash).execute()
    // The limiter's counters are keyed by the address too; a sweep would get to them only in an hour or more.
    if (limitRows.length > 0) await tx.deleteFrom('rate_limits').where('key', 'in', limitRows).execute()
    return { ids: rows.map((r) => r.id), articles: [...new Set(rows.map((r) => r.key))] }
  })
}
