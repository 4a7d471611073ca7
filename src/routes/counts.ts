import { Hono } from 'hono'
import * as z from 'zod'
import { readArticles } from '../cache/public-reads.js'
import type { AppEnv } from '../env.js'
import { countsHeaders, plainJson } from './fast-json.js'
import { validate } from './validate.js'
import { articleKey } from './fields.js'

export const countsQuery = z.object({
  article: z
    .union([articleKey, z.array(articleKey)], { error: 'Name at least one article.' })
    .transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
    .pipe(z.array(z.string()).min(1, 'Name at least one article.').max(100, 'Ask for at most 100 articles at once.')),
})

const queryOf = (url: string) => url.slice(url.indexOf('?') + 1)

// GET /api/counts — approved comments per article, for up to 100 articles in one query.
export const countRoutes = new Hono<AppEnv>().get(
  '/',
  // The same query string always means the same answer until an article changes: serve it whole.
  async (c, next) => {
    const cached = c.get('deps').publicCache?.answer(queryOf(c.req.url), Date.now())
    if (cached === undefined) return next()
    return plainJson(cached, countsHeaders(c.get('requestId'), c.get('corsHeaders')))
  },
  validate('query', countsQuery),
  async (c) => {
    const deps = c.get('deps')
    const { article } = c.req.valid('query')
    const epoch = deps.publicCache?.begin()
    const entries = await readArticles(deps, article)
    const counts: Record<string, number> = {}
    for (const key of article) counts[key] = entries.get(key)?.article?.approvedCount ?? 0
    const body = JSON.stringify({ counts })
    if (epoch !== undefined) deps.publicCache?.setAnswer(queryOf(c.req.url), body, epoch, Date.now())
    return plainJson(body, countsHeaders(c.get('requestId'), c.get('corsHeaders')))
  },
)
