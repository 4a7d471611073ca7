import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import type { Config } from '../config.js'
import type { Logger } from '../env.js'
import { emailLimitKey, keyedHash } from '../privacy/email.js'
import { limitPrefix } from '../privacy/ip.js'
import type { Keys } from '../privacy/keys.js'
import { createOutageLog } from '../outage-log.js'

export type LimitName = 'flood_ip' | 'flood_email' | 'ip_min' | 'ip_hour' | 'email_hour'

/** A post against the limits: allowed, or refused with the seconds to wait and the limit it ran into. */
export type LimitVerdict = { allowed: true } | { allowed: false; limit: LimitName; retryAfterSeconds: number }

/** Counts posts per client and per author and says whether this one may go on; the route decides the answer. */
export interface Limiter {
  consume(key: { ip: string | null; emailHash: string }): Promise<LimitVerdict>
}

/**
 * The keys a post is counted under, as keyed hashes: the client's IPv4 address or IPv6 /64, and the
 * author's mailbox (+tag and Gmail's dots seen through). Null IP: unknown, and the IP rules are skipped.
 */
export async function limitKeys(keys: Keys, ip: string | null, email: string): Promise<{ ip: string | null; emailHash: string }> {
  const prefix = ip === null ? null : limitPrefix(ip)
  const [ipKey, emailKey] = await Promise.all([prefix === null ? null : keyedHash(keys, 'ip', prefix), emailLimitKey(keys, email)])
  return { ip: ipKey, emailHash: emailKey }
}

/** The limiter's row keys for an author (per-email rules), for erasing them with the author's data. */
export async function emailLimitRows(keys: Keys, email: string): Promise<string[]> {
  const key = await emailLimitKey(keys, email)
  return [`flood_email:${key}`, `email_hour:${key}`]
}

/** One rule as rate-limiter-flexible takes it: `points` per `duration` seconds, keys prefixed with its name. */
export type CounterRule = { keyPrefix: LimitName; points: number; duration: number }

/** A shared store's counters, built per rule (db/rate-limits.ts: PostgreSQL), with an occasional clean-up. */
export type Counters = { build(rule: CounterRule): RateLimiterAbstract; sweep?(): void }

/**
 * Where counts live. memory: one process (the embedded default). redis: an ioredis client (REDIS_URL).
 * counters: a store built elsewhere, i.e. PostgreSQL's rate_limits table (db/rate-limits.ts).
 */
export type LimiterStore = 'memory' | { redis: unknown } | { counters: Counters }

type Rule = { name: LimitName; points: number; seconds: number; key: 'ip' | 'email' }

/** The flood rule (one post per FLOOD_SECONDS per IP and per email) and the rate limits (per IP per minute and hour, per email per hour). */
function rulesOf(c: Config['checks']): Rule[] {
  const flood: Rule[] =
    c.floodSeconds > 0
      ? [
          { name: 'flood_ip', points: 1, seconds: c.floodSeconds, key: 'ip' },
          { name: 'flood_email', points: 1, seconds: c.floodSeconds, key: 'email' },
        ]
      : []
  return [
    ...flood,
    { name: 'ip_min', points: c.rateIpPerMinute, seconds: 60, key: 'ip' },
    { name: 'ip_hour', points: c.rateIpPerHour, seconds: 3600, key: 'ip' },
    { name: 'email_hour', points: c.rateEmailPerHour, seconds: 3600, key: 'email' },
  ]
}

const ALLOWED: LimitVerdict = { allowed: true }

/**
 * The limiter over the rules. The IP rules are skipped when the client IP is unknown.
 *
 * Store failure rule: fail open. A broken or hung store (an Error, not a RateLimiterRes) is logged once per
 * outage and the post goes on to the other checks; a comment is still only ever held or sent to spam, never published by it,
 * so an outage of the limiter costs moderators some extra queue, never readers a 500.
 */
export function createLimiter(options: { config: Config; store: LimiterStore; log: Logger }): Limiter {
  const { store } = options
  const limiters = rulesOf(options.config.checks).map((rule) => ({ rule, limiter: build(store, rule) }))
  const counters = typeof store === 'object' && 'counters' in store ? store.counters : undefined

  // Store failure handling: a post waits at most STORE_TIMEOUT_MS for the store; while the store is away,
  // posts skip it (fail open) and one every RETRY_MS tries it again, so a hung store costs one post a
  // second's wait, not every post. The outage is logged when it starts and when it ends, with a count.
  const outage = createOutageLog({ log: options.log, what: 'rate limiter store' })
  let lastTry = 0

  return {
    async consume({ ip, emailHash }) {
      const now = Date.now()
      if (outage.down && now - lastTry < RETRY_MS) {
        outage.failed(undefined)
        return ALLOWED
      }
      lastTry = now
      counters?.sweep?.()
      const active = limiters.filter(({ rule }) => rule.key === 'email' || ip !== null)
      const results = await withinTimeout(active.map(({ rule, limiter }) => limiter.consume(rule.key === 'ip' ? ip! : emailHash)))
      const { verdict, storeError } = verdictOf(results, active)
      if (storeError !== undefined) outage.failed(storeError)
      else outage.ok()
      return verdict
    },
  }
}

/** Settles every call, each failing with a timeout error if the store has not answered within STORE_TIMEOUT_MS. */
async function withinTimeout<T>(calls: Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`rate limiter store did not answer within ${STORE_TIMEOUT_MS} ms`)), STORE_TIMEOUT_MS)
  })
  const results = await Promise.allSettled(calls.map((call) => Promise.race([call, expired])))
  clearTimeout(timer)
  return results
}

/** Refused by the rule with the longest wait, if any (a RateLimiterRes); the first store Error, if any. */
function verdictOf(results: PromiseSettledResult<unknown>[], active: { rule: Rule }[]): { verdict: LimitVerdict; storeError: unknown } {
  let waitMs = 0
  let over: LimitName | undefined
  let storeError: unknown
  for (const [i, r] of results.entries()) {
    if (r.status === 'fulfilled') continue
    if (r.reason instanceof RateLimiterRes) {
      if (r.reason.msBeforeNext >= waitMs) {
        waitMs = r.reason.msBeforeNext
        over = active[i]!.rule.name
      }
    } else {
      storeError ??= r.reason
    }
  }
  const verdict: LimitVerdict =
    over === undefined ? ALLOWED : { allowed: false, limit: over, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) }
  return { verdict, storeError }
}

/** The longest a post waits for the rate-limit store before it is allowed without it. */
export const STORE_TIMEOUT_MS = 1_000
/** While the store is away, how often a post tries it again (the others skip it). */
export const RETRY_MS = 250

function build(store: LimiterStore, rule: Rule): RateLimiterAbstract {
  const base: CounterRule = { keyPrefix: rule.name, points: rule.points, duration: rule.seconds }
  if (store === 'memory') return new RateLimiterMemory(base)
  if ('redis' in store) return new RateLimiterRedis({ ...base, storeClient: store.redis, useRedisPackage: false })
  return store.counters.build(base)
}
