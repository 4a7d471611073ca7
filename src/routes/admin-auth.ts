import { createMiddleware } from 'hono/factory'
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import { ENV_MODERATOR, moderatorForToken } from '../db/moderators.js'
import type { AppEnv, Deps } from '../env.js'
import { AppError } from '../errors.js'
import { keyedHash } from '../privacy/email.js'
import { limitPrefix } from '../privacy/ip.js'
import { clientIp } from '../http/request-header.js'

/** Wrong tokens one client (IPv4 address or IPv6 /64) may present per window (ADMIN_AUTH_FAILURES) before it must wait. */
const AUTH_WINDOW_SECONDS = 600
const AUTH_BLOCK_SECONDS = 900

/**
 * Failed sign-ins per client, per app (one per process; per isolate on Workers, where it only slows an
 * attacker down). Only requests that present a token count: a missing header is not a guess.
 */
const throttles = new WeakMap<Deps, RateLimiterMemory>()
function throttleOf(deps: Deps): RateLimiterMemory {
  let throttle = throttles.get(deps)
  if (!throttle) {
    throttle = new RateLimiterMemory({
      keyPrefix: 'auth',
      points: deps.config.checks.adminAuthFailures,
      duration: AUTH_WINDOW_SECONDS,
      blockDuration: AUTH_BLOCK_SECONDS,
    })
    throttles.set(deps, throttle)
  }
  return throttle
}

const tooMany = (ms: number) => {
  const seconds = String(Math.max(1, Math.ceil(ms / 1000)))
  return new AppError('rate_limited', 'Too many wrong moderator tokens from this address. Please try again later.', {
    headers: { 'Retry-After': seconds },
  })
}

/**
 * Moderator API guard: `Authorization: Bearer TOKEN`. ADMIN_TOKEN is the moderator "admin"
 * (compared as keyed hashes, so timing says nothing about it); any other token must be a named,
 * unrevoked moderator's, found by the hash that is all the database keeps of it. A client that has
 * presented too many wrong tokens is refused (429) even with a right one until its block ends, so
 * guessing gets no answer at all.
 */
export const requireModerator = createMiddleware<AppEnv>(async (c, next) => {
  const { keys, config, db } = c.var.deps
  const header = c.req.header('Authorization') ?? ''
  const match = /^Bearer\s+(\S{1,256})\s*$/i.exec(header)
  if (match) {
    const throttle = throttleOf(c.var.deps)
    const ip = clientIp(c)
    const client = (ip && limitPrefix(ip)) ?? 'unknown'
    const record = await throttle.get(client)
    if (record && record.consumedPoints > c.var.deps.config.checks.adminAuthFailures) throw tooMany(record.msBeforeNext)
    const token = match[1]!
    const [given, expected] = await Promise.all([keyedHash(keys, 'token', token), keyedHash(keys, 'token', config.adminToken)])
    const name = given === expected ? ENV_MODERATOR : await moderatorForToken(db, token)
    if (name) {
      c.set('moderator', name)
      c.header('Cache-Control', 'no-store')
      return next()
    }
    try {
      await throttle.consume(client)
    } catch (error) {
      if (error instanceof RateLimiterRes) throw tooMany(error.msBeforeNext)
      throw error
    }
  }
  c.header('WWW-Authenticate', 'Bearer realm="parley"')
  throw new AppError('unauthorized', 'A valid moderator token is required.')
})
