import { Hono } from 'hono'
import * as z from 'zod'
import { findComment } from '../db/comments.js'
import { authorHistories, countByStatus, listQueue, type QueueCursor } from '../db/queue.js'
import type { AppEnv } from '../env.js'
import { AppError } from '../errors.js'
import { emailHash } from '../privacy/email.js'
import { toAdminComment } from '../views/comment.js'
import { adminArticleRoutes } from './admin-articles.js'
import { adminAuditRoutes } from './admin-audit.js'
import { requireModerator } from './admin-auth.js'
import { decide, remove, restore } from './admin-decide.js'
import { adminMeRoutes } from './admin-me.js'
import { personalDataRoutes } from './admin-personal-data.js'
import { adminReplyRoutes } from './admin-reply.js'
import { adminWebhookRoutes } from './admin-webhooks.js'
import { adminWordRoutes } from './admin-words.js'
import { adminEmailRoutes } from './admin-email.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import { ID, pathId } from './ids.js'
import { validate } from './validate.js'
import { articleKey, cursor, limit, status as statusField } from './fields.js'

export const queueQuery = z.object({
  status: statusField.optional(),
  article: articleKey.optional(),
  reason: z.string().trim().min(1).max(200).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(['newest', 'score'], { error: 'Sort must be newest or score.' }).default('newest'),
  limit: limit(50),
  cursor,
})
export const patchBody = z.object({ status: statusField })
export const bulkBody = z
  .object({
    ids: z
      .array(z.union([z.string().regex(ID), z.number().int().positive()]), { error: 'Give the ids as a list.' })
      .min(1, 'Give at least one id.')
      .max(200, 'At most 200 ids at a time.'),
    status: statusField.optional(),
    action: z.enum(['delete', 'restore'], { error: 'Action must be delete or restore.' }).optional(),
  })
  .refine((b) => (b.status === undefined) !== (b.action === undefined), {
    error: 'Give either a status or an action (delete, restore).',
    path: ['status'],
  })

const notFound = () => new AppError('not_found', 'No comment has this id.')
const parseId = (raw: string) => pathId(raw, notFound)

/** Score-sorted pages continue after a (score, id) pair; newest-first pages after an id. */
function encodeScoreCursor(score: number | null, id: number): string {
  return btoa(`s${score ?? -1}:${id}`).replace(/=+$/, '')
}
function decodeQueueCursor(cursor: string | undefined, sort: 'newest' | 'score'): QueueCursor | null {
  if (sort === 'newest') {
    const id = decodeCursor(cursor)
    return id === null ? null : { id }
  }
  if (cursor === undefined || cursor === '') return null
  let decoded = ''
  try {
    decoded = atob(cursor)
  } catch {
    // falls through to the error below
  }
  const match = /^s(-?\d(?:\.\d+)?(?:e-?\d+)?):(\d+)$/.exec(decoded)
  if (!match || !ID.test(match[2]!) || Math.abs(Number(match[1])) > 1)
    throw new AppError('validation_failed', 'The cursor is not valid.', { fields: { cursor: 'The cursor is not valid.' } })
  return { score: Number(match[1]), id: Number(match[2]) }
}

/**
 * The moderator API, mounted once at /api/admin: one guard in front of every surface, so it runs once per
 * request (a named moderator's token is looked up once), and no surface can be mounted without it.
 */
