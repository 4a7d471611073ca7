import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.js'
import { AppError } from '../errors.js'
import { keyedHash } from '../privacy/email.js'

/**
 * Moderator API guard: `Authorization: Bearer TOKEN`. Tokens are compared as keyed hashes,
 * so the comparison's timing says nothing about the token.
 */
export const requireModerator = createMiddleware<AppEnv>(async (c, next) => {
  const { keys, config } = c.var.deps
  const header = c.req.header('Authorization') ?? ''
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (match) {
    const [given, expected] = await Promise.all([
      keyedHash(keys, 'token', match[1]!),
      keyedHash(keys, 'token', config.adminToken),
    ])
    if (given === expected) {
      c.set('moderator', 'admin')
      return next()
    }
  }
  c.header('WWW-Authenticate', 'Bearer realm="parley"')
  throw new AppError('unauthorized', 'A valid moderator token is required.')
})
