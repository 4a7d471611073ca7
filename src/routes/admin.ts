import { Hono } from 'hono'
import * as z from 'zod'
import { deleteComment, findComment, listForModeration, setStatus } from '../db/comments.js'
import { statuses } from '../db/schema.js'
import type { AppEnv } from '../env.js'
import { AppError } from '../errors.js'
import { toAdminComment } from '../views/comment.js'
import { requireModerator } from './admin-auth.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import { validate } from './validate.js'

const statusField = z.enum(statuses, { error: 'Status must be one of pending, approved, spam, trash.' })
const listQuery = z.object({
  status: statusField.optional(),
  article: z.string().trim().min(1).max(512).optional(),
  limit: z.coerce.number({ error: 'The limit must be a number.' }).int().min(1).max(200).default(50),
  cursor: z.string().optional(),
})
const patchBody = z.object({ status: statusField })

function parseId(raw: string): number {
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new AppError('not_found', 'No comment has this id.')
  return Number(raw)
}

export const adminRoutes = new Hono<AppEnv>()
  .use(requireModerator)
  .get('/comments', validate('query', listQuery), async (c) => {
    const { db, keys } = c.var.deps
    const q = c.req.valid('query')
    const rows = await listForModeration(db, {
      status: q.status,
      articleKey: q.article,
      beforeId: decodeCursor(q.cursor),
      limit: q.limit + 1,
    })
    const page = rows.slice(0, q.limit)
    const last = page[page.length - 1]
    return c.json({
      comments: await Promise.all(page.map((row) => toAdminComment(row, keys, c.var.baseUrl))),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.id) : null,
    })
  })
  .get('/comments/:id', async (c) => {
    const { db, keys } = c.var.deps
    const row = await findComment(db, parseId(c.req.param('id')))
    if (!row) throw new AppError('not_found', 'No comment has this id.')
    return c.json(await toAdminComment(row, keys, c.var.baseUrl))
  })
  // PATCH /api/admin/comments/:id — a moderator's decision; the learner hears of it.
  .patch('/comments/:id', validate('json', patchBody), async (c) => {
    const { db, keys, moderation } = c.var.deps
    const id = parseId(c.req.param('id'))
    const { status } = c.req.valid('json')
    const from = await setStatus(db, id, status)
    if (from === undefined) throw new AppError('not_found', 'No comment has this id.')
    const row = await findComment(db, id)
    if (!row) throw new AppError('not_found', 'No comment has this id.')
    if (from !== status && moderation.learn) {
      await moderation.learn({ content: row.content, author: row.author, url: row.url, from, to: status })
    }
    return c.json(await toAdminComment(row, keys, c.var.baseUrl))
  })
  .delete('/comments/:id', async (c) => {
    const removed = await deleteComment(c.var.deps.db, parseId(c.req.param('id')))
    if (!removed) throw new AppError('not_found', 'No comment has this id.')
    return c.body(null, 204)
  })
