import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliver } from '../src/webhooks/deliver.js'
import { createActionToken } from '../src/webhooks/sign.js'
import { backends } from './support/db.js'
import { makeApp, uniqueArticle, uniqueEmail, validComment, type TestApp } from './support/app.js'

const SECRET = 'whsec-test-0123456789'
type Received = { headers: IncomingHttpHeaders; body: string }

/** A local receiver: answers with the next status in `plan` (then 200), records every request. */
function receiver() {
  const received: Received[] = []
  const plan: number[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      received.push({ headers: req.headers, body })
      res.statusCode = plan.shift() ?? 200
      res.end()
    })
  })
  return {
    received,
    plan,
    start: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`))),
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
    expect(await deliver({ event: 'test', id: 'r1' }, options)).toBe(true)
    expect(hook.received.length - before).toBe(3)
    expect(waits).toEqual([10, 20])
    expect(hook.received.slice(before).every((r) => verify(r, SECRET))).toBe(true)

    hook.plan.push(400)
    waits.length = 0
    expect(await deliver({ event: 'test', id: 'r2' }, options)).toBe(false)
    expect(waits).toEqual([])

    waits.length = 0
    expect(await deliver({ event: 'test', id: 'r3' }, { ...options, url: 'http://127.0.0.1:1/nothing' })).toBe(false)
    expect(waits).toEqual([10, 20, 40])
  })
})
