// Which address a post counts under (and is stored as, anonymized) for each TRUST_PROXY setting.
import { beforeAll, describe, expect, it } from 'vitest'
import type { Kysely } from 'kysely'
import { ConfigError } from '../src/config.js'
import type { Database } from '../src/db/schema.js'
import { backends } from './support/db.js'
import { makeApp, testConfig, uniqueArticle, validComment, TEST_PEER } from './support/app.js'

type Case = [label: string, trust: string, headers: Record<string, string>, storedIp: string | null]

// The peer (the connection) is TEST_PEER, 192.0.2.10; addresses are stored as their /24 or /48.
const cases: Case[] = [
  ['unset: headers ignored', 'false', { 'X-Forwarded-For': '203.0.113.9', 'CF-Connecting-IP': '198.51.100.9' }, '192.0.2.0'],
  ['true: the entry the proxy appended, not the leftmost the client wrote', 'true', { 'X-Forwarded-For': '6.6.6.6, 203.0.113.9' }, '203.0.113.0'],
  ['true: CF-Connecting-IP is not believed', 'true', { 'CF-Connecting-IP': '198.51.100.9', 'X-Forwarded-For': '203.0.113.9' }, '203.0.113.0'],
  ['1 is true', '1', { 'X-Forwarded-For': '6.6.6.6, 203.0.113.9' }, '203.0.113.0'],
  ['2 hops', '2', { 'X-Forwarded-For': '6.6.6.6, 203.0.113.9, 10.0.0.2' }, '203.0.113.0'],
  ['true: not an address falls back to the peer', 'true', { 'X-Forwarded-For': 'not-an-ip' }, '192.0.2.0'],
  ['true: IPv6 in brackets', 'true', { 'X-Forwarded-For': '[2001:db8:aa:bb::1]' }, '2001:db8:aa::'],
  ['true: IPv4-mapped IPv6 is the IPv4 client', 'true', { 'X-Forwarded-For': '::ffff:203.0.113.9' }, '203.0.113.0'],
  ['cloudflare: CF-Connecting-IP', 'cloudflare', { 'CF-Connecting-IP': '198.51.100.9', 'X-Forwarded-For': '203.0.113.9' }, '198.51.100.0'],
  ['cloudflare: garbage falls back to the peer', 'cloudflare', { 'CF-Connecting-IP': 'garbage' }, '192.0.2.0'],
  ['ranges: the rightmost entry outside them', '192.0.2.0/24, 10.0.0.0/8', { 'X-Forwarded-For': '6.6.6.6, 203.0.113.9, 10.1.2.3' }, '203.0.113.0'],
  ['ranges: a peer outside them is the client', '10.0.0.0/8', { 'X-Forwarded-For': '203.0.113.9' }, '192.0.2.0'],
  ['ranges: a single address', '192.0.2.10', { 'X-Forwarded-For': '203.0.113.9' }, '203.0.113.0'],
]

describe.each(backends)('the client address on $name PostgreSQL', (backend) => {
  let db: Kysely<Database>
  beforeAll(async () => {
    db = await backend.open()
  })

  it.each(cases)('%s', async (_label, trust, headers, storedIp) => {
    const t = await makeApp(db, { env: { TRUST_PROXY: trust } })
    const res = await t.post(validComment(uniqueArticle('proxy')), headers)
    expect(res.status).toBe(201)
    const row = await (await t.admin('GET', `/comments/${(await res.json()).comment.id}`)).json()
    expect(row.ip).toBe(storedIp)
  })

  it('a client rotating the leftmost X-Forwarded-For or CF-Connecting-IP behind one proxy is still limited', async () => {
    const t = await makeApp(db, { env: { TRUST_PROXY: 'true', RATE_IP_PER_MINUTE: '2' } })
    const statuses = []
    const client = `198.51.100.${(Date.now() % 200) + 20}`
    for (let i = 1; i <= 4; i++) {
      const headers = { 'X-Forwarded-For': `203.0.${i}.1, ${client}`, 'CF-Connecting-IP': `10.9.${i}.1` }
      statuses.push((await t.post(validComment(uniqueArticle('rotate')), headers)).status)
    }
    expect(statuses).toEqual([201, 201, 429, 429])
  })
})

describe('TRUST_PROXY values', () => {
  it('a value that is none of the forms stops the start, naming it', () => {
    for (const bad of ['yes', '10.0.0.0/33', '10.0.0.0/8, bogus']) {
      expect(() => testConfig({ TRUST_PROXY: bad }), bad).toThrow(ConfigError)
      expect(() => testConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/)
    }
    expect(testConfig({ TRUST_PROXY: 'true' }).trustProxy).toEqual({ kind: 'hops', hops: 1 })
    expect(TEST_PEER).toBe('192.0.2.10')
  })
})
