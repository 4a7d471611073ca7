import { Hono } from 'hono'
import * as z from 'zod'
import { recordAudit } from '../db/audit.js'
import { erasePersonalData, exportPersonalData } from '../db/personal-data.js'
import type { AppEnv } from '../env.js'
import { emailLimitRows } from '../moderation/rate-limit.js'
import { emailHash } from '../privacy/email.js'
import { validate } from './validate.js'

export const personalDataQuery = z.object({
  email: z
    .string({ error: 'The email address is missing.' })
    .trim()
    .min(3, 'The email address is missing.')
    .max(254, 'An email address has at most 254 characters.')
    .regex(/^[^\s@]+@[^\s@]+$/, 'This is not an email address.'),
})

/**
 * Personal data requests, by email address (found through its keyed hash, as every lookup is).
 * The audit log records that a request happened and how many comments it covered, never the address.
 */
export const personalDataRoutes = new Hono<AppEnv>()
  // GET /api/admin/personal-data?email=… — everything held about the address, as JSON.
  .get('/', validate('query', personalDataQuery), async (c) => {
    const { db, keys } = c.var.deps
    const { email } = c.req.valid('query')
    const data = await exportPersonalData(db, keys, email, await emailHash(keys, email))
    await recordAudit(db, [{ moderator: c.var.moderator, action: 'personal_data.export', detail: { comments: data.comments.length } }])
    c.header('Content-Disposition', 'attachment; filename="parley-personal-data.json"')
    return c.json({ exportedAt: c.var.deps.clock().toISOString(), ...data })
  })
  // DELETE /api/admin/personal-data?email=… — erases it: anonymized or deleted, as ERASE_MODE says.
  .delete('/', validate('query', personalDataQuery), async (c) => {
    const { db, keys, config } = c.var.deps
    const { email } = c.req.valid('query')
    const mode = config.eraseMode
    const result = await erasePersonalData(db, keys, await emailHash(keys, email), mode, await emailLimitRows(keys, email))
    await recordAudit(db, [
      { moderator: c.var.moderator, action: 'personal_data.erase', detail: { mode, comments: result.ids.length, articles: result.articles.length } },
      // One row per comment, so the comment's history shows what happened to it.
      ...result.ids.map((id) => ({ moderator: c.var.moderator, action: `personal_data.${mode}`, commentId: id })),
    ])
    return c.json({ mode, comments: result.ids.map(String), articles: result.articles })
  })
