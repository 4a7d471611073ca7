import { createHmac, randomUUID } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildOpenApiDocument } from '../src/api/document.js'
import { DELIVERY_BUDGET_MS, deliver } from '../src/webhooks/deliver.js'
import { recordFailure } from '../src/webhooks/failures.js'
import { announceHeld } from '../src/webhooks/held.js'
import { createActionToken } from '../src/privacy/action-link.js'
import { backends } from './support/db.js'
import { makeApp, uniqueArticle, uniqueEmail, validComment, type TestApp } from './support/app.js'

const SECRET = 'whsec-test-0123456789'
type Received = { headers: IncomingHttpHeaders; body: string }
/** A failed delivery as GET /api/admin/webhooks/failed lists it. */
type Listed = {
  id: string
  deliveryId: string
  event: string
  commentId: string | null
  target: string
  status: number
  error: string
  attempts: number
  firstAttemptAt: string
  failedAt: string
}

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
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`)),
      ),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** What a receiver must do: recompute the HMAC of `t.body` and compare. */
function verify(r: Received, secret: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(r.headers['x-parley-signature']))
  if (!match) return false
  return createHmac('sha256', secret).update(`${match[1]}.${r.body}`).digest('hex') === match[2]
}

/** A JSON value's shape: its keys, nested, and the type at each leaf (so two events of different times compare). */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]))
  return value === null ? 'null' : typeof value
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
  const eventsFor = (id: string) => hook.received.map((r) => ({ r, event: JSON.parse(r.body) })).filter((x) => x.event.comment?.id === id)

  beforeAll(async () => {
    url = await hook.start()
    const db = await backend.open()
    t = await makeApp(db, { env: { PUBLIC_URL: 'http://parley.test', WEBHOOK_URL: url, WEBHOOK_SECRET: SECRET }, deps: { defer } })
    tEmail = await makeApp(db, {
      env: { PUBLIC_URL: 'http://parley.test', WEBHOOK_URL: url, WEBHOOK_SECRET: SECRET, WEBHOOK_INCLUDE_EMAIL: 'true' },
      deps: { defer },
    })
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
    const form = new URLSearchParams({
      article,
      author: 'Form Reader',
      email: uniqueEmail('form'),
      content: 'Posted without JavaScript',
      redirect: 'https://blog.example/post',
    })
    const res = await t.request('/api/comments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    })
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
    const page = await ask.text()
    expect(page).toContain('<form method="post">')
    expect((await (await t.admin('GET', `/comments/${id}`)).json()).status).toBe('pending')

    // The button posts the page's confirm ticket (test/security-act.test.ts).
    const confirm = new URLSearchParams({ confirm: /name="confirm" value="([^"]+)"/.exec(page)![1]! }).toString()
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' }
    const done = await t.request(path, { method: 'POST', headers: form, body: confirm })
    expect(done.status).toBe(200)
    expect((await (await t.admin('GET', `/comments/${id}`)).json()).status).toBe('approved')
    expect((await (await t.list(article)).json()).total).toBe(1)

    const again = await t.request(path, { method: 'POST', headers: form, body: confirm })
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
    expect(await deliver({ event: 'test', id: 'b2' }, { ...timing, fetch: silent })).toMatchObject({
      delivered: false,
      attempts: 2,
      status: 0,
      error: 'timeout',
    })
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
      const env = { PUBLIC_URL: 'http://parley.test', WEBHOOK_URL: failUrl, WEBHOOK_SECRET: SECRET, WEBHOOK_INCLUDE_EMAIL: 'true' }
      const fails = await makeApp(await backend.open(), { env })

      await announceHeld(fails.deps, { delays: [5, 5, 5] })
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
    for (const deliveryId of marks)
      await recordFailure(db, { deliveryId, event: 'comment.held', commentId: null, url: 'https://hooks.example/x', result }, new Date())
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

  describe('resending and dismissing failed deliveries', () => {
    const failing = receiver(503)
    let fails: TestApp // webhooks pointed at the failing receiver
    let quiet: TestApp // no webhook configured
    const listed = async (app: TestApp) => (await (await app.admin('GET', '/webhooks/failed?limit=200')).json()).deliveries as Listed[]

    beforeAll(async () => {
      const failUrl = await failing.start('/hook/tok-resend?key=querysecret')
      const db = await backend.open()
      fails = await makeApp(db, { env: { PUBLIC_URL: 'http://parley.test', WEBHOOK_URL: failUrl, WEBHOOK_SECRET: SECRET } })
      quiet = await makeApp(db)
    })
    afterAll(() => failing.stop())

    /** A held comment whose announcement failed every retry: its stored failure, and the first body the receiver was sent. */
    async function failedDelivery() {
      // Posted where no webhook is set, so nothing announces it before the failing receiver is tried.
      const posted = await quiet.post(validComment(uniqueArticle('resend'), { content: 'Announced to a broken receiver' }))
      expect(posted.status).toBe(201)
      const commentId = (await posted.json()).comment.id as string
      await announceHeld(fails.deps, { delays: [5, 5, 5] })
      const sent = failing.received.filter((r) => JSON.parse(r.body).comment.id === commentId)
      expect(sent).toHaveLength(4)
      const failure = (await listed(fails)).find((d) => d.commentId === commentId)
      expect(failure).toMatchObject({ status: 503, attempts: 4 })
      return { commentId, failure: failure!, original: sent[0]! }
    }
    const resend = (app: TestApp, id: string, token?: string) => app.admin('POST', `/webhooks/failed/${id}/resend`, undefined, token)

    it('resends: the same signed event under the same delivery id, retried like any delivery; then the failure is gone', async () => {
      const { commentId, failure, original } = await failedDelivery()
      hook.plan.push(503) // the resend's first try fails too; its retry (after the usual 1 s) gets through
      const res = await resend(t, failure.id)
      expect(res.status).toBe(200)
      expect(res.headers.get('Cache-Control')).toBe('no-store')
      const answer = await res.json()
      expect(answer).toEqual({ delivered: true, deliveryId: failure.deliveryId, attempts: 2, status: 200, error: null, failure: null })
      const documented = buildOpenApiDocument(t.config).components.schemas.ResendResult as { properties: object }
      expect(Object.keys(answer).sort()).toEqual(Object.keys(documented.properties).sort())

      const tries = eventsFor(commentId)
      expect(tries).toHaveLength(2)
      for (const { r } of tries) {
        expect(verify(r, SECRET)).toBe(true)
        expect(r.headers['x-parley-event']).toBe('comment.held')
        expect(r.headers['x-parley-delivery']).toBe(failure.deliveryId)
      }
      const first = JSON.parse(original.body)
      const again = tries[1]!.event
      expect(shape(again)).toEqual(shape(first))
      expect(again).toMatchObject({ event: 'comment.held', id: failure.deliveryId, comment: first.comment })
      // Its one-click links are fresh and work.
      expect((await t.request(new URL(again.links.approve).pathname)).status).toBe(200)

      expect((await listed(t)).map((d) => d.id)).not.toContain(failure.id)
      const audit = (await (await t.admin('GET', `/audit?comment=${commentId}`)).json()).entries
      expect(audit).toMatchObject([
        {
          moderator: 'admin',
          action: 'webhook.resend',
          commentId,
          detail: { deliveryId: failure.deliveryId, delivered: true, attempts: 2, status: 200 },
        },
      ])
      expect((await resend(t, failure.id)).status).toBe(404)
    })

    it('a resend that fails again updates the failure: attempts added, the last status and time', async () => {
      const { commentId, failure } = await failedDelivery()
      failing.plan.push(410) // refused: not retried
      const res = await resend(fails, failure.id)
      expect(res.status).toBe(200)
      const body = await res.json()
      expect(body).toEqual({
        delivered: false,
        deliveryId: failure.deliveryId,
        attempts: 1,
        status: 410,
        error: 'http_status',
        failure: { ...failure, status: 410, attempts: 5, failedAt: expect.any(String) },
      })
      expect(Date.parse(body.failure.failedAt)).toBeGreaterThanOrEqual(Date.parse(failure.failedAt))
      expect((await listed(fails)).find((d) => d.id === failure.id)).toEqual(body.failure)
      const tries = failing.received.filter((r) => JSON.parse(r.body).comment.id === commentId)
      expect(tries).toHaveLength(5)
      expect(verify(tries[4]!, SECRET)).toBe(true)
      expect(tries[4]!.headers['x-parley-delivery']).toBe(failure.deliveryId)
      expect(JSON.stringify(body)).not.toContain('querysecret')
    })

    it('refuses to resend when the comment was deleted (409 comment_gone) or webhooks are off (409 webhooks_off), and keeps the failure', async () => {
      const { commentId, failure } = await failedDelivery()
      const gone = await quiet.admin('POST', `/webhooks/failed/${failure.id}/resend`)
      expect(gone.status).toBe(409)
      expect(await gone.json()).toEqual({ error: { code: 'webhooks_off', message: expect.stringContaining('WEBHOOK_URL') } })

      expect((await t.admin('DELETE', `/comments/${commentId}`)).status).toBe(204)
      const res = await resend(t, failure.id)
      expect(res.status).toBe(409)
      expect(await res.json()).toEqual({ error: { code: 'comment_gone', message: expect.any(String) } })
      expect(eventsFor(commentId)).toEqual([])
      expect((await listed(t)).find((d) => d.id === failure.id)).toEqual(failure)
    })

    it('refuses to resend for a comment decided since (409 comment_decided: its links could undo the decision), and keeps the failure', async () => {
      for (const status of ['approved', 'spam', 'trash'] as const) {
        const { commentId, failure } = await failedDelivery()
        expect((await t.admin('PATCH', `/comments/${commentId}`, { status })).status).toBe(200)
        const res = await resend(t, failure.id)
        expect(res.status).toBe(409)
        const body = await res.json()
        expect(body).toEqual({ error: { code: 'comment_decided', message: expect.stringContaining(`Comment ${commentId} is ${status} now`) } })
        expect(body.error.message).toContain('Dismiss this failure')
        expect(eventsFor(commentId)).toEqual([])
        expect((await listed(t)).find((d) => d.id === failure.id)).toEqual(failure)
        // Held again: then it is announced again.
        if (status === 'spam') {
          expect((await t.admin('PATCH', `/comments/${commentId}`, { status: 'pending' })).status).toBe(200)
          expect(await (await resend(t, failure.id)).json()).toMatchObject({ delivered: true, failure: null })
          expect(eventsFor(commentId)).toHaveLength(1)
        }
      }
    })

    it('refuses to resend an event it cannot build (409 not_resendable); unknown ids are 404 not_found', async () => {
      const result = { delivered: false, attempts: 1, status: 410, error: 'http_status' as const, firstAttemptAt: new Date() }
      const deliveryId = randomUUID()
      await recordFailure(t.deps.db, { deliveryId, event: 'comment.edited', commentId: null, url: 'https://hooks.example/x', result }, new Date())
      const id = (await listed(t)).find((d) => d.deliveryId === deliveryId)!.id
      const res = await resend(t, id)
      expect(res.status).toBe(409)
      expect(await res.json()).toEqual({ error: { code: 'not_resendable', message: expect.any(String) } })

      for (const unknown of ['999999999999999', 'abc', '0']) {
        for (const res of [await resend(t, unknown), await t.admin('DELETE', `/webhooks/failed/${unknown}`)]) {
          expect(res.status).toBe(404)
          expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } })
        }
      }
    })

    it('dismisses one failure (204, then 404), audited', async () => {
      const result = { delivered: false, attempts: 2, status: 0, error: 'network' as const, firstAttemptAt: new Date() }
      const commentId = 900_000_000 + Math.floor(Math.random() * 99_999_999)
      const [keep, drop] = [randomUUID(), randomUUID()]
      for (const deliveryId of [keep, drop])
        await recordFailure(t.deps.db, { deliveryId, event: 'comment.held', commentId, url: 'https://hooks.example/x', result }, new Date())
      const id = (await listed(t)).find((d) => d.deliveryId === drop)!.id
      expect((await t.admin('DELETE', `/webhooks/failed/${id}`)).status).toBe(204)
      const after = (await listed(t)).map((d) => d.deliveryId)
      expect(after).not.toContain(drop)
      expect(after).toContain(keep)
      expect((await t.admin('DELETE', `/webhooks/failed/${id}`)).status).toBe(404)
      const audit = (await (await t.admin('GET', `/audit?comment=${commentId}`)).json()).entries
      expect(audit).toMatchObject([{ moderator: 'admin', action: 'webhook.dismiss', commentId: String(commentId), detail: { deliveryId: drop } }])
    })

    // Clearing every row would race with other test files listing failures on a server PostgreSQL shared by workers;
    // the embedded one is per worker, and its files run one after another.
    it.skipIf(backend.name !== 'embedded')('dismisses every failure at once (204), audited', async () => {
      const result = { delivered: false, attempts: 1, status: 500, error: 'http_status' as const, firstAttemptAt: new Date() }
      for (const deliveryId of [randomUUID(), randomUUID()])
        await recordFailure(t.deps.db, { deliveryId, event: 'comment.held', commentId: null, url: 'https://hooks.example/x', result }, new Date())
      const before = (await listed(t)).length
      expect(before).toBeGreaterThanOrEqual(2)
      expect((await t.admin('DELETE', '/webhooks/failed')).status).toBe(204)
      expect(await (await t.admin('GET', '/webhooks/failed')).json()).toEqual({ deliveries: [], nextCursor: null })
      const audit = (await (await t.admin('GET', '/audit?limit=1')).json()).entries
      expect(audit).toMatchObject([{ moderator: 'admin', action: 'webhook.dismiss_all', commentId: null, detail: { dismissed: before } }])
      expect((await t.admin('DELETE', '/webhooks/failed')).status).toBe(204)
    })

    // Embedded only, as above: dismissing every failure up to an id takes other files' failures with it.
    it.skipIf(backend.name !== 'embedded')(
      'dismisses only failures up to ?upTo=ID: one recorded after the list was loaded stays; upTo must be an id (400)',
      async () => {
        const result = { delivered: false, attempts: 1, status: 500, error: 'http_status' as const, firstAttemptAt: new Date() }
        const record = (deliveryId: string) =>
          recordFailure(t.deps.db, { deliveryId, event: 'comment.held', commentId: null, url: 'https://hooks.example/x', result }, new Date())
        const [first, second, late] = [randomUUID(), randomUUID(), randomUUID()]
        await record(first)
        await record(second)
        const seen = await listed(t) // the moderator's list, newest first
        await record(late) // recorded after the list was loaded

        for (const bad of ['abc', '0', '-3', '07', '1.5', '99999999999999999', '']) {
          const res = await t.admin('DELETE', `/webhooks/failed?upTo=${bad}`)
          expect(res.status).toBe(400)
          expect(await res.json()).toEqual({
            error: { code: 'validation_failed', message: expect.any(String), fields: { upTo: expect.any(String) } },
          })
        }
        expect((await listed(t)).length).toBe(seen.length + 1)

        expect((await t.admin('DELETE', `/webhooks/failed?upTo=${seen[0]!.id}`)).status).toBe(204)
        expect((await listed(t)).map((d) => d.deliveryId)).toEqual([late])
        const audit = (await (await t.admin('GET', '/audit?limit=1')).json()).entries
        expect(audit).toMatchObject([{ action: 'webhook.dismiss_all', detail: { dismissed: seen.length, upTo: seen[0]!.id } }])
        expect(seen.map((d) => d.deliveryId)).toEqual(expect.arrayContaining([first, second]))
      },
    )

    it('resend and dismiss are behind the moderator guard (401)', async () => {
      const result = { delivered: false, attempts: 1, status: 500, error: 'http_status' as const, firstAttemptAt: new Date() }
      const deliveryId = randomUUID()
      await recordFailure(t.deps.db, { deliveryId, event: 'comment.held', commentId: null, url: 'https://hooks.example/x', result }, new Date())
      const id = (await listed(t)).find((d) => d.deliveryId === deliveryId)!.id
      const attempts = [
        (token?: string) => resend(t, id, token),
        (token?: string) => t.admin('DELETE', `/webhooks/failed/${id}`, undefined, token),
        (token?: string) => t.admin('DELETE', '/webhooks/failed', undefined, token),
      ]
      for (const attempt of attempts) {
        const res = await attempt('not-a-moderator-token')
        expect(res.status).toBe(401)
        expect((await res.json()).error.code).toBe('unauthorized')
      }
      for (const [method, path] of [
        ['POST', `/api/admin/webhooks/failed/${id}/resend`],
        ['DELETE', `/api/admin/webhooks/failed/${id}`],
        ['DELETE', '/api/admin/webhooks/failed'],
      ] as const) {
        expect((await t.request(path, { method })).status).toBe(401)
      }
      expect((await listed(t)).map((d) => d.deliveryId)).toContain(deliveryId)
    })
  })
})
