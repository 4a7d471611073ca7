// Public reads per client address (security review I4): a generous, configurable limit, keyed like the post limits.
import type { Kysely } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { PublicCache } from '../src/cache/public-cache.js'
import type { Database } from '../src/db/schema.js'
import { backends } from './support/db.js'
import { makeApp, testConfig, uniqueArticle } from './support/app.js'

/** An app whose peer address is the X-Test-Peer header (as a Node connection's would be). */
const appWith = (db: Kysely<Database>, env: Record<string, string>, cache?: PublicCache) =>
  makeApp(db, {
    env: { RATE_READS_PER_MINUTE: '3', ...env },
    deps: { remoteAddress: (c) => c.req.header('x-test-peer'), ...(cache ? { publicCache: cache } : {}) },
  })

describe.each(backends)('the read limit on $name PostgreSQL', (backend) => {
  let db: Kysely<Database>
  beforeAll(async () => {
    db = await backend.open()
  })

  it('answers 429 rate_limited with Retry-After past RATE_READS_PER_MINUTE, in the contract shape, with CORS', async () => {
    const t = await appWith(db, {})
    const article = uniqueArticle('reads')
    const peer = { 'X-Test-Peer': '198.51.100.7', Origin: 'https://blog.example' }
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await t.list(article, '', peer)).status)
    expect(statuses).toEqual([200, 200, 200])
    const res = await t.list(article, '', peer)
    expect(res.status).toBe(429)
    const retry = Number(res.headers.get('Retry-After'))
    expect(retry).toBeGreaterThanOrEqual(1)
    expect(retry).toBeLessThanOrEqual(60)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://blog.example')
    const body = await res.json()
    expect(body.error.code).toBe('rate_limited')
    expect(body.error.message).toMatch(/try again in \d+ seconds/)
    // Counts and status reads count too; another address is not affected.
    expect((await t.request(`/api/counts?article=${encodeURIComponent(article)}`, { headers: peer })).status).toBe(429)
    expect((await t.list(article, '', { 'X-Test-Peer': '198.51.100.8' })).status).toBe(200)
  })

  it('keys IPv6 by its /64: rotating addresses inside it does not reset the count', async () => {
    const t = await appWith(db, {})
    const article = uniqueArticle('reads6')
    const statuses = []
    for (let i = 1; i <= 5; i++) statuses.push((await t.list(article, '', { 'X-Test-Peer': `2001:db8:1:2::${i.toString(16)}` })).status)
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    expect((await t.list(article, '', { 'X-Test-Peer': '2001:db8:1:3::1' })).status).toBe(200)
  })

  it('behind a proxy (TRUST_PROXY=true) a client rotating the leftmost X-Forwarded-For entry is still limited', async () => {
    const t = await appWith(db, { TRUST_PROXY: 'true' })
    const article = uniqueArticle('readsxff')
    const statuses = []
    for (let i = 1; i <= 5; i++) {
      const headers = { 'X-Test-Peer': '10.0.0.2', 'X-Forwarded-For': `203.0.${i}.1, 198.51.100.44`, 'CF-Connecting-IP': `10.9.${i}.1` }
      statuses.push((await t.list(article, '', headers)).status)
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    // Another client behind the same proxy reads on.
    expect((await t.list(article, '', { 'X-Test-Peer': '10.0.0.2', 'X-Forwarded-For': '198.51.100.45' })).status).toBe(200)
  })

  it('cached counts answers (sent before routing) are counted too', async () => {
    const cache = new PublicCache()
    const t = await appWith(db, {}, cache)
    const query = `/api/counts?article=${encodeURIComponent(uniqueArticle('readscache'))}`
    const peer = { 'X-Test-Peer': '198.51.100.9' }
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await t.request(query, { headers: peer })).status)
    expect(statuses).toEqual([200, 200, 200, 429, 429])
  })

  it('0 turns it off; the default is generous', async () => {
    const t = await appWith(db, { RATE_READS_PER_MINUTE: '0' })
    const article = uniqueArticle('readsoff')
    for (let i = 0; i < 10; i++) expect((await t.list(article, '', { 'X-Test-Peer': '198.51.100.10' })).status).toBe(200)
    expect(testConfig({ RATE_READS_PER_MINUTE: undefined as unknown as string }).checks.rateReadsPerMinute).toBe(1200)
  })
})
