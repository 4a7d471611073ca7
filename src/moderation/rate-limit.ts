import { CompiledQuery, type Kysely } from 'kysely'
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import type { Config } from '../config.js'
import { createBatcher, type BatchScope } from '../batch.js'
import type { Logger } from '../env.js'
import { AppError } from '../errors.js'
import { emailLimitKey, keyedHash } from '../privacy/email.js'
import { limitPrefix } from '../privacy/ip.js'
import type { Keys } from '../privacy/keys.js'
import { createOutageLog } from '../outage-log.js'

/** Counts posts per client and per author; throws AppError('rate_limited') when over a limit. */
export interface Limiter {
  consume(key: { ip: string | null; emailHash: string }): Promise<void>
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

/** No limits at all: for tests of other things. */
export const noLimits: Limiter = { consume: async () => {} }

/** Anything with pg's `query({ text, values })` that answers `{ rows, rowCount }`: a pg Pool or Client. */
export type PgQueryable = { query(q: { text: string; values?: unknown[]; name?: string }): Promise<unknown> }

/**
 * Where counts live. memory: one process (the embedded default). postgres: a pg Pool (Workers through
 * Hyperdrive, Node with DATABASE_URL). kysely: the same table through the app's Kysely handle (any dialect,
 * PGlite included). redis: an ioredis client (REDIS_URL).
 */
export type LimiterStore = 'memory' | { postgres: PgQueryable } | { kysely: Kysely<any> } | { redis: unknown }

export const RATE_LIMIT_TABLE = 'rate_limits'

/** Makes a Kysely handle look like the pg client RateLimiterPostgres expects. */
function kyselyClient(db: Kysely<any>): PgQueryable {
  return {
    async query(q) {
      const result = await db.executeQuery(CompiledQuery.raw(q.text, q.values ?? []))
      return { rows: result.rows, rowCount: result.rows.length || Number(result.numAffectedRows ?? 0) }
    },
  }
}

type Rule = { name: string; points: number; seconds: number; key: 'ip' | 'email' }

/**
 * The flood rule (one post per FLOOD_SECONDS per IP and per email) and the rate limits (per IP per minute
 * and per hour, per email per hour). The IP rules are skipped when the client IP is unknown.
 *
 * Store failure rule: fail open. A broken or hung store (an Error, not a RateLimiterRes) is logged once per
 * outage and the post goes on to the other checks; a comment is still only ever held or sent to spam, never published by it,
 * so an outage of the limiter costs moderators some extra queue, never readers a 500.
 */
export function createLimiter(options: {
  config: Config
  store: LimiterStore
  log: Logger
  /** PostgreSQL stores only: send counter writes in batches (default). Off, each rule is its own query. */
  batch?: boolean
  /** Which calls may share a batch (the Worker: one request's). */
  batchScope?: BatchScope
}): Limiter {
  const c = options.config.checks
  const rules: Rule[] = [
    ...(c.floodSeconds > 0
      ? [
          { name: 'flood_ip', points: 1, seconds: c.floodSeconds, key: 'ip' as const },
          { name: 'flood_email', points: 1, seconds: c.floodSeconds, key: 'email' as const },
        ]
      : []),
    { name: 'ip_min', points: c.rateIpPerMinute, seconds: 60, key: 'ip' },
    { name: 'ip_hour', points: c.rateIpPerHour, seconds: 3600, key: 'ip' },
    { name: 'email_hour', points: c.rateEmailPerHour, seconds: 3600, key: 'email' },
  ]
  const sql = typeof options.store === 'object' && !('redis' in options.store) ? options.store : undefined
  const upsert = sql && options.batch !== false ? batchedUpserts(client(sql), options.batchScope) : undefined
  const limiters = rules.map((rule) => ({ rule, limiter: build(options.store, rule, upsert) }))

  // Store failure handling: a post waits at most STORE_TIMEOUT_MS for the store; while the store is away,
  // posts skip it (fail open) and one every RETRY_MS tries it again, so a hung store costs one post a
  // second's wait, not every post. The outage is logged when it starts and when it ends, with a count.
  const outage = createOutageLog({ log: options.log, what: 'rate limiter store' })
  let lastTry = 0

  return {
    async consume({ ip, emailHash }) {
      const now = Date.now()
      if (outage.down && now - lastTry < RETRY_MS) return outage.failed(undefined)
      lastTry = now
      // Expired rows are reused by their key; now and then sweep the rest (no timers: Workers have none to spare).
      if (sql && Math.random() < SWEEP_CHANCE) sweep(client(sql))
      const active = limiters.filter(({ rule }) => rule.key === 'email' || ip !== null)
      let timer: ReturnType<typeof setTimeout> | undefined
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`rate limiter store did not answer within ${STORE_TIMEOUT_MS} ms`)), STORE_TIMEOUT_MS)
      })
      const results = await Promise.allSettled(
        active.map(({ rule, limiter }) => Promise.race([limiter.consume(rule.key === 'ip' ? ip! : emailHash), expired])),
      )
      clearTimeout(timer)
      let waitMs = 0
      let over: string | undefined
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
      if (storeError !== undefined) outage.failed(storeError)
      else outage.ok()
      if (over === undefined) return
      const seconds = Math.max(1, Math.ceil(waitMs / 1000))
      const message = over.startsWith('flood')
        ? `You are posting too quickly. Please wait ${seconds} seconds before posting again.`
        : `Too many comments in a short time. Please try again in ${seconds} seconds.`
      throw new AppError('rate_limited', message, { headers: { 'Retry-After': String(seconds) } })
    },
  }
}

