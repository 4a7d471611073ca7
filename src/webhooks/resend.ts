import { findComment } from '../db/comments.js'
import type { WebhookFailureRow } from '../db/schema.js'
import type { Deps } from '../env.js'
import { AppError } from '../errors.js'
import type { DeliveryResult } from './deliver.js'
import { removeFailure, updateFailure } from './failures.js'
import { HELD_EVENT, sendHeld, webhookTarget, type RetryOptions } from './held.js'

export type Resent = {
  result: DeliveryResult
  /** The failure as it stands after a failed resend; undefined once delivered (the row is removed) or if dismissed meanwhile. */
  failure: WebhookFailureRow | undefined
}

/**
 * A moderator's resend of a failed delivery. The payload was never stored, so it is built again from the
 * comment as it is now, by the same builder and delivery as a first announcement (signing, retries, the 25 s
 * budget), under the failed delivery's id, and only while the comment is still pending. Awaited in the request, on
 * Workers too (no waitUntil needed).
 */
export async function resendFailure(deps: Deps, failure: WebhookFailureRow, retry: RetryOptions = {}): Promise<Resent> {
  const target = webhookTarget(deps.config)
  if (!target) throw new AppError('webhooks_off', 'Webhooks are not configured (WEBHOOK_URL and WEBHOOK_SECRET), so nothing can be resent.')
  if (failure.event !== HELD_EVENT) throw new AppError('not_resendable', `Parley cannot build a "${failure.event}" event again.`)
  const row = failure.comment_id === null ? undefined : await findComment(deps.db, failure.comment_id)
  if (!row) throw new AppError('comment_gone', 'The comment this delivery was about has been deleted, so there is nothing to resend.')
  // The event says "held" and carries one-click links (approve, spam, trash) for 72 h: for a comment decided since,
  // they could undo the decision (approve one back out of spam). Only a comment still pending is announced again.
  if (row.status !== 'pending') {
    throw new AppError(
      'comment_decided',
      `Comment ${row.id} is ${row.status} now, no longer held for a moderator, so it is not announced again. Dismiss this failure instead.`,
    )
  }

  const { result } = await sendHeld(deps, row, deps.clock(), { ...retry, ...target }, failure.delivery_id)
  if (result.delivered) {
    await removeFailure(deps.db, failure.id)
    return { result, failure: undefined }
  }
  return { result, failure: await updateFailure(deps.db, failure.id, { url: target.url, result }, deps.clock()) }
}
