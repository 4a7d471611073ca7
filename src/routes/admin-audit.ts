import { Hono } from 'hono'
import * as z from 'zod'
import { listAudit } from '../db/audit.js'
import type { AppEnv } from '../env.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import { validate } from './validate.js'
import { articleKey, cursor, idString, limit } from './fields.js'

export const auditQuery = z.object({
  moderator: z.string().trim().min(1).max(64).optional(),
  article: articleKey.optional(),
  comment: idString('A comment id.', 'The comment id is not valid.').optional(),
  limit: limit(50),
  cursor,
})

// GET /api/admin/audit — every moderator action, newest first: who, what, when, from which status to which.
export const adminAuditRoutes = new Hono<AppEnv>().get('/', validate('query', auditQuery), async (c) => {
  const q = c.req.valid('query')
  const rows = await listAudit(c.var.deps.db, {
    beforeId: decodeCursor(q.cursor),
    limit: q.limit + 1,
    moderator: q.moderator,
    commentId: q.comment === undefined ? undefined : Number(q.comment),
    article: q.article,
  })
  const page = rows.slice(0, q.limit)
  const last = page[page.length - 1]
  return c.json({
    entries: page.map((row) => ({
      id: String(row.id),
      at: row.at.toISOString(),
      moderator: row.moderator,
      action: row.action,
      commentId: row.comment_id === null ? null : String(row.comment_id),
      article: row.article,
      from: row.from_status,
      to: row.to_status,
      detail: row.detail ?? null,
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.id) : null,
  })
})
