// Links Parley sends out (webhook one-click links, the console link) and where its webhook POSTs go.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../src/config.js'
import { deliver } from '../src/webhooks/deliver.js'
import { backends } from './support/db.js'
import { ADMIN_TOKEN, SECRET_KEY, makeApp, uniqueArticle, validComment, type TestApp } from './support/app.js'

type Hit = { path: string; body: string }

/** A local HTTP server that records requests and answers with `answer(path)`. */
function sink(answer: (path: string) => { status: number; location?: string } = () => ({ status: 200 })) {
  const hits: Hit[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      hits.push({ path: req.url ?? '', body })
      const { status, location } = answer(req.url ?? '')
      res.writeHead(status, location ? { Location: location } : {})
      res.end()
    })
  })
  return {
    hits,
    start: () =>
      new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe('PUBLIC_URL is required by anything that sends links', () => {
  const base = { ADMIN_TOKEN, SECRET_KEY }

  it.each([
    ['WEBHOOK_URL', { WEBHOOK_URL: 'https://hooks.example/parley', WEBHOOK_SECRET: 'whsec-0123456789abcdef' }],
    ['SMTP_URL', { SMTP_URL: 'smtp://mail.example:587' }],
  ])('the start refuses %s without PUBLIC_URL, naming both', (sender, env) => {
    expect(() => parseConfig({ ...base, ...env })).toThrow(ConfigError)
    expect(() => parseConfig({ ...base, ...env })).toThrow(new RegExp(`PUBLIC_URL: is required when ${sender} is set`))
    expect(parseConfig({ ...base, ...env, PUBLIC_URL: 'https://comments.example/' }).publicUrl).toBe('https://comments.example')
  })

  it('PUBLIC_URL must be an http(s) URL', () => {
    for (const bad of ['javascript:alert(1)', 'comments.example', 'https://', 'ftp://x.example']) {
      expect(() => parseConfig({ ...base, PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL: must be an http\(s\) URL/)
    }
  })
})

// The embedded database only: a webhook app announces every unannounced comment of its database, so on the
// server PostgreSQL (shared by test files running in parallel) it would take other files' comments. Links are
// built the same way whichever database holds the comment.
describe.each(backends.slice(0, 1))('webhook links on $name PostgreSQL', (backend) => {
  const hook = sink()
  let t: TestApp
  const pending: Promise<unknown>[] = []
  const defer = (work: Promise<unknown>) => void pending.push(work)

  beforeAll(async () => {
    const url = await hook.start()
    t = await makeApp(await backend.open(), {
      env: { PUBLIC_URL: 'https://comments.example', WEBHOOK_URL: `${url}/hook`, WEBHOOK_SECRET: 'whsec-links-0123456789' },
      deps: { defer },
    })
  })
  afterAll(() => hook.stop())

  it('a post sent with a forged Host header gets links to PUBLIC_URL, never to that host', async () => {
    const article = uniqueArticle('host')
    const res = await t.app.request('http://evil.example/api/comments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Host: 'evil.example', 'X-Forwarded-Host': 'evil.example' },
      body: JSON.stringify(validComment(article)),
    })
    expect(res.status).toBe(201)
    while (pending.length) await pending.shift()
    const events = hook.hits.map((h) => JSON.parse(h.body)).filter((e) => e.comment?.article === article)
    expect(events).toHaveLength(1)
    const links = Object.values(events[0].links as Record<string, string>)
    expect(links).toHaveLength(4)
    for (const link of links) expect(link.startsWith('https://comments.example/admin')).toBe(true)
    expect(JSON.stringify(events[0])).not.toContain('evil.example')
  })
})

describe('webhook delivery', () => {
  it('does not follow a redirect: the signed body goes to WEBHOOK_URL only, and a 3xx is a failure', async () => {
    const elsewhere = sink()
    const elsewhereUrl = await elsewhere.start()
    for (const status of [301, 302, 307, 308]) {
      const hook = sink(() => ({ status, location: `${elsewhereUrl}/stolen` }))
      const url = await hook.start()
      const result = await deliver(
        { id: 'd-1', event: 'comment.held' },
        { url: `${url}/hook`, secret: 'whsec-0123456789', log: () => {}, delays: [] },
      )
      await hook.stop()
      expect(hook.hits).toHaveLength(1)
      expect(result).toMatchObject({ delivered: false, status, error: 'http_status' })
    }
    await elsewhere.stop()
    expect(elsewhere.hits).toEqual([])
  })
})
