import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../src/config.js'
import { postgresCounters } from '../src/db/rate-limits.js'
import { createLimiter } from '../src/moderation/rate-limit.js'
import { makeApp, uniqueArticle, uniqueEmail, validComment, ADMIN_TOKEN, SECRET_KEY } from './support/app.js'
import { backends } from './support/db.js'

const limits = (env: Record<string, string>) =>
  parseConfig({
    ADMIN_TOKEN,
    SECRET_KEY,
    FLOOD_SECONDS: '0',
    RATE_IP_PER_MINUTE: '1000',
    RATE_IP_PER_HOUR: '1000',
    RATE_EMAIL_PER_HOUR: '1000',
    ...env,
  })
const ipHeaders = (ip: string) => ({ 'X-Forwarded-For': ip })
// A random /16 per run: counters in a reused test database must not meet a previous run's addresses.
const ipBase = `10.${Math.floor(Math.random() * 256)}`
let ipCounter = 1
const freshIp = () => `${ipBase}.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`

describe.each(backends)('flood and rate limits through the API on $name PostgreSQL', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>
  beforeAll(async () => {
    db = await backend.open()
  })
  it.each([
    ['flood by IP', { FLOOD_SECONDS: '15' }, 'ip'],
    ['flood by email', { FLOOD_SECONDS: '15' }, 'email'],
    ['per IP per minute', { RATE_IP_PER_MINUTE: '2' }, 'ip'],
    ['per email per hour', { RATE_EMAIL_PER_HOUR: '2' }, 'email'],
  ] as [string, Record<string, string>, string][])('%s → 429 rate_limited with Retry-After', async (_label, env, same) => {
    const store = backend.name === 'postgres' ? 'postgres' : 'memory'
    const t = await makeApp(db, { env: { TRUST_PROXY: 'true', RATE_LIMIT_STORE: store, ...env } })
    const article = uniqueArticle('rate')
    const email = uniqueEmail()
    const ip = freshIp()
    const post = () => t.post(validComment(article, same === 'email' ? { email } : {}), ipHeaders(same === 'ip' ? ip : freshIp()))
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < 3; i++) {
      last = await post()
      statuses.push(last.status)
    }
    expect(statuses.slice(0, env.FLOOD_SECONDS ? 1 : 2)).toEqual(env.FLOOD_SECONDS ? [201] : [201, 201])
    expect(statuses[2]).toBe(429)
    // The answer as it was when the limiter threw it itself: the route now builds it from the limiter's verdict.
    const seconds = Number(last!.headers.get('Retry-After'))
    expect(seconds).toBeGreaterThan(0)
    const message = env.FLOOD_SECONDS
      ? `You are posting too quickly. Please wait ${seconds} seconds before posting again.`
      : `Too many comments in a short time. Please try again in ${seconds} seconds.`
    expect(await last!.text()).toBe(JSON.stringify({ error: { code: 'rate_limited', message } }))
    expect(last!.headers.get('Content-Type')).toBe('application/json')
  })

  it('without a known client IP the IP limits are skipped, the email limit still counts', async () => {
    const t = await makeApp(db, { env: { RATE_IP_PER_MINUTE: '1' }, deps: { remoteAddress: () => undefined } })
    const article = uniqueArticle('noip')
    for (let i = 0; i < 3; i++) expect((await t.post(validComment(article))).status).toBe(201)
  })

  it('a broken store is logged and the post goes through (fail open), never a 500', async () => {
    const logs: Record<string, unknown>[] = []
    const broken = {
      query: async () => {
        throw new Error('connection refused')
      },
    }
    const config = limits({ RATE_IP_PER_MINUTE: '1' })
    const limiter = createLimiter({ config, store: { counters: postgresCounters({ postgres: broken }) }, log: (e) => logs.push(e) })
    const t = await makeApp(db, { env: { TRUST_PROXY: 'true' }, deps: { limiter } })
    const ip = freshIp()
    for (let i = 0; i < 2; i++) {
      expect((await t.post(validComment(uniqueArticle('broken')), ipHeaders(ip))).status).toBe(201)
    }
    expect(logs.some((l) => l.level === 'error' && String(l.msg).includes('rate limiter'))).toBe(true)
  })
})

const redisUrl = process.env.TEST_REDIS_URL
describe.skipIf(!redisUrl)('the Redis limiter (TEST_REDIS_URL)', () => {
  it('counts in Redis and answers 429 past the limit', async () => {
    const { Redis } = await import('ioredis')
    const redis = new Redis(redisUrl!, { enableOfflineQueue: false })
    await new Promise((resolve) => redis.once('ready', resolve))
    const limiter = createLimiter({ config: limits({ RATE_EMAIL_PER_HOUR: '2' }), store: { redis }, log: () => {} })
    const key = { ip: null, emailHash: `redis-${crypto.randomUUID()}` }
    expect(await limiter.consume(key)).toEqual({ allowed: true })
    expect(await limiter.consume(key)).toEqual({ allowed: true })
    expect(await limiter.consume(key)).toMatchObject({ allowed: false, limit: 'email_hour' })
    redis.disconnect()
  })
})

