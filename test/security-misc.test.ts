// The review's smaller findings: NUL and broken Unicode, tokens in logs, request ids, moderator names and
// tokens, failed sign-ins, look-alike duplicates.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../src/config.js'
import { createModerator } from '../src/db/moderators.js'
import { createActionToken } from '../src/privacy/action-link.js'
import { backends } from './support/db.js'
import { ADMIN_TOKEN, makeApp, testConfig, uniqueArticle, uniqueEmail, validComment, appForSuite } from './support/app.js'

describe.each(backends)('hardening on $name PostgreSQL', (backend) => {
  const logs: Record<string, unknown>[] = []
  const t = appForSuite(backend, { env: { LOG_REQUESTS: 'true' }, deps: { log: (entry) => void logs.push(entry) } })

  it.each(['\u0000', '\ud800', '\udc00x'])('text the database cannot store (%j) is a 400 naming the field, on every route', async (bad) => {
    const article = uniqueArticle('nul')
    for (const field of ['article', 'author', 'content', 'url', 'email']) {
      const value = field === 'url' ? `https://x.example/${bad}` : field === 'email' ? `a${bad}b@example.com` : `x${bad}y`
      const res = await t.post(validComment(article, { [field]: value }))
      expect(res.status, field).toBe(400)
      const body = await res.json()
      expect(body.error.code).toBe('validation_failed')
      expect(Object.keys(body.error.fields)).toEqual([field])
    }
    // A URL cannot carry half a surrogate pair (its bytes decode to U+FFFD); a NUL it can.
    if (bad !== '\u0000') return
    const q = encodeURIComponent(`/x${bad}`)
    const reads: [string, string][] = [
      [`/api/comments?article=${q}`, 'article'],
      [`/api/counts?article=${q}`, 'article'],
      [`/api/admin/comments?article=${q}`, 'article'],
      [`/api/admin/personal-data?email=${encodeURIComponent(`a${bad}@example.com`)}`, 'email'],
      [`/api/admin/articles?article=${q}`, 'article'],
    ]
    for (const [path, field] of reads) {
      const res = await t.request(path, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })
      expect(res.status, path).toBe(400)
      expect(Object.keys((await res.json()).error.fields ?? {}), path).toContain(field)
    }
    expect(logs.filter((l) => l.level === 'error')).toEqual([])
  })

  it('a one-click link is logged as its route, never with its token', async () => {
    const token = await createActionToken(t.deps.keys, { commentId: 1, action: 'approve', expires: Math.floor(Date.now() / 1000) + 600 })
    await t.request(`/admin/act/${token}`)
    await t.request(`/admin/act/${token}`, { method: 'POST' })
    const lines = logs.filter((l) => l.msg === 'request' && String(l.path).startsWith('/admin/act'))
    expect(lines.length).toBe(2)
    expect(JSON.stringify(logs)).not.toContain(token.slice(0, 20))
    for (const line of lines) expect(line.path).toBe('/admin/act/:token')
  })

  it('a client X-Request-Id is used only when it is a plain token', async () => {
    const plain = await t.request('/healthz', { headers: { 'X-Request-Id': 'edge-1234.abc:5' } })
    expect(plain.headers.get('X-Request-Id')).toBe('edge-1234.abc:5')
    for (const forged of ['a b', '"},{"level":"error', 'x'.repeat(65), 'id\u0001']) {
      const res = await t.request('/healthz', { headers: { 'X-Request-Id': forged } })
      expect(res.headers.get('X-Request-Id'), forged).toMatch(/^[0-9a-f]{16}$/)
    }
  })

  it('zero-width and look-alike characters do not make a text new for the duplicate check', async () => {
    const article = uniqueArticle('lookalike')
    const comment = validComment(article, { content: `Duplicate text number ${randomUUID().slice(0, 8)}` })
    expect((await t.post(comment)).status).toBe(201)
    const disguised = [
      comment.content.replace('Duplicate', 'Dup\u200blicate'),
      comment.content.replace('Duplicate', 'Du\u0440licate'), // Cyrillic р
      comment.content.replace('text', 't\u0435xt\u2060'), // Cyrillic е, word joiner
    ]
    for (const content of disguised) {
      const res = await t.post({ ...comment, content })
      expect(res.status, JSON.stringify(content)).toBe(409)
    }
  })

  it("names of Parley's own actors cannot be given to a moderator", async () => {
    for (const name of ['webhook-link', 'import', 'Import', 'ADMIN', 'system']) {
      await expect(createModerator(t.deps.db, name), name).rejects.toThrow(/reserved/)
    }
    expect(await createModerator(t.deps.db, `alice-${randomUUID().slice(0, 8)}`)).toMatch(/^pm_/)
  })

  it('wrong moderator tokens are throttled per client: then even the right one waits, another client does not', async () => {
    const guard = await makeApp(t.deps.db, { env: { TRUST_PROXY: 'true', ADMIN_AUTH_FAILURES: '20' } })
    const from = (ip: string, token: string) =>
      guard.request('/api/admin/stats', { headers: { Authorization: `Bearer ${token}`, 'X-Forwarded-For': ip } })
    const attacker = `10.77.${Math.floor(Math.random() * 250)}.1`
    const statuses = []
    for (let i = 0; i < 21; i++) statuses.push((await from(attacker, `guess-${i}-${randomUUID()}`)).status)
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true)
    expect(statuses[20]).toBe(429)
    const right = await from(attacker, ADMIN_TOKEN)
    expect(right.status).toBe(429)
    expect(Number(right.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect((await from('10.78.0.1', ADMIN_TOKEN)).status).toBe(200)
    // No token at all is not a guess.
    for (let i = 0; i < 25; i++) expect((await guard.request('/api/admin/stats', { headers: { 'X-Forwarded-For': '10.79.0.1' } })).status).toBe(401)
    expect((await from('10.79.0.1', ADMIN_TOKEN)).status).toBe(200)
  })
})

describe('the admin token', () => {
  it('is at least 20 characters and not a repeated word', () => {
    for (const bad of ['changemechangeme', 'changemechangemechangeme', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']) {
      expect(() => testConfig({ ADMIN_TOKEN: bad }), bad).toThrow(ConfigError)
    }
    expect(testConfig({ ADMIN_TOKEN: 'Vq3m9Zr1xLk2Pw8sYt4uNc' }).adminToken).toBe('Vq3m9Zr1xLk2Pw8sYt4uNc')
    expect(uniqueEmail()).toContain('@')
  })
})
