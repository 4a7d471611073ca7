// The Worker in workerd (wrangler dev --local), on the server PostgreSQL through its Hyperdrive binding:
// the same Leave a Reply flow as on Node, over real HTTP.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest'
import { migrateToLatest } from '../src/db/migrate.js'
import { openPostgres } from '../src/db/postgres.js'
import { ADMIN_TOKEN, SECRET_KEY, uniqueArticle, uniqueEmail, validComment } from './support/app.js'
import { freshServerDatabase } from './support/db.js'
import { startWorker, type RunningWorker } from './support/workerd.js'

const serverUrl = process.env.TEST_DATABASE_URL
if (!serverUrl) console.warn('[worker.test] skipped: set TEST_DATABASE_URL to a server PostgreSQL to run the Worker in workerd')

const RATE_IP_PER_MINUTE = 3
const RATE_EMAIL_PER_HOUR = 2

/** Each test posts from its own /24, so per-client limits of one test never touch another. */
const uniqueIp = () => `10.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}.7`

describe.skipIf(!serverUrl)('Worker in workerd, PostgreSQL through Hyperdrive', () => {
  let worker: RunningWorker
  let database: Awaited<ReturnType<typeof freshServerDatabase>>

  beforeAll(async () => {
    database = await freshServerDatabase(serverUrl!, 'parley_worker', { fallback: true })
    const db = openPostgres({ connectionString: database.url, max: 1 })
    try {
      await migrateToLatest(db)
    } finally {
      await db.destroy()
    }
    worker = await startWorker({
      databaseUrl: database.url,
      vars: {
        ADMIN_TOKEN,
        SECRET_KEY,
        ALLOWED_ORIGINS: 'https://blog.example',
        FORM_TOKEN_MIN_SECONDS: '0',
        RATE_IP_PER_MINUTE: String(RATE_IP_PER_MINUTE),
        RATE_EMAIL_PER_HOUR: String(RATE_EMAIL_PER_HOUR),
        // The flood rule (one post per N seconds) would stop the limits' own counting; it is tested on Node.
        FLOOD_SECONDS: '0',
        LOG_REQUESTS: 'false',
      },
    })
  }, 120_000)

  // On a failure, what the Worker logged (the app logs unexpected errors as JSON lines).
  beforeEach(() => {
    const seen = worker.output().length
    onTestFailed(() => console.log(`[worker.test] wrangler dev said:\n${worker.output().slice(seen).slice(-4000)}`))
  })

  afterAll(async () => {
    await worker?.stop()
    await database?.drop()
  }, 30_000)

  const call = (path: string, init: RequestInit = {}) => fetch(`${worker.url}${path}`, init)
  const list = (article: string) => call(`/api/comments?article=${encodeURIComponent(article)}`)
  const post = (body: unknown, ip = uniqueIp(), type = 'application/json') =>
    call('/api/comments', {
      method: 'POST',
      headers: { 'Content-Type': type, 'CF-Connecting-IP': ip },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  const admin = (method: string, path: string, body?: unknown) =>
    call(`/api/admin${path}`, {
      method,
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  const formToken = async (article: string): Promise<string> => (await (await list(article)).json()).formToken

  it('holds a comment as pending, lists it once approved, and counts it', async () => {
    const article = uniqueArticle('worker')
    const posted = await post(validComment(article, { content: 'Hello from the edge', formToken: await formToken(article) }))
    expect(posted.status).toBe(201)
    const body = await posted.json()
    expect(body.message).toBe('Your comment is awaiting moderation.')
    expect(body.comment).toMatchObject({ article, status: 'pending', content: 'Hello from the edge', parentId: null })
    expect(body.comment).not.toHaveProperty('email')

    const held = await admin('GET', `/comments/${body.comment.id}`)
    expect(held.status).toBe(200)
    expect(await held.json()).toMatchObject({ status: 'pending', reasons: [] })
    expect((await (await list(article)).json()).comments).toEqual([])

    const approved = await admin('PATCH', `/comments/${body.comment.id}`, { status: 'approved' })
    expect(approved.status).toBe(200)
    const after = await (await list(article)).json()
    expect(after.comments.map((c: { id: string }) => c.id)).toEqual([body.comment.id])
    expect(after.total).toBe(1)

    const counts = await call(`/api/counts?article=${encodeURIComponent(article)}&article=/nowhere`)
    expect(await counts.json()).toEqual({ counts: { [article]: 1, '/nowhere': 0 } })
  })

  it.each([
    { name: 'missing name and email', body: { author: '', email: '' }, fields: ['author', 'email'] },
    { name: 'a bad email', body: { email: 'not-an-address' }, fields: ['email'] },
    { name: 'an empty comment', body: { content: '   ' }, fields: ['content'] },
    { name: 'a comment too long', body: { content: 'x'.repeat(10_001) }, fields: ['content'] },
    { name: 'a javascript: url', body: { url: 'javascript:alert(1)' }, fields: ['url'] },
  ])('refuses $name with 400 validation_failed', async ({ body, fields }) => {
    const res = await post(validComment(uniqueArticle('invalid'), body))
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.code).toBe('validation_failed')
    expect(Object.keys(error.fields).sort()).toEqual(fields)
  })

  it.each([
    { name: 'unparseable JSON', body: '{"article":', type: 'application/json', status: 400, code: 'invalid_body' },
    { name: 'plain text', body: 'hello', type: 'text/plain', status: 415, code: 'unsupported_media_type' },
    {
      name: 'a body over 64 KiB',
      body: JSON.stringify({ content: 'x'.repeat(70_000) }),
      type: 'application/json',
      status: 413,
      code: 'payload_too_large',
    },
  ])('answers $name with $status $code', async ({ body, type, status, code }) => {
    const res = await post(body, uniqueIp(), type)
    expect(res.status).toBe(status)
    expect((await res.json()).error.code).toBe(code)
  })

  it('answers a honeypot hit exactly like a good post, and stores it as spam', async () => {
    const article = uniqueArticle('honeypot')
    const token = await formToken(article)
    const good = await (await post(validComment(article, { formToken: token }))).json()
    const trap = await post(validComment(article, { formToken: token, website: 'http://spam.example' }))
    expect(trap.status).toBe(201)
    const body = await trap.json()
    expect(Object.keys(body).sort()).toEqual(Object.keys(good).sort())
    expect(Object.keys(body.comment).sort()).toEqual(Object.keys(good.comment).sort())
    expect(body).toMatchObject({ message: good.message, comment: { status: 'pending' } })

    const stored = await (await admin('GET', `/comments/${body.comment.id}`)).json()
    expect(stored.status).toBe('spam')
    expect(stored.reasons).toContain('honeypot')
    const spam = await (await admin('GET', `/comments?status=spam&article=${encodeURIComponent(article)}`)).json()
    expect(spam.comments.map((c: { id: string }) => c.id)).toEqual([body.comment.id])
  })

  // Counted in the rate_limits table, so every isolate and location shares them (wrangler.toml vars set the limits).
  it.each([
    { by: 'client', rule: 'ip_min', limit: RATE_IP_PER_MINUTE, sender: (ip: string, email: string, i: number) => ({ ip, email: `${i}.${email}` }) },
    { by: 'email', rule: 'email_hour', limit: RATE_EMAIL_PER_HOUR, sender: (ip: string, email: string, i: number) => ({ ip: `${ip}${i}`, email }) },
  ])('limits posts per $by through PostgreSQL: 429 rate_limited with Retry-After', async ({ rule, limit, sender }) => {
    const article = uniqueArticle('rate')
    const [ip, email] = [uniqueIp(), uniqueEmail('limited')]
    for (let i = 0; i <= limit; i++) {
      const who = sender(ip, email, i)
      const res = await post(validComment(article, { email: who.email }), who.ip)
      if (i < limit) {
        expect(res.status).toBe(201)
        continue
      }
      expect(res.status).toBe(429)
      expect((await res.json()).error.code).toBe('rate_limited')
      expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
    }
    // Someone else is not affected.
    expect((await post(validComment(article))).status).toBe(201)
    // The counts are rows in PostgreSQL, not an isolate's memory.
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    const rows = await client.query('SELECT points FROM rate_limits WHERE key LIKE $1', [`${rule}:%`]).finally(() => client.end())
    expect(rows.rows.some((r: { points: number }) => r.points > limit)).toBe(true)
  })

  it('serves concurrent requests in one isolate, each on its own connections', async () => {
    // A socket shared across requests fails on Workers ("Cannot perform I/O on behalf of a different request").
    const article = uniqueArticle('concurrent')
    const token = await formToken(article)
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2 === 0 ? post(validComment(article, { formToken: token })) : call(`/api/counts?article=${encodeURIComponent(article)}`),
      ),
    )
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 201 : 200)))
    const pending = await (await admin('GET', `/comments?status=pending&article=${encodeURIComponent(article)}`)).json()
    expect(pending.comments).toHaveLength(6)
  })

  it('runs retention from the cron trigger: IP and user agent dropped after RETENTION_DAYS', async () => {
    const article = uniqueArticle('retention')
    const [old, recent] = [await post(validComment(article)), await post(validComment(article))]
    const [oldId, recentId] = [(await old.json()).comment.id, (await recent.json()).comment.id]
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    await client.query(`UPDATE comments SET created_at = now() - interval '91 days' WHERE id = $1`, [oldId]).finally(() => client.end())

    expect((await call('/__scheduled?cron=17+3+*+*+*')).status).toBe(200)
    const stored = async (id: string) => (await admin('GET', `/comments/${id}`)).json()
    expect(await stored(oldId)).toMatchObject({ ip: null, userAgent: null })
    expect((await stored(recentId)).ip).not.toBeNull()
  })

  it('serves /embed.js from the bundle', async () => {
    const res = await call('/embed.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toMatch(/^text\/javascript/)
    expect(await res.text()).toBe(readFileSync(join(worker.dir, 'dist', 'embed.js'), 'utf8'))
  })

  it.each([
    { path: '/', type: /^text\/html/, holds: 'embed.js' },
    { path: '/admin', type: /^text\/html/, holds: '/admin/console.js' },
    { path: '/admin/console.js', type: /javascript/, holds: 'fetch' },
    { path: '/avatar/0a1b2c3d4e5f60718293.svg', type: /^image\/svg\+xml/, holds: '<svg' },
  ])('serves the page $path from the Worker too', async ({ path, type, holds }) => {
    const res = await call(path)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toMatch(type)
    expect(await res.text()).toContain(holds)
  })

  it('keeps the error shape and the moderator guard', async () => {
    const missing = await call('/nothing-here')
    expect(missing.status).toBe(404)
    expect((await missing.json()).error.code).toBe('not_found')
    const unauthorized = await call('/api/admin/comments', { headers: { Authorization: 'Bearer wrong-token-0123456789' } })
    expect(unauthorized.status).toBe(401)
    expect((await unauthorized.json()).error.code).toBe('unauthorized')
  })
})