export const adminRoutes = new Hono<AppEnv>()
  .use(requireModerator)
  // GET /api/admin/stats — comments per status for the console's tabs, the site its article paths live on, and
  // the thresholds the console words reasons and colours scores by.
  .get('/stats', async (c) => {
    const { config } = c.var.deps
    const site = config.allowedOrigins.find((o) => o !== '*') ?? null
    return c.json({
      counts: await countByStatus(c.var.deps.db),
      site,
      spamThreshold: config.checks.spamThreshold,
      formTokenMinSeconds: config.checks.formTokenMinSeconds,
    })
  })
  .get('/comments', validate('query', queueQuery), async (c) => {
    const { db, keys } = c.var.deps
    const q = c.req.valid('query')
    const rows = await listQueue(db, {
      status: q.status,
      articleKey: q.article,
      reason: q.reason,
      text: q.q,
      emailHash: q.q?.includes('@') ? await emailHash(keys, q.q) : undefined,
      sort: q.sort,
      after: decodeQueueCursor(q.cursor, q.sort),
      limit: q.limit + 1,
    })
    const page = rows.slice(0, q.limit)
    const last = page[page.length - 1]
    const more = rows.length > q.limit && last
    // Context at a glance: each article's page title and URL, and each author's other comments per status.
    const histories = await authorHistories(
      db,
      page.map((row) => row.email_hash),
    )
    const history = Object.fromEntries(
      page.map((row) => {
        const counts = { ...(histories.get(row.email_hash) ?? { pending: 0, approved: 0, spam: 0, trash: 0 }) }
        counts[row.status] = Math.max(0, counts[row.status] - 1) // this comment itself is not its author's history
        return [String(row.id), counts]
      }),
    )
    const articles = Object.fromEntries(page.map((row) => [row.article, { title: row.article_title, url: row.article_url }]))
    return c.json({
      comments: await Promise.all(page.map((row) => toAdminComment(row, keys, c.var.baseUrl))),
      nextCursor: more ? (q.sort === 'score' ? encodeScoreCursor(last.spam_score, last.id) : encodeCursor(last.id)) : null,
      articles,
      history,
    })
  })
  // POST /api/admin/comments/bulk — one status (or delete/restore) for many comments; an audit row each.
  .post('/comments/bulk', validate('json', bulkBody), async (c) => {
    const { deps, moderator } = c.var
    const body = c.req.valid('json')
    const ids = [...new Set(body.ids.map(Number))]
    const changed = []
    const deleted: string[] = []
    const notFoundIds: string[] = []
    const skipped: string[] = []
    for (const id of ids) {
      if (body.action === 'delete') {
        if (await remove(deps, moderator, id)) deleted.push(String(id))
        else notFoundIds.push(String(id))
        continue
      }
      try {
        const row = body.action === 'restore' ? await restore(deps, moderator, id) : await decide(deps, moderator, id, body.status!)
        if (row) changed.push(row)
        else notFoundIds.push(String(id))
      } catch (error) {
        // A comment that is not in spam or trash has nothing to restore; the others still are.
        if (error instanceof AppError && error.code === 'validation_failed') skipped.push(String(id))
        else throw error
      }
    }
    return c.json({
      comments: await Promise.all(changed.map((row) => toAdminComment(row, deps.keys, c.var.baseUrl))),
      deleted,
      notFound: notFoundIds,
      skipped,
    })
  })
  .get('/comments/:id', async (c) => {
    const { db, keys } = c.var.deps
    const row = await findComment(db, parseId(c.req.param('id')))
    if (!row) throw notFound()
    return c.json(await toAdminComment(row, keys, c.var.baseUrl))
  })
  // PATCH /api/admin/comments/:id — a moderator's decision; the learner hears of it, the audit log keeps it.
  .patch('/comments/:id', validate('json', patchBody), async (c) => {
    const row = await decide(c.var.deps, c.var.moderator, parseId(c.req.param('id')), c.req.valid('json').status)
    if (!row) throw notFound()
    return c.json(await toAdminComment(row, c.var.deps.keys, c.var.baseUrl))
  })
  // POST /api/admin/comments/:id/restore — undo: a comment in spam or trash goes back to its previous status.
  .post('/comments/:id/restore', async (c) => {
    const row = await restore(c.var.deps, c.var.moderator, parseId(c.req.param('id')))
    if (!row) throw notFound()
    return c.json(await toAdminComment(row, c.var.deps.keys, c.var.baseUrl))
  })
  .delete('/comments/:id', async (c) => {
    if (!(await remove(c.var.deps, c.var.moderator, parseId(c.req.param('id'))))) throw notFound()
    return c.body(null, 204)
  })
  .route('/comments', adminReplyRoutes)
  .route('/me', adminMeRoutes)
  .route('/articles', adminArticleRoutes)
  .route('/audit', adminAuditRoutes)
  .route('/personal-data', personalDataRoutes)
  .route('/words', adminWordRoutes)
  .route('/webhooks', adminWebhookRoutes)
  .route('/email', adminEmailRoutes)
