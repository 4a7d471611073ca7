import { describe, expect, it } from 'vitest'
import { openPostgres } from '../src/db/postgres.js'
import { backends } from './support/db.js'
import { makeApp, uniqueArticle, validComment, appForSuite } from './support/app.js'

describe.each(backends)('moderator API on $name PostgreSQL', (backend) => {
  const t = appForSuite(backend)

  it.each([
    ['no header', undefined],
    ['a wrong token', 'Bearer wrong-token-wrong-token'],
    ['a different scheme', `Basic ${btoa('admin:x')}`],
  ])('401 unauthorized with %s', async (_name, header) => {
    for (const [method, path] of [
      ['GET', '/comments'],
      ['GET', '/comments/1'],
      ['PATCH', '/comments/1'],
      ['DELETE', '/comments/1'],
    ] as const) {
      const res = await t.request(`/api/admin${path}`, { method, headers: header ? { Authorization: header } : {} })
      expect(res.status, `${method} ${path}`).toBe(401)
      expect((await res.json()).error.code).toBe('unauthorized')
    }
  })

  it('shows moderators everything: status, email, anonymized ip, user agent, reasons', async () => {
    const article = uniqueArticle('admin')
    const email = 'Moderated.Reader@Example.com'
    const { comment } = await (await t.post(validComment(article, { email }), { 'User-Agent': 'TestBrowser/1.0' })).json()
    const res = await t.admin('GET', `/comments/${comment.id}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      id: comment.id,
      article,
      status: 'pending',
      email,
      userAgent: 'TestBrowser/1.0',
      reasons: expect.arrayContaining(['no_form_token']),
    })
  })

  it('lists newest first, filters by status and article, and pages with a cursor', async () => {
    const article = uniqueArticle('queue')
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await (await t.post(validComment(article))).json()).comment.id)
    await t.admin('PATCH', `/comments/${ids[1]}`, { status: 'spam' })
    const q = `article=${encodeURIComponent(article)}`
    const all = await (await t.admin('GET', `/comments?${q}&limit=2`)).json()
    expect(all.comments.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[1]])
    const rest = await (await t.admin('GET', `/comments?${q}&limit=2&cursor=${all.nextCursor}`)).json()
    expect(rest.comments.map((c: { id: string }) => c.id)).toEqual([ids[0]])
    expect(rest.nextCursor).toBeNull()
    const pending = await (await t.admin('GET', `/comments?${q}&status=pending`)).json()
    expect(pending.comments.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[0]])
    const spam = await (await t.admin('GET', `/comments?${q}&status=spam`)).json()
    expect(spam.comments.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([[ids[1], 'spam']])
  })

  it('400 for an unknown status filter or status value', async () => {
    expect((await t.admin('GET', '/comments?status=published')).status).toBe(400)
    const article = uniqueArticle()
    const { comment } = await (await t.post(validComment(article))).json()
    const res = await t.admin('PATCH', `/comments/${comment.id}`, { status: 'published' })
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('validation_failed')
  })

  it('404 not_found for unknown ids on GET, PATCH and DELETE', async () => {
    for (const id of ['987654321', 'abc', '0']) {
      for (const [method, body] of [
        ['GET', undefined],
        ['PATCH', { status: 'approved' }],
        ['DELETE', undefined],
      ] as const) {
        const res = await t.admin(method, `/comments/${id}`, body)
        expect(res.status, `${method} ${id}`).toBe(404)
        expect((await res.json()).error.code).toBe('not_found')
      }
    }
  })

  it('keeps counts right through approve, unapprove and delete', async () => {
    const article = uniqueArticle('counts')
    const count = async () => (await (await t.request(`/api/counts?article=${encodeURIComponent(article)}`)).json()).counts[article]
    const a = (await (await t.post(validComment(article))).json()).comment.id
    const b = (await (await t.post(validComment(article))).json()).comment.id
    await t.admin('PATCH', `/comments/${a}`, { status: 'approved' })
    await t.admin('PATCH', `/comments/${a}`, { status: 'approved' }) // idempotent
    await t.admin('PATCH', `/comments/${b}`, { status: 'approved' })
    expect(await count()).toBe(2)
    await t.admin('PATCH', `/comments/${b}`, { status: 'trash' })
    expect(await count()).toBe(1)
    const del = await t.admin('DELETE', `/comments/${a}`)
    expect(del.status).toBe(204)
    expect(await count()).toBe(0)
    expect((await t.admin('GET', `/comments/${a}`)).status).toBe(404)
    expect((await (await t.list(article)).json()).comments).toEqual([])
  })

  it('keeps replies when their parent is deleted, moved to the top level', async () => {
    const article = uniqueArticle('orphans')
    const parent = await t.approved(article)
    const reply = await t.approved(article, { parentId: parent })
    await t.admin('DELETE', `/comments/${parent}`)
    const list = await (await t.list(article)).json()
    expect(list.comments.map((c: { id: string; parentId: string | null }) => [c.id, c.parentId])).toEqual([[reply, null]])
  })

  it('auto-approves an author with an earlier approved comment only when the operator turns it on', async () => {
    const article = uniqueArticle('auto')
    const email = 'regular@example.com'
    const auto = await makeApp(await backend.open(), { env: { AUTO_APPROVE: 'true' } })
    const first = (await (await auto.post(validComment(article, { email }))).json()).comment
    expect(first.status).toBe('pending')
    await auto.admin('PATCH', `/comments/${first.id}`, { status: 'approved' })
    // Form tokens make the checks quiet; a reason would hold the comment anyway.
    const token = (await (await auto.list(article)).json()).formToken
    const later = new Date(Date.now() + 10_000)
    const autoLater = await makeApp(await backend.open(), { env: { AUTO_APPROVE: 'true' }, deps: { clock: () => later } })
    const plainLater = await makeApp(await backend.open(), { deps: { clock: () => later } })
    const second = await (await plainLater.post(validComment(article, { email, formToken: token }))).json()
    expect(second.comment.status).toBe('pending')
    const third = await (await autoLater.post(validComment(article, { email, formToken: token }))).json()
    // Published, but the answer is a held comment's: it must not tell whether an address was ever approved.
    expect(third.comment.status).toBe('pending')
    expect(third.message).toBe('Your comment is awaiting moderation.')
    expect((await (await t.list(article)).json()).total).toBe(2)
  })
})

describe('GET /healthz without a database', () => {
  it('503 with the error shape when the database does not answer', async () => {
    const db = openPostgres({ connectionString: 'postgres://nobody:x@127.0.0.1:1/none', max: 1 })
    const t = await makeApp(db)
    const res = await t.request('/healthz')
    expect(res.status).toBe(503)
    expect((await res.json()).error.code).toBe('unavailable')
    await db.destroy()
  })
})
