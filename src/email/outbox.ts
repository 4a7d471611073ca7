import { sql, type Kysely, type Transaction } from 'kysely'
import type { EmailConfig } from '../config.js'
import type { Database, EmailOutboxRow, Status } from '../db/schema.js'

type Handle = Kysely<Database> | Transaction<Database>

/** A claimed message is someone's for this long; after a crash mid-send it is due again (same Message-ID). */
export const LEASE_MS = 5 * 60_000
/** Attempts before a message is given up (failed, shown to moderators): with the default 60 s, about 22 hours. */
export const MAX_ATTEMPTS = 7
/** Sent and skipped rows are kept this long (erase and export see them), then pruned by the drain. */
export const KEEP_DAYS = 30

/** When a held comment's message is due: now, or at the next hour or day boundary (UTC) for a digest. */
export function heldDueAt(config: EmailConfig, now: Date): Date {
  if (config.digest === 'off') return now
  const step = config.digest === 'hourly' ? 3_600_000 : 86_400_000
  return new Date(Math.floor(now.getTime() / step) * step + step)
}

/** What a new comment causes, written in the transaction that stores it. */
export type PostedComment = {
  id: number
  articleId: number
  parentId: number | null
  status: Status
  emailHash: string
  emailEnc: string
  /** The reader ticked "notify me"; lang and articleUrl go with their subscription. */
  notify: boolean
  lang: string
  articleUrl: string | null
}

export async function queueForPost(tx: Transaction<Database>, config: EmailConfig, comment: PostedComment, now: Date): Promise<void> {
  if (comment.status === 'pending' && config.moderators.length > 0) {
    await tx
      .insertInto('email_outbox')
      .values({ kind: 'held', comment_id: comment.id, next_attempt_at: heldDueAt(config, now) })
      .execute()
  }
  // Nothing a spam comment asks for is done (and nothing in the answer says so).
  if (comment.notify && comment.status !== 'spam') await subscribe(tx, comment)
  if (comment.status === 'approved') await queueReply(tx, comment.id)
}

/**
 * A subscription waiting for its confirmation, and the message that asks for it. An address that
 * unsubscribed from everything gets nothing; one already subscribed here gets nothing new.
 */
async function subscribe(tx: Transaction<Database>, comment: PostedComment): Promise<void> {
  const optedOut = await tx.selectFrom('email_optouts').select('email_hash').where('email_hash', '=', comment.emailHash).executeTakeFirst()
  if (optedOut) return
  const created = await tx
    .insertInto('email_subscriptions')
    .values({
      email_hash: comment.emailHash,
      email_enc: comment.emailEnc,
      article_id: comment.articleId,
      article_url: comment.articleUrl,
      lang: comment.lang,
      confirmed_at: null,
    })
    .onConflict((oc) => oc.columns(['email_hash', 'article_id']).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!created) return
  await tx
    .insertInto('email_outbox')
    .values({
      kind: 'confirm',
      subscription_id: created.id,
      recipient_enc: comment.emailEnc,
      recipient_hash: comment.emailHash,
      lang: comment.lang,
    })
    .execute()
}

/**
 * A reply was approved: its parent's author hears of it, if they subscribed on this article and confirmed,
 * did not write the reply themselves, and did not unsubscribe from everything. Once per reply.
 */
export async function queueReply(tx: Handle, replyId: number): Promise<void> {
  await sql`
    insert into email_outbox (kind, comment_id, subscription_id, recipient_enc, recipient_hash, lang)
    select 'reply', r.id, s.id, s.email_enc, s.email_hash, s.lang
    from comments r
    join comments p on p.id = r.parent_id
    join email_subscriptions s on s.email_hash = p.email_hash and s.article_id = r.article_id
    where r.id = ${replyId} and r.status = 'approved' and s.confirmed_at is not null
      and r.email_hash <> p.email_hash
      and not exists (select 1 from email_optouts o where o.email_hash = s.email_hash)
    on conflict do nothing`.execute(tx)
}

/**
 * Claims messages that are due, in id order, for LEASE_MS: concurrent drains (instances, a cron and a kick)
 * never claim one message twice. The attempt is counted at the claim, so a crash mid-send counts too.
 */
export async function claimDue(db: Kysely<Database>, now: Date, limit: number): Promise<EmailOutboxRow[]> {
  const leaseEnd = new Date(now.getTime() + LEASE_MS)
  const result = await sql<EmailOutboxRow>`
    update email_outbox set attempts = attempts + 1, next_attempt_at = ${leaseEnd}
    where id in (
      select id from email_outbox
      where state = 'queued' and next_attempt_at <= ${now}
      order by id limit ${limit}
      for update skip locked)
    returning *`.execute(db)
  return result.rows
    .map((row) => ({
      ...row,
      id: Number(row.id),
      attempts: Number(row.attempts),
      comment_id: toId(row.comment_id),
      subscription_id: toId(row.subscription_id),
    }))
    .sort((a, b) => a.id - b.id)
}

const toId = (v: unknown) => (v === null || v === undefined ? null : Number(v))

/** Delivered (or skipped): the reader's address is no longer needed in the row. */
export async function markDone(db: Kysely<Database>, ids: number[], state: 'sent' | 'skipped', now: Date): Promise<void> {
  if (ids.length === 0) return
  await db.updateTable('email_outbox').set({ state, sent_at: now, recipient_enc: null, last_error: null }).where('id', 'in', ids).execute()
}

/** A failed attempt: retried after retrySeconds × 4^(attempts − 1), or given up after MAX_ATTEMPTS or a permanent refusal. */
export async function markFailed(
  db: Kysely<Database>,
  rows: Pick<EmailOutboxRow, 'id' | 'attempts'>[],
  failure: { error: string; permanent: boolean },
  config: EmailConfig,
  now: Date,
): Promise<'retry' | 'failed'> {
  const attempts = Math.max(...rows.map((r) => r.attempts))
  const giveUp = failure.permanent || attempts >= MAX_ATTEMPTS
  const next = new Date(now.getTime() + config.retrySeconds * 1000 * 4 ** (attempts - 1))
  await db
    .updateTable('email_outbox')
    .set(giveUp ? { state: 'failed', last_error: failure.error.slice(0, 200) } : { next_attempt_at: next, last_error: failure.error.slice(0, 200) })
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .execute()
  return giveUp ? 'failed' : 'retry'
}

export async function pruneDone(db: Kysely<Database>, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - KEEP_DAYS * 86_400_000)
  await db.deleteFrom('email_outbox').where('state', 'in', ['sent', 'skipped']).where('created_at', '<', cutoff).execute()
}

/** Messages given up, newest first, for moderators (no address: the comment id says what it was about). */
export async function listFailed(db: Kysely<Database>, limit: number): Promise<EmailOutboxRow[]> {
  return db.selectFrom('email_outbox').selectAll().where('state', '=', 'failed').orderBy('id', 'desc').limit(limit).execute()
}

/** A moderator asks for one more try: the message is due now, with its attempts counted afresh. */
export async function requeueFailed(db: Kysely<Database>, id: number, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('email_outbox')
    .set({ state: 'queued', attempts: 0, next_attempt_at: now })
    .where('id', '=', id)
    .where('state', '=', 'failed')
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

export async function dismissFailed(db: Kysely<Database>, id: number): Promise<boolean> {
  const row = await db.deleteFrom('email_outbox').where('id', '=', id).where('state', '=', 'failed').returning('id').executeTakeFirst()
  return row !== undefined
}
