// POST /api/comments against the review's attacks: email oracles, writes by refused posts, duplicates
// before flood, auto-approval by address alone, erase of the limiter's rows, rate-limit keys.
import { randomUUID } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../src/db/schema.js'
import { backends } from './support/db.js'
import { makeApp, uniqueArticle, uniqueEmail, validComment, type TestApp } from './support/app.js'

const from = (ip: string) => ({ 'X-Forwarded-For': ip })
let ipCounter = Math.floor(Math.random() * 40_000)
/** A fresh IPv4 address in a /24 of its own per call (each test's limits start clean; stored IPs differ). */
const freshIp = () => `10.${(++ipCounter >> 8) & 255}.${ipCounter & 255}.1`

describe.each(backends)('posting on $name PostgreSQL', (backend) => {
  let db: Kysely<Database>
  let t: TestApp
  beforeAll(async () => {
    db = await backend.open()
    t = await makeApp(db, { env: { TRUST_PROXY: 'true' } })
  })

  const articleRow = (key: string) => db.selectFrom('articles').select('id').where('key', '=', key).executeTakeFirst()
  const stored = async (id: string) => (await t.admin('GET', `/comments/${id}`)).json()

  it('the 201 answer carries the same neutral avatar for every address: no guessed email can be compared', async () => {
    const victim = validComment(uniqueArticle('victim'), { email: 'victim.person@example.org', content: `Victim ${randomUUID()}` })
    const posted = await (await t.post(victim, from(freshIp()))).json()
    await t.admin('PATCH', `/comments/${posted.comment.id}`, { status: 'approved' })
    const publicAvatar = (await (await t.list(victim.article)).json()).comments[0].avatar as string
    const guesses = []
    for (const email of ['victim.person@example.org', 'VICTIM.person@example.org', uniqueEmail('other')]) {
      const res = await t.post(validComment(uniqueArticle('guess'), { email }), from(freshIp()))
      expect(res.status).toBe(201)
      guesses.push((await res.json()).comment.avatar)
    }
    expect(new Set(guesses).size).toBe(1)
    expect(guesses).not.toContain(publicAvatar)
  })

  it('a repeat from another client is taken like any post (201, kept as spam), never a 409 that confirms the email', async () => {
    const original = validComment(uniqueArticle('dup-oracle'), { email: uniqueEmail('victim'), content: `Public words ${randomUUID()}` })
    const first = await t.post(original, from(freshIp()))
    expect(first.status).toBe(201)
    const guess = await t.post({ ...original, author: 'Attacker' }, from(freshIp()))
    expect(guess.status).toBe(201)
    const body = await guess.json()
    expect(Object.keys(body).sort()).toEqual(Object.keys(await first.clone().json()).sort())
    const row = await stored(body.comment.id)
    expect(row.status).toBe('spam')
    expect(row.reasons).toEqual(['duplicate'])
  })

  it('the same client posting the same text twice within the flood window hears 409 duplicate_comment, not 429', async () => {
    const flood = await makeApp(db, { env: { TRUST_PROXY: 'true', FLOOD_SECONDS: '15' } })
    const ip = freshIp()
    const comment = validComment(uniqueArticle('double-click'))
    expect((await flood.post(comment, from(ip))).status).toBe(201)
    const again = await flood.post(comment, from(ip))
    expect(again.status).toBe(409)
    expect((await again.json()).error.code).toBe('duplicate_comment')
    // Another text from the same client within the window is still too fast.
    expect((await flood.post({ ...comment, content: 'Something else entirely' }, from(ip))).status).toBe(429)
  })

  it('a refused post writes nothing: no article row for posts answered 429, 404 or 400', async () => {
    const limited = await makeApp(db, { env: { TRUST_PROXY: 'true', RATE_IP_PER_MINUTE: '1' } })
    const ip = freshIp()
    expect((await limited.post(validComment(uniqueArticle('first')), from(ip))).status).toBe(201)
    const refused: string[] = []
    for (let i = 0; i < 5; i++) {
      const article = uniqueArticle('ghost')
      expect((await limited.post(validComment(article), from(ip))).status).toBe(429)
      refused.push(article)
    }
    const orphanReply = uniqueArticle('ghost-reply')
    expect((await t.post(validComment(orphanReply, { parentId: '1' }), from(freshIp()))).status).toBe(404)
    const invalid = uniqueArticle('ghost-invalid')
    expect((await t.post(validComment(invalid, { email: 'not-an-email' }), from(freshIp()))).status).toBe(400)
    for (const key of [...refused, orphanReply, invalid]) expect(await articleRow(key), key).toBeUndefined()
  })

  it('AUTO_APPROVE needs the approved name and email together, and the answer is the same either way', async () => {
    const auto = await makeApp(db, { env: { TRUST_PROXY: 'true', AUTO_APPROVE: 'true' } })
    const email = uniqueEmail('owner')
    const article = uniqueArticle('auto')
    const first = (await (await auto.post(validComment(article, { email, author: 'Blog Owner' }), from(freshIp()))).json()).comment
    await auto.admin('PATCH', `/comments/${first.id}`, { status: 'approved' })
    const token = (await (await auto.list(article)).json()).formToken
    const later = await makeApp(db, { env: { TRUST_PROXY: 'true', AUTO_APPROVE: 'true' }, deps: { clock: () => new Date(Date.now() + 10_000) } })
    const impostor = await later.post(validComment(article, { email, author: 'Blog 0wner', formToken: token, content: 'Giveaway!' }), from(freshIp()))
    const owner = await later.post(validComment(article, { email, author: 'Blog Owner', formToken: token }), from(freshIp()))
    const [a, b] = [await impostor.json(), await owner.json()]
    expect([a.comment.status, a.message]).toEqual(['pending', 'Your comment is awaiting moderation.'])
    expect([b.comment.status, b.message]).toEqual([a.comment.status, a.message])
    expect((await stored(a.comment.id)).status).toBe('pending')
    expect((await stored(b.comment.id)).status).toBe('approved')
  })

  it("erase removes the author's rate-limit counters along with their comments", async () => {
    const counted = await makeApp(db, { env: { TRUST_PROXY: 'true', RATE_LIMIT_STORE: 'postgres' } })
    const keys = async () => new Set((await sql<{ key: string }>`select key from rate_limits`.execute(db)).rows.map((r) => r.key))
    // Someone else's counters, which must stay.
    expect((await counted.post(validComment(uniqueArticle('erase')), from(freshIp()))).status).toBe(201)
    const before = await keys()
    const email = uniqueEmail('erase-me')
    expect((await counted.post(validComment(uniqueArticle('erase'), { email }), from(freshIp()))).status).toBe(201)
    const added = [...(await keys())].filter((k) => !before.has(k))
    const emailRows = added.filter((k) => /^(flood_email|email_hour):/.test(k))
    expect(emailRows.length).toBeGreaterThan(0)
    const erased = await counted.admin('DELETE', `/personal-data?email=${encodeURIComponent(email)}`)
    expect(erased.status).toBe(200)
    const after = await keys()
    for (const key of emailRows) expect(after.has(key), key).toBe(false)
    for (const key of before) expect(after.has(key), key).toBe(true)
  })

  it('per-IP limits count an IPv6 client by its /64', async () => {
    const limited = await makeApp(db, { env: { TRUST_PROXY: 'true', RATE_IP_PER_MINUTE: '2' } })
    const net = `2001:db8:${(++ipCounter).toString(16)}:7`
    const statuses = []
    for (let i = 1; i <= 5; i++) statuses.push((await limited.post(validComment(uniqueArticle('v6')), from(`${net}::${i.toString(16)}`))).status)
    expect(statuses).toEqual([201, 201, 429, 429, 429])
    expect((await limited.post(validComment(uniqueArticle('v6')), from(`2001:db8:${ipCounter.toString(16)}:8::1`))).status).toBe(201)
  })

  it('per-email limits see through +tags, and dots at Gmail', async () => {
    const limited = await makeApp(db, { env: { TRUST_PROXY: 'true', RATE_EMAIL_PER_HOUR: '2' } })
    const user = `pat${randomUUID().slice(0, 6)}`
    const ways = [`${user}+a@gmail.com`, `${user.slice(0, 2)}.${user.slice(2)}+b@gmail.com`, `${user.toUpperCase()}@googlemail.com`]
    const statuses = []
    for (const email of ways) statuses.push((await limited.post(validComment(uniqueArticle('tag'), { email }), from(freshIp()))).status)
    expect(statuses).toEqual([201, 201, 429])
    // Elsewhere a dot is a different mailbox; a +tag is not.
    const other = `sam${randomUUID().slice(0, 6)}`
    const elsewhere = []
    const addresses = [
      `${other}@example.net`,
      `${other.slice(0, 1)}.${other.slice(1)}@example.net`,
      `${other}+x@example.net`,
      `${other}+y@example.net`,
    ]
    for (const email of addresses) elsewhere.push((await limited.post(validComment(uniqueArticle('tag'), { email }), from(freshIp()))).status)
    expect(elsewhere).toEqual([201, 201, 201, 429])
  })
})
