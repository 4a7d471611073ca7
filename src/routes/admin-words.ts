import { Hono } from 'hono'
import * as z from 'zod'
import type { AppEnv } from '../env.js'
import { AppError } from '../errors.js'
import { MAX_WORDS, type WordListStore } from '../moderation/word-lists.js'
import { validate } from './validate.js'

const words = z
  .array(z.string().max(100, 'Each word or phrase can be at most 100 characters.'), { error: 'A list of words is expected.' })
  .max(MAX_WORDS, `At most ${MAX_WORDS} words per list.`)
export const wordListsBody = z
  .object({ moderation: words.optional(), disallowed: words.optional(), profanity: words.optional(), allowed: words.optional() })
  .refine(
    (b) => b.moderation !== undefined || b.disallowed !== undefined || b.profanity !== undefined || b.allowed !== undefined,
    'Send at least one of moderation, disallowed, profanity and allowed.',
  )

function store(c: { var: AppEnv['Variables'] }): WordListStore {
  const lists = c.var.deps.moderation.wordLists
  if (!lists) throw new AppError('not_found', 'Word lists are not available here.')
  return lists
}

/** The hold ("moderation"), spam ("disallowed"), profanity and allowed word lists (mounted at /api/admin/words); a replacement takes effect at once. */
export const adminWordRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json(await store(c).read()))
  // PUT /api/admin/words — replaces the lists given (either or both), whole.
  .put('/', validate('json', wordListsBody), async (c) => c.json(await store(c).replace(c.req.valid('json'))))
