import { Hono } from 'hono'
import type { FailedEmailsAnswer } from '../api/answers.js'
import type { EmailOutboxRow } from '../db/schema.js'
import { dismissFailed, listFailed, requeueFailed } from '../email/outbox.js'
import type { AppEnv } from '../env.js'
import { AppError } from '../errors.js'
import { pathId } from './ids.js'

/** A message given up, as moderators see it: what it was about and what went wrong; never the address or text. */
function toFailedEmail(row: EmailOutboxRow): FailedEmailsAnswer['failures'][number] {
  return {
    id: String(row.id),
    kind: row.kind,
    commentId: row.comment_id === null ? null : String(row.comment_id),
    attempts: row.attempts,
    error: row.last_error,
    createdAt: row.created_at.toISOString(),
  }
}

const notFound = () => new AppError('not_found', 'No failed email has this id.')

/** Email that could not be delivered after its retries (mounted at /api/admin/email). */
export const adminEmailRoutes = new Hono<AppEnv>()
  // GET /api/admin/email/failed — the newest 100; `enabled` says whether SMTP_URL is set at all.
  .get('/failed', async (c) => {
    const rows = await listFailed(c.var.deps.db, 100)
    return c.json({ enabled: c.var.deps.config.email !== undefined, failures: rows.map(toFailedEmail) })
  })
  // POST /api/admin/email/failed/:id/retry — due again now, with a fresh count of attempts.
  .post('/failed/:id/retry', async (c) => {
    const { db, clock, kickOutbox, defer } = c.var.deps
    if (!(await requeueFailed(db, pathId(c.req.param('id'), notFound), clock()))) throw notFound()
    if (kickOutbox && defer) defer(kickOutbox())
    else if (kickOutbox) void kickOutbox()
    return c.json({ queued: true }, 202)
  })
  .delete('/failed/:id', async (c) => {
    if (!(await dismissFailed(c.var.deps.db, pathId(c.req.param('id'), notFound)))) throw notFound()
    return c.body(null, 204)
  })
