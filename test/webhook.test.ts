import { createHmac, randomUUID } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DELIVERY_BUDGET_MS, deliver } from '../src/webhooks/deliver.js'
import { recordFailure } from '../src/webhooks/failures.js'
import { announceHeld } from '../src/webhooks/held.js'
import { createActionToken } from '../src/webhooks/sign.js'
import { backends } from './support/db.js'
import { makeApp, uniqueArticle, uniqueEmail, validComment, type TestApp } from './support/app.js'

const SECRET = 'whsec-test-0123456789'
type Received = { headers: IncomingHttpHeaders; body: string }

/** A local receiver: answers with the next status in `plan` (then `otherwise`), records every request. */
function receiver(otherwise = 200) {
  const received: Received[] = []
  const plan: number[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      received.push({ headers: req.headers, body })
      res.statusCode = plan.shift() ?? otherwise
      res.end()
    })
  })
  return {
    received,
    plan,
    start: (path = '/hook') =>
      new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`))),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** What a receiver must do: recompute the HMAC of `t.body` and compare. */
function verify(r: Received, secret: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(r.headers['x-parley-signature']))
  if (!match) return false
  return createHmac('sha256', secret).update(`${match[1]}.${r.body}`).digest('hex') === match[2]
}

describe.each(backends)('webhook notifications on $name PostgreSQL', (backend) => {
  const hook = receiver()
  let url: string
  let t: TestApp
  let tEmail: TestApp
  const pending: Promise<unknown>[] = []
  const defer = (work: Promise<unknown>) => void pending.push(work)
  const settle = async () => {
    while (pending.length) await pending.shift()
  }
  const eventsFor = (id: string) => hook.received.map((r) => ({ r, event: JSON.parse(r.body) })).filter((x) => x.event.comment.id === id)

  beforeAll(async () => {
    url = await hook.start()
    const db = await backend.open()
    t = await makeApp(db, { env: { WEBHOOK_URL: url, WEBHOOK_SECRET: SECRET }, deps: { defer } })
    tEmail = await makeApp(db, { env: { WEBHOOK_URL: url, WEBHOOK_SECRET: SECRET, WEBHOOK_INCLUDE_EMAIL: 'true' }, deps: { defer } })
  })
  afterAll(() => hook.stop())

  async function postHeld(app: TestApp, email = uniqueEmail('hook')) {
    const article = uniqueArticle('hook')
    const res = await app.post(validComment(article, { email, content: 'Held for a moderator' }))
    expect(res.status).toBe(201)
    await settle()
    return { id: (await res.json()).comment.id as string, article, email }
  }

  it('POSTs a signed JSON event once per held comment, without the email', async () => {
    const { id, article, email } = await postHeld(t)
    const events = eventsFor(id)
    expect(events).toHaveLength(1)
    const { r, event } = events[0]!
    expect(verify(r, SECRET)).toBe(true)
    expect(verify(r, 'another-secret-000000')).toBe(false)
    expect(verify({ ...r, body: r.body.replace('Held', 'Hold') }, SECRET)).toBe(false)
    expect(r.headers['content-type']).toBe('application/json')
    expect(r.headers['x-parley-event']).toBe('comment.held')
    expect(event).toMatchObject({ event: 'comment.held', comment: { id, article, status: 'pending', content: 'Held for a moderator' } })
    expect(r.body).not.toContain(email)
    expect(Object.keys(event.links).sort()).toEqual(['approve', 'console', 'spam', 'trash'])
    // A later post does not announce this comment again.
    await postHeld(t)
    expect(eventsFor(id)).toHaveLength(1)
  })

  it('includes the email only with WEBHOOK_INCLUDE_EMAIL', async () => {
    const { id, email } = await postHeld(tEmail)
    expect(eventsFor(id)[0]!.event.comment.email).toBe(email)
  })

  it('announces a comment posted by a plain HTML form (303) too', async () => {
    const article = uniqueArticle('hook-form')
    const form = new URLSearchParams({ article, author: 'Form Reader', email: uniqueEmail('form'), content: 'Posted without JavaScript', redirect: 'https://blog.example/post' })
    const res = await t.request('/api/comments', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() })
    expect(res.status).toBe(303)
    await settle()
    const events = hook.received.map((r) => ({ r, event: JSON.parse(r.body) })).filter((x) => x.event.comment.article === article)
    expect(events).toHaveLength(1)
    expect(verify(events[0]!.r, SECRET)).toBe(true)
    expect(events[0]!.event.comment.author).toBe('Form Reader')
  })

  it('does not announce a comment the checks sent to spam', async () => {
    const res = await t.post(validComment(uniqueArticle('hook-spam'), { website: 'http://bot.example' }))
    expect(res.status).toBe(201)
    await settle()
    expect(eventsFor((await res.json()).comment.id)).toEqual([])
  })

  it('one-click links: GET only asks, POST decides once, audited', async () => {
    const { id, article } = await postHeld(t)
    const approve = eventsFor(id)[0]!.event.links.approve as string
    const path = new URL(approve).pathname

    const ask = await t.request(path)
    expect(ask.status).toBe(200)
    expect(await ask.text()).toContain('<form method="post">')
    expect((await (await t.admin('GET', `/comments/${id}`)).json()).status).toBe('pending')

    const done = await t.request(path, { method: 'POST' })
    expect(done.status).toBe(200)
    expect((await (await t.admin('GET', `/comments/${id}`)).json()).status).toBe('approved')
    expect((await (await t.list(article)).json()).total).toBe(1)

    const again = await t.request(path, { method: 'POST' })
    expect(again.status).toBe(410)
    const audit = (await (await t.admin('GET', `/audit?comment=${id}`)).json()).entries
    expect(audit).toMatchObject([{ moderator: 'webhook-link', action: 'link.approve', from: 'pending', to: 'approved' }])
  })

  it('refuses tampered and expired links', async () => {
    const { id } = await postHeld(t)
    const spam = new URL(eventsFor(id)[0]!.event.links.spam as string).pathname
    const [payload, mac] = spam.split('/').pop()!.split('.')
    const tampered = `/admin/act/${payload}.${mac!.replace(/^./, (ch) => (ch === 'a' ? 'b' : 'a'))}`
    const expired = `/admin/act/${await createActionToken(t.deps.keys, { commentId: Number(id), action: 'spam', expires: Math.floor(Date.now() / 1000) - 1 })}`
    for (const path of [tampered, expired, '/admin/act/garbage']) {
      expect((await t.request(path, { method: 'POST' })).status).toBe(410)
    }
    expect((await (await t.admin('GET', `/comments/${id}`)).json()).status).toBe('pending')
  })

  it('retries with backoff on 5xx and network errors, not on 4xx', async () => {
    const waits: number[] = []
    const options = { url, secret: SECRET, log: () => {}, delays: [10, 20, 40], sleep: async (ms: number) => void waits.push(ms) }
    hook.plan.push(500, 503)
    const before = hook.received.length
    expect(await deliver({ event: 'test', id: 'r1' }, options)).toMatchObject({ delivered: true, attempts: 3, status: 200, error: null })
    expect(hook.received.length - before).toBe(3)
    expect(waits).toEqual([10, 20])
    expect(hook.received.slice(before).every((r) => verify(r, SECRET))).toBe(true)

    hook.plan.push(400)
    waits.length = 0
    expect(await deliver({ event: 'test', id: 'r2' }, options)).toMatchObject({ delivered: false, attempts: 1, status: 400, error: 'http_status' })
    expect(waits).toEqual([])

    waits.length = 0
    const unreachable = { ...options, url: 'http://127.0.0.1:1/nothing' }
    expect(await deliver({ event: 'test', id: 'r3' }, unreachable)).toMatchObject({ delivered: false, attempts: 4, status: 0, error: 'network' })
    expect(waits).toEqual([10, 20, 40])
  })

  it('keeps its retries within the budget a Worker has after the response (waitUntil: 30 s)', async () => {
    let clock = 0
    const timing = { now: () => new Date(clock), sleep: async (ms: number) => void (clock += ms), log: () => {}, url, secret: SECRET }
    // Quick failures: every retry of the default schedule (1 s, 4 s, 15 s) fits.
    const refused = (async () => new Response(null, { status: 503 })) as typeof fetch
    expect(await deliver({ event: 'test', id: 'b1' }, { ...timing, fetch: refused })).toMatchObject({ delivered: false, attempts: 4, status: 503 })
    expect(clock).toBe(20_000)
    // A receiver that never answers: each attempt waits up to 10 s, so only the retries that fit are made.
    clock = 0
    const silent = (async () => {
      clock += 10_000
      throw new DOMException('The operation timed out.', 'TimeoutError')
    }) as typeof fetch
    expect(await deliver({ event: 'test', id: 'b2' }, { ...timing, fetch: silent })).toMatchObject({ delivered: false, attempts: 2, status: 0, error: 'timeout' })
    expect(clock).toBeLessThanOrEqual(DELIVERY_BUDGET_MS)
  })

  it('keeps a delivery that failed every retry for moderators: status and attempts, no secret, email, text or URL path', async () => {
    const failing = receiver(503)
    const failUrl = await failing.start('/hook/tok-a1b2c3d4?key=querysecret')
    try {
      // Posted where no webhook is set, so nothing announces it before the failing receiver is tried.
      const quiet = await makeApp(await backend.open())
      const email = uniqueEmail('failing')
      const posted = await quiet.post(validComment(uniqueArticle('hook-fail'), { email, content: 'Text the receiver never got' }))
      expect(posted.status).toBe(201)
      const id = (await posted.json()).comment.id as string
      const env = { WEBHOOK_URL: failUrl, WEBHOOK_SECRET: SECRET, WEBHOOK_INCLUDE_EMAIL: 'true' }
      const fails = await makeApp(await backend.open(), { env })

      await announceHeld(fails.deps, 'http://parley.test', { delays: [5, 5, 5] })
      const tries = failing.received.filter((r) => JSON.parse(r.body).comment.id === id)
      expect(tries).toHaveLength(4)
      expect(tries.every((r) => verify(r, SECRET))).toBe(true)
      expect(tries[0]!.body).toContain(email)
      const deliveryId = tries[0]!.headers['x-parley-delivery']

      const res = await fails.admin('GET', '/webhooks/failed?limit=200')
      expect(res.status).toBe(200)
      expect(res.headers.get('Cache-Control')).toBe('no-store')
      const text = await res.text()
      const listed = (JSON.parse(text).deliveries as Array<Record<string, unknown>>).filter((d) => d.commentId === id)
      expect(listed).toEqual([
        {
          id: expect.stringMatching(/^\d+$/),
          deliveryId,
          event: 'comment.held',
          commentId: id,
          target: new URL(failUrl).origin,
          status: 503,
          error: 'http_status',
          attempts: 4,
          firstAttemptAt: expect.any(String),
          failedAt: expect.any(String),
        },
      ])
      for (const secret of [SECRET, email, 'Text the receiver never got', 'tok-a1b2c3d4', 'querysecret']) expect(text).not.toContain(secret)

      // Behind the moderator guard like the rest of the moderator API.
      expect((await fails.admin('GET', '/webhooks/failed', undefined, 'not-a-moderator-token')).status).toBe(401)
      expect((await fails.request('/api/admin/webhooks/failed')).status).toBe(401)
    } finally {
      await failing.stop()
    }
  })

  it('pages failed deliveries newest first', async () => {
    const db = await backend.open()
    const app = await makeApp(db)
    const result = { delivered: false, attempts: 1, status: 410, error: 'http_status' as const, firstAttemptAt: new Date() }
    const marks: string[] = [randomUUID(), randomUUID(), randomUUID()]
    for (const deliveryId of marks) await recordFailure(db, { deliveryId, event: 'comment.held', commentId: null, url: 'https://hooks.example/x', result }, new Date())
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page = await (await app.admin('GET', `/webhooks/failed?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json()
      expect(page.deliveries.length).toBeLessThanOrEqual(2)
      seen.push(...page.deliveries.map((d: { deliveryId: string }) => d.deliveryId))
      cursor = page.nextCursor
    } while (cursor && !marks.every((m) => seen.includes(m)))
    expect(seen.filter((d) => marks.includes(d))).toEqual([...marks].reverse())
    expect((await app.admin('GET', '/webhooks/failed?cursor=bad')).status).toBe(400)
  })
})
