import { Hono } from 'hono'
import type { FailedDeliveryAnswer } from '../api/answers.js'
import * as z from 'zod'
import { recordAudit } from '../db/audit.js'
import type { WebhookFailureRow } from '../db/schema.js'
import type { AppEnv } from '../env.js'
import { AppError } from '../errors.js'
import { clearFailures, findFailure, listFailures, removeFailure } from '../webhooks/failures.js'
import { resendFailure } from '../webhooks/resend.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import { ID, pathId } from './ids.js'
import { validate } from './validate.js'
import { cursor, limit } from './fields.js'

export const failuresQuery = z.object({ limit: limit(50), cursor })
export const dismissAllQuery = z.object({
  upTo: z.string().regex(ID, 'upTo must be the id of a failed delivery (the highest one you saw).').optional(),
})

/** The one shape a stored failure takes in an answer: what went wrong, never what was sent. */
function toFailedDelivery(row: WebhookFailureRow): FailedDeliveryAnswer {
  return {
    id: String(row.id),
    deliveryId: row.delivery_id,
    event: row.event,
    commentId: row.comment_id === null ? null : String(row.comment_id),
    target: row.target,
    status: row.status,
    error: row.error,
    attempts: row.attempts,
    firstAttemptAt: row.first_attempt_at.toISOString(),
    failedAt: row.failed_at.toISOString(),
  }
}

const notFound = () => new AppError('not_found', 'No failed delivery has this id.')
const parseId = (raw: string) => pathId(raw, notFound)

/** Webhook deliveries that failed for good (mounted at /api/admin/webhooks). */
export const adminWebhookRoutes = new Hono<AppEnv>()
  // GET /api/admin/webhooks/failed — newest first; kept FAILURE_KEEP_DAYS.
  .get('/failed', validate('query', failuresQuery), async (c) => {
    const q = c.req.valid('query')
    const rows = await listFailures(c.var.deps.db, { beforeId: decodeCursor(q.cursor), limit: q.limit + 1 })
    const page = rows.slice(0, q.limit)
    const last = page[page.length - 1]
    return c.json({
      deliveries: page.map(toFailedDelivery),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.id) : null,
    })
  })
  // POST /api/admin/webhooks/failed/:id/resend — built again from the comment as it is now and delivered in the
  // request (retries included, up to 25 s). 200 either way: `delivered` says how it went, `failure` what is kept.
  .post('/failed/:id/resend', async (c) => {
    const { deps, moderator } = c.var
    const row = await findFailure(deps.db, parseId(c.req.param('id')))
    if (!row) throw notFound()
    const { result, failure } = await resendFailure(deps, row)
    const { delivered, attempts, status, error } = result
    await recordAudit(deps.db, [
      { moderator, action: 'webhook.resend', commentId: row.comment_id, detail: { deliveryId: row.delivery_id, delivered, attempts, status } },
    ])
    return c.json({ delivered, deliveryId: row.delivery_id, attempts, status, error, failure: failure ? toFailedDelivery(failure) : null })
  })
  // DELETE /api/admin/webhooks/failed/:id — dismiss one: the moderator has seen it (nothing is sent).
  .delete('/failed/:id', async (c) => {
    const { deps, moderator } = c.var
    const row = await removeFailure(deps.db, parseId(c.req.param('id')))
    if (!row) throw notFound()
    await recordAudit(deps.db, [{ moderator, action: 'webhook.dismiss', commentId: row.comment_id, detail: { deliveryId: row.delivery_id } }])
    return c.body(null, 204)
  })
  // DELETE /api/admin/webhooks/failed[?upTo=ID] — dismiss every failed delivery, or (upTo: the highest id the
  // moderator's list showed) only those, so a failure recorded after the list was loaded is not dismissed unseen.
  .delete('/failed', validate('query', dismissAllQuery), async (c) => {
    const { deps, moderator } = c.var
    const { upTo } = c.req.valid('query')
    const dismissed = await clearFailures(deps.db, upTo === undefined ? null : Number(upTo))
    await recordAudit(deps.db, [{ moderator, action: 'webhook.dismiss_all', detail: { dismissed, ...(upTo ? { upTo } : {}) } }])
    return c.body(null, 204)
  })
