import { Hono } from 'hono'
import * as z from 'zod'
import { recordAudit } from '../db/audit.js'
import { articleState, closeArticle, reopenArticle, type ArticleState } from '../db/closing.js'
import type { AppEnv } from '../env.js'
import { AppError } from '../errors.js'
import { validate } from './validate.js'

const articleKey = z
  .string({ error: 'The article is missing.' })
  .trim()
  .min(1, 'The article is missing.')
  .max(512, 'The article key can be at most 512 characters.')
const body = z.object({ article: articleKey })

const view = (s: ArticleState, now: Date) => ({
  article: s.article,
  closed: s.closedAt !== null && s.closedAt <= now,
  closedAt: s.closedAt?.toISOString() ?? null,
  approvedCount: s.approvedCount,
})

/** Closing and reopening comments on an article (mounted under /api/admin, behind the moderator guard). */
export const adminArticleRoutes = new Hono<AppEnv>()
  // GET /api/admin/articles?article=KEY — whether it is open, and when it closes (auto-close may set a future time).
  .get('/', validate('query', body), async (c) => {
    const state = await articleState(c.var.deps.db, c.req.valid('query').article)
    if (!state) throw new AppError('not_found', 'No article has this key.')
    return c.json(view(state, c.var.deps.clock()))
  })
  // POST /api/admin/articles/close — new comments on the article get 403 comments_closed.
  .post('/close', validate('json', body), async (c) => {
    const { db, clock } = c.var.deps
    const now = clock()
    const state = await closeArticle(db, c.req.valid('json').article, now)
    await recordAudit(db, [{ moderator: c.var.moderator, action: 'article.close', article: state.article, detail: { wasClosed: state.wasClosed } }])
    return c.json(view(state, now))
  })
  // POST /api/admin/articles/reopen — open again, and never auto-closed afterwards.
  .post('/reopen', validate('json', body), async (c) => {
    const { db, clock } = c.var.deps
    const now = clock()
    const state = await reopenArticle(db, c.req.valid('json').article, now)
    if (!state) throw new AppError('not_found', 'No article has this key.')
    await recordAudit(db, [{ moderator: c.var.moderator, action: 'article.reopen', article: state.article, detail: { wasClosed: state.wasClosed } }])
    return c.json(view(state, now))
  })
