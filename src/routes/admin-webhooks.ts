import { Hono } from 'hono'
import * as z from 'zod'
import type { WebhookFailureRow } from '../db/schema.js'
import type { AppEnv } from '../env.js'
import { listFailures } from '../webhooks/failures.js'
import { requireModerator } from './admin-auth.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import { validate } from './validate.js'

const query = z.object({
  limit: z.coerce.number({ error: 'The limit must be a number.' }).int().min(1).max(200).default(50),
  cursor: z.string().optional(),
})

/** The one shape a stored failure takes in an answer: what went wrong, never what was sent. */
function toFailedDelivery(row: WebhookFailureRow) {
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

/** Webhook deliveries that failed for good (mounted under /api/admin). */
export const adminWebhookRoutes = new Hono<AppEnv>()
  .use('/webhooks/*', requireModerator)
  // GET /api/admin/webhooks/failed — newest first; kept FAILURE_KEEP_DAYS.
  .get('/webhooks/failed', validate('query', query), async (c) => {
    const q = c.req.valid('query')
    const rows = await listFailures(c.var.deps.db, { beforeId: decodeCursor(q.cursor), limit: q.limit + 1 })
    const page = rows.slice(0, q.limit)
    const last = page[page.length - 1]
    return c.json({
      deliveries: page.map(toFailedDelivery),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.id) : null,
    })
  })