const SWEEP_CHANCE = 1 / 500
/** The longest a post waits for the rate-limit store before it is allowed without it. */
export const STORE_TIMEOUT_MS = 1_000
/** While the store is away, how often a post tries it again (the others skip it). */
export const RETRY_MS = 250

/**
 * Deletes counters expired over an hour ago, one statement for all rules (they share the table). It
 * skips rows another transaction holds: a sweep that waited on a batch's row lock while holding rows
 * the batch needs would deadlock with it. A failed sweep is left to a later one.
 */
function sweep(db: PgQueryable): void {
  db.query({
    text: `delete from ${RATE_LIMIT_TABLE} where key in (select key from ${RATE_LIMIT_TABLE} where expire < $1 for update skip locked)`,
    values: [Date.now() - 3_600_000],
  }).catch(() => {})
}

const client = (store: { postgres: PgQueryable } | { kysely: Kysely<any> }): PgQueryable =>
  'kysely' in store ? kyselyClient(store.kysely) : store.postgres

function build(store: LimiterStore, rule: Rule, upsert: Upsert | undefined): RateLimiterAbstract {
  const base = { keyPrefix: rule.name, points: rule.points, duration: rule.seconds }
  if (store === 'memory') return new RateLimiterMemory(base)
  if ('redis' in store) return new RateLimiterRedis({ ...base, storeClient: store.redis, useRedisPackage: false })
  const options = {
    ...base,
    storeClient: client(store),
    storeType: 'kysely' in store ? 'client' : 'pool',
    tableName: RATE_LIMIT_TABLE,
    tableCreated: true,
    clearExpiredByTimeout: false,
  }
  return upsert ? new BatchedRateLimiterPostgres(options, upsert) : new RateLimiterPostgres(options)
}

type UpsertRow = { points: number; expire: string | number | null }
/** What RateLimiterPostgres's `_upsert` resolves to, and its `_getRateLimiterRes` reads. */
type UpsertResult = { rows: UpsertRow[] }
type Upsert = (call: { key: string; points: number; expire: number | null }) => Promise<UpsertResult>

/**
 * RateLimiterPostgres with its counter upserts sent in batches: the rules of one post, and of all posts
 * arriving while a batch is in flight, become one statement instead of one each. rate-limiter-flexible
 * still does all the limiting (blocking, results, get/delete/penalty); only `_upsert`, the one store
 * write each consume makes, goes through the batch, with the same semantics as the library's own query
 * (test/rate-limit.test.ts runs the same sequences against both and compares).
 */
class BatchedRateLimiterPostgres extends RateLimiterPostgres {
  constructor(
    options: ConstructorParameters<typeof RateLimiterPostgres>[0],
    private readonly upsert: Upsert,
  ) {
    super(options)
  }

  _upsert(key: string, points: number, msDuration: number, forceExpire = false): Promise<UpsertResult> {
    // set() and block() force an expiry: rare, and left to the library's own query.
    if (forceExpire) {
      const library = RateLimiterPostgres.prototype as unknown as {
        _upsert: (this: unknown, ...args: [string, number, number, boolean]) => Promise<UpsertResult>
      }
      return library._upsert.call(this, key, points, msDuration, forceExpire)
    }
    return this.upsert({ key, points, expire: msDuration > 0 ? Date.now() + msDuration : null })
  }
}

/**
 * One INSERT … ON CONFLICT for a batch of counter increments. A key repeated in the batch is sent once
 * with its points summed, and each call gets back the count as it stood after its own increment; keys
 * are sent sorted so concurrent batches lock rows in one order (no deadlock).
 */
function batchedUpserts(db: PgQueryable, scope: BatchScope | undefined): Upsert {
  const table = RATE_LIMIT_TABLE
  const text = `
    insert into ${table} (key, points, expire)
    select * from unnest($1::varchar[], $2::integer[], $3::bigint[])
    on conflict (key) do update set
      points = case when ${table}.expire <= $4 then excluded.points else ${table}.points + excluded.points end,
      expire = case when ${table}.expire <= $4 then excluded.expire else ${table}.expire end
    returning key, points, expire`
  return createBatcher({
    maxInFlight: 2,
    scope,
    run: async (calls) => {
      const byKey = new Map<string, { points: number; expire: number | null }>()
      for (const call of calls) {
        const seen = byKey.get(call.key)
        if (seen) seen.points += call.points
        else byKey.set(call.key, { points: call.points, expire: call.expire })
      }
      const keys = [...byKey.keys()].sort()
      const send = () =>
        db.query({
          name: `${table}:batch-upsert`,
          text,
          values: [keys, keys.map((k) => byKey.get(k)!.points), keys.map((k) => byKey.get(k)!.expire), Date.now()],
        }) as Promise<{ rows: (UpsertRow & { key: string })[] }>
      // A deadlock victim (40P01) changed nothing: sent once more before the posts fail open.
      const result = await send().catch((error: unknown) => {
        if ((error as { code?: string } | null)?.code === '40P01') return send()
        throw error
      })
      const rows = new Map(result.rows.map((row) => [row.key, row]))
      // Walk back from the last call: each call's count is the total less what later calls of its key added.
      const later = new Map<string, number>()
      const settled = new Array<PromiseSettledResult<UpsertResult>>(calls.length)
      for (let i = calls.length - 1; i >= 0; i--) {
        const call = calls[i]!
        const row = rows.get(call.key)
        const after = later.get(call.key) ?? 0
        later.set(call.key, after + call.points)
        settled[i] = row
          ? { status: 'fulfilled', value: { rows: [{ points: row.points - after, expire: row.expire }] } }
          : { status: 'rejected', reason: new Error('rate limit counter missing from the batch answer') }
      }
      return settled
    },
  })
}