describe.each(backends)('the PostgreSQL limiter (rate_limits table) on $name PostgreSQL', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>
  beforeAll(async () => {
    db = await backend.open()
  })

  it('two instances share one count', async () => {
    const config = limits({ RATE_EMAIL_PER_HOUR: '3' })
    const a = createLimiter({ config, store: { counters: postgresCounters({ kysely: db }) }, log: () => {} })
    const b = createLimiter({ config, store: { counters: postgresCounters({ kysely: db }) }, log: () => {} })
    const key = { ip: null, emailHash: `shared-${crypto.randomUUID()}` }
    for (const limiter of [a, b, a]) expect(await limiter.consume(key)).toEqual({ allowed: true })
    expect(await b.consume(key)).toMatchObject({ allowed: false, limit: 'email_hour' })
  })
})

// The batched counter writes (one statement for many consumes) against rate-limiter-flexible's own
// one-query-per-consume path: the same bursts must let the same number of posts through per key.
const stores = [
  ...backends.map((backend) => ({ name: `Kysely on ${backend.name}`, backend, pool: false })),
  ...(process.env.TEST_DATABASE_URL ? [{ name: 'a pg Pool on postgres', backend: backends.find((b) => b.name === 'postgres')!, pool: true }] : []),
]
describe.each(stores)('batched counter writes through $name', ({ backend, pool }) => {
  let db: Awaited<ReturnType<typeof backend.open>>
  let client: pg.Pool | undefined
  beforeAll(async () => {
    db = await backend.open()
    if (pool) client = new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 4 })
  })
  afterAll(async () => {
    await client?.end()
  })
  const store = (options: { batch?: boolean } = {}) => ({ counters: postgresCounters(client ? { postgres: client } : { kysely: db }, options) })

  it('a burst on one key lets exactly the limit through, and says how long to wait', async () => {
    const limiter = createLimiter({ config: limits({ RATE_EMAIL_PER_HOUR: '3' }), store: store(), log: () => {} })
    const key = { ip: null, emailHash: `burst-${crypto.randomUUID()}` }
    const results = await Promise.all(Array.from({ length: 10 }, () => limiter.consume(key)))
    expect(results.filter((r) => r.allowed)).toHaveLength(3)
    const refused = results.filter((r) => !r.allowed)
    expect(refused).toHaveLength(7)
    for (const r of refused) {
      expect(r).toMatchObject({ allowed: false, limit: 'email_hour' })
      const wait = r.retryAfterSeconds
      expect(wait).toBeGreaterThan(3500)
      expect(wait).toBeLessThanOrEqual(3600)
    }
  })

  it('counts as rate-limiter-flexible counts alone, post after post over shared keys', async () => {
    const config = limits({ RATE_EMAIL_PER_HOUR: '4', RATE_IP_PER_MINUTE: '3', RATE_IP_PER_HOUR: '5' })
    const batched = createLimiter({ config, store: store(), log: () => {} })
    const plain = createLimiter({ config, store: store({ batch: false }), log: () => {} })
    const run = crypto.randomUUID()
    // A fixed pseudo-random plan: each burst, some posts over three emails and two IPs.
    let seed = 7
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n)
    const plan = Array.from({ length: 5 }, () => Array.from({ length: 2 + next(5) }, () => ({ email: next(3), ip: next(3) === 2 ? null : next(2) })))
    const passed = async (limiter: typeof batched, side: string) => {
      const perKey: Record<string, number> = {}
      for (const burst of plan) {
        // One after another: which of two concurrent posts sharing a key gets its last point is a race
        // in either path; a post's own five rules still go together.
        const results: boolean[] = []
        for (const p of burst) {
          const key = { emailHash: `${side}-${run}-e${p.email}`, ip: p.ip === null ? null : `${side}-${run}-i${p.ip}` }
          results.push((await limiter.consume(key)).allowed)
        }
        burst.forEach((p, i) => {
          const k = `e${p.email}/${p.ip ?? '-'}`
          perKey[k] = (perKey[k] ?? 0) + (results[i] ? 1 : 0)
        })
      }
      return perKey
    }
    const a = await passed(batched, 'a')
    const b = await passed(plain, 'b')
    expect(Object.values(a).reduce((x, y) => x + y, 0)).toBeGreaterThan(0)
    expect(a).toEqual(b)
  })

  it('concurrent posts over several keys: each key lets exactly its limit through', async () => {
    const limiter = createLimiter({ config: limits({ RATE_EMAIL_PER_HOUR: '2' }), store: store(), log: () => {} })
    const run = crypto.randomUUID()
    const emails = Array.from({ length: 30 }, (_, i) => `many-${run}-${i % 6}`)
    const results = await Promise.all(emails.map((emailHash) => limiter.consume({ ip: null, emailHash })))
    const passed: Record<string, number> = {}
    results.forEach((r, i) => (passed[emails[i]!] = (passed[emails[i]!] ?? 0) + (r.allowed ? 1 : 0)))
    expect(Object.values(passed)).toEqual(Array(6).fill(2))
  })

  it('an expired counter starts again from the new post', async () => {
    const limiter = createLimiter({ config: limits({ FLOOD_SECONDS: '1' }), store: store(), log: () => {} })
    const key = { ip: null, emailHash: `expiry-${crypto.randomUUID()}` }
    expect(await limiter.consume(key)).toEqual({ allowed: true })
    expect(await limiter.consume(key)).toEqual({ allowed: false, limit: 'flood_email', retryAfterSeconds: 1 })
    await new Promise((resolve) => setTimeout(resolve, 1100))
    expect(await limiter.consume(key)).toEqual({ allowed: true })
    expect(await limiter.consume(key)).toEqual({ allowed: false, limit: 'flood_email', retryAfterSeconds: 1 })
  })
})
