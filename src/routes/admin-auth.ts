import { createMiddleware } from 'hono/factory'
import { ENV_MODERATOR, moderatorForToken } from '../db/moderators.js'
import type { AppEnv } from '../env.js'
import { AppError } from '../errors.js'
import { keyedHash } from '../privacy/email.js'

/**
 * Moderator API guard: `Authorization: Bearer TOKEN`. ADMIN_TOKEN is the moderator "admin"
 * (compared as keyed hashes, so timing says nothing about it); any other token must be a named,
 * unrevoked moderator's, found by the hash that is all the database keeps of it.
 */
export const requireModerator = createMiddleware<AppEnv>(async (c, next) => {
  const { keys, config, db } = c.var.deps
  const header = c.req.header('Authorization') ?? ''
  const match = /^Bearer\s+(\S{1,256})\s*$/i.exec(header)
  if (match) {
    const token = match[1]!
    const [given, expected] = await Promise.all([
      keyedHash(keys, 'token', token),
      keyedHash(keys, 'token', config.adminToken),
    ])
    const name = given === expected ? ENV_MODERATOR : await moderatorForToken(db, token)
    if (name) {
      c.set('moderator', name)
      c.header('Cache-Control', 'no-store')
      return next()
    }
  }
  c.header('WWW-Authenticate', 'Bearer realm="parley"')
  throw new AppError('unauthorized', 'A valid moderator token is required.')
})
