import { Hono } from 'hono'
import type { ArticleStateAnswer } from '../api/answers.js'
import * as z from 'zod'
import { recordAudit } from '../db/audit.js'
import { setArticlePage } from '../db/articles.js'
import { articleState, closeArticle, reopenArticle, type ArticleState } from '../db/closing.js'
import type { AppEnv } from '../env.js'
import { AppError } from '../errors.js'
import { validate } from './validate.js'
import { articleKey } from './fields.js'

export const articleQuery = z.object({ article: articleKey })
export const articlePageBody = z.object({
  article: articleKey,
  title: z
    .string({ error: 'The title must be text, or null.' })
    .trim()
    .min(1, 'The title is empty: send null to clear it.')
    .max(300, 'The title can be at most 300 characters.')
    .nullable()
    .optional(),
  url: z
    .string({ error: 'The URL must be text, or null.' })
    .trim()
    .max(2000, 'The URL can be at most 2,000 characters.')
    .regex(/^https?:\/\/[^\s/]+\S*$/i, 'The URL must be a web address starting with http:// or https://.')
    .nullable()
    .optional(),
})

const view = (s: ArticleState, now: Date): ArticleStateAnswer => ({
  article: s.article,
  closed: s.closedAt !== null && s.closedAt <= now,
  closedAt: s.closedAt?.toISOString() ?? null,
  approvedCount: s.approvedCount,
})

/** Closing and reopening comments on an article (mounted under /api/admin, behind the moderator guard). */
export const adminArticleRoutes = new Hono<AppEnv>()
  // GET /api/admin/articles?article=KEY — whether it is open, and when it closes (auto-close may set a future time).
  .get('/', validate('query', articleQuery), async (c) => {
    const state = await articleState(c.var.deps.db, c.req.valid('query').article)
    if (!state) throw new AppError('not_found', 'No article has this key.')
    return c.json(view(state, c.var.deps.clock()))
  })
  // PATCH /api/admin/articles — a moderator names the article's page (title, URL); readers' posts never overwrite it.
  .patch('/', validate('json', articlePageBody), async (c) => {
    const { article, title, url } = c.req.valid('json')
    const row = await setArticlePage(c.var.deps.db, article, { title, url })
    if (!row) throw new AppError('not_found', 'No article has this key.')
    await recordAudit(c.var.deps.db, [{ moderator: c.var.moderator, action: 'article.page', article, detail: { title: row.title, url: row.url } }])
    return c.json({ article: row.key, title: row.title, url: row.url })
  })
  // POST /api/admin/articles/close — new comments on the article get 403 comments_closed.
  .post('/close', validate('json', articleQuery), async (c) => {
    const { db, clock } = c.var.deps
    const now = clock()
    const state = await closeArticle(db, c.req.valid('json').article, now)
    await recordAudit(db, [{ moderator: c.var.moderator, action: 'article.close', article: state.article, detail: { wasClosed: state.wasClosed } }])
    return c.json(view(state, now))
  })
  // POST /api/admin/articles/reopen — open again, and never auto-closed afterwards.
  .post('/reopen', validate('json', articleQuery), async (c) => {
    const { db, clock } = c.var.deps
    const now = clock()
    const state = await reopenArticle(db, c.req.valid('json').article, now)
    if (!state) throw new AppError('not_found', 'No article has this key.')
    await recordAudit(db, [{ moderator: c.var.moderator, action: 'article.reopen', article: state.article, detail: { wasClosed: state.wasClosed } }])
    return c.json(view(state, now))
  })
