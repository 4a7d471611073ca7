import { Hono } from 'hono'
import * as z from 'zod'
import { readArticles } from '../cache/public-reads.js'
import type { AppEnv } from '../env.js'
import { validate } from './validate.js'

const articleKey = z.string().trim().min(1, 'An article key cannot be empty.').max(512, 'An article key can be at most 512 characters.')
const countsQuery = z.object({
  article: z
    .union([articleKey, z.array(articleKey)], { error: 'Name at least one article.' })
    .transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
    .pipe(z.array(z.string()).min(1, 'Name at least one article.').max(100, 'Ask for at most 100 articles at once.')),
})

// GET /api/counts — approved comments per article, for up to 100 articles in one query.
export const countRoutes = new Hono<AppEnv>().get('/', validate('query', countsQuery), async (c) => {
  const { article } = c.req.valid('query')
  c.header('Cache-Control', 'no-cache')
  const entries = await readArticles(c.var.deps, article)
  const counts: Record<string, number> = {}
  for (const key of article) counts[key] = entries.get(key)?.article?.approvedCount ?? 0
  return c.json({ counts })
})
