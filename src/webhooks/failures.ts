import type { Kysely } from 'kysely'
import type { Database, WebhookFailureRow } from '../db/schema.js'
import type { DeliveryResult } from './deliver.js'

/** Failures older than this are dropped when a new one is written (they are rare; no timer needed). */
export const FAILURE_KEEP_DAYS = 30

export type FailedDelivery = {
  deliveryId: string
  event: string
  commentId: number | null
  /** WEBHOOK_URL; only its origin is stored. */
  url: string
  result: DeliveryResult
}

/** scheme://host[:port] of the receiver: no user info, path or query, where webhook URLs keep their secrets. */
export function targetOf(url: string): string {
  try {
    return new URL(url).origin.slice(0, 300)
  } catch {
    return 'invalid URL'
  }
}

/** Keeps a delivery that failed for good, so moderators can see it; prunes failures past FAILURE_KEEP_DAYS. */
export async function recordFailure(db: Kysely<Database>, failure: FailedDelivery, now: Date): Promise<void> {
  const { result } = failure
  await db
    .insertInto('webhook_failures')
    .values({
      delivery_id: failure.deliveryId.slice(0, 100),
      event: failure.event.slice(0, 100),
      comment_id: failure.commentId,
      target: targetOf(failure.url),
      status: result.status,
      error: result.error ?? 'http_status',
      attempts: result.attempts,
      first_attempt_at: result.firstAttemptAt,
      failed_at: now,
    })
    .execute()
  const cutoff = new Date(now.getTime() - FAILURE_KEEP_DAYS * 86_400_000)
  await db.deleteFrom('webhook_failures').where('failed_at', '<', cutoff).execute()
}

/** Failed deliveries, newest first, before an id cursor. */
export async function listFailures(db: Kysely<Database>, page: { beforeId: number | null; limit: number }): Promise<WebhookFailureRow[]> {
  let query = db.selectFrom('webhook_failures').selectAll()
  if (page.beforeId !== null) query = query.where('id', '<', page.beforeId)
  return query.orderBy('id', 'desc').limit(page.limit).execute()
}

export async function findFailure(db: Kysely<Database>, id: number): Promise<WebhookFailureRow | undefined> {
  return db.selectFrom('webhook_failures').selectAll().where('id', '=', id).executeTakeFirst()
}

/**
 * A resend failed too: its attempts are added to the row's (first_attempt_at stays the first ever), and the last
 * status, error, receiver and time replace the old ones. Undefined when the row was dismissed meanwhile.
 */
export async function updateFailure(
  db: Kysely<Database>,
  id: number,
  resend: { url: string; result: DeliveryResult },
  now: Date,
): Promise<WebhookFailureRow | undefined> {
  const { result } = resend
  return db
    .updateTable('webhook_failures')
    .set((eb) => ({
      attempts: eb('attempts', '+', result.attempts),
      status: result.status,
      error: result.error ?? 'http_status',
      target: targetOf(resend.url),
      failed_at: now,
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

/** Removes one failure (dismissed, or delivered at last); the row, or undefined when there was none with this id. */
export async function removeFailure(db: Kysely<Database>, id: number): Promise<WebhookFailureRow | undefined> {
  return db.deleteFrom('webhook_failures').where('id', '=', id).returningAll().executeTakeFirst()
}

/** Dismisses every failure, or those whose id is at most `upTo` (the newest a moderator saw); how many went. */
export async function clearFailures(db: Kysely<Database>, upTo: number | null = null): Promise<number> {
  let query = db.deleteFrom('webhook_failures')
  if (upTo !== null) query = query.where('id', '<=', upTo)
  const result = await query.executeTakeFirst()
  return Number(result.numDeletedRows)
}
