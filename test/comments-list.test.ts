import { describe, expect, it } from 'vitest'
import { backends } from './support/db.js'
import { makeApp, uniqueArticle, validComment, appForSuite } from './support/app.js'

describe.each(backends)('public lists and counts on $name PostgreSQL', (backend) => {
  const t = appForSuite(backend)

  async function approvedComments(article: string, n: number): Promise<string[]> {
    const ids: string[] = []
    for (let i = 0; i < n; i++) {
      const { comment } = await (await t.post(validComment(article, { content: `Comment number ${i}` }))).json()
      await t.admin('PATCH', `/comments/${comment.id}`, { status: 'approved' })
      ids.push(comment.id)
    }
    return ids
  }

  it('answers an unknown article with an empty list and a form token', async () => {
    const article = uniqueArticle('unknown')
    const res = await t.list(article)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({ article, comments: [], total: 0, nextCursor: null })
    expect(body.formToken).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{43}$/)
  })

  it('400 validation_failed without an article, or with a bad limit or cursor', async () => {
    for (const path of [
      '/api/comments',
      '/api/comments?article=',
      '/api/comments?article=/a&limit=0',
      '/api/comments?article=/a&limit=abc',
      '/api/comments?article=/a&cursor=%%%',
    ]) {
      const res = await t.request(path)
      expect(res.status, path).toBe(400)
      expect((await res.json()).error.code, path).toBe('validation_failed')
    }
  })

  it('pages oldest first with a cursor, and reports the total', async () => {
    const article = uniqueArticle('pages')
    const ids = await approvedComments(article, 5)
    const first = await (await t.list(article, '&limit=2')).json()
    expect(first.comments.map((c: { id: string }) => c.id)).toEqual(ids.slice(0, 2))
    expect(first.total).toBe(5)
    const second = await (await t.list(article, `&limit=2&cursor=${first.nextCursor}`)).json()
    expect(second.comments.map((c: { id: string }) => c.id)).toEqual(ids.slice(2, 4))
    const third = await (await t.list(article, `&limit=2&cursor=${second.nextCursor}`)).json()
    expect(third.comments.map((c: { id: string }) => c.id)).toEqual(ids.slice(4))
    expect(third.nextCursor).toBeNull()
  })

  it('shows only approved comments: pending, spam and trash stay hidden', async () => {
    const article = uniqueArticle('statuses')
    const ids: Record<string, string> = {}
    for (const status of ['pending', 'approved', 'spam', 'trash']) {
      ids[status] = (await (await t.post(validComment(article))).json()).comment.id
      if (status !== 'pending') await t.admin('PATCH', `/comments/${ids[status]}`, { status })
    }
    const body = await (await t.list(article)).json()
    expect(body.comments.map((c: { id: string }) => c.id)).toEqual([ids.approved])
    expect(body.total).toBe(1)
  })

  it('sends an ETag and answers 304 until the list changes', async () => {
    const article = uniqueArticle('etag')
    await approvedComments(article, 1)
    const first = await t.list(article)
    const etag = first.headers.get('ETag')
    expect(etag).toBeTruthy()
    const again = await t.list(article, '', { 'If-None-Match': etag! })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    // A pending comment does not change the public list...
    const { comment } = await (await t.post(validComment(article))).json()
    expect((await t.list(article, '', { 'If-None-Match': etag! })).status).toBe(304)
    // ...its approval does.
    await t.admin('PATCH', `/comments/${comment.id}`, { status: 'approved' })
    const changed = await t.list(article, '', { 'If-None-Match': etag! })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('ETag')).not.toBe(etag)
    expect((await changed.json()).comments).toHaveLength(2)
  })

  it('renders html safely: escaped markup, paragraphs, nofollow links', async () => {
    const article = uniqueArticle('html')
    const content = '<img src=x onerror="alert(1)"> & "quotes"\n\nSee https://example.com/a?b=1&c=2.'
    const { comment } = await (await t.post(validComment(article, { content }))).json()
    expect(comment.content).toBe(content)
    expect(comment.html).toBe(
      '<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &quot;quotes&quot;</p>' +
        '<p>See <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener">https://example.com/a?b=1&amp;c=2</a>.</p>',
    )
  })

  it('counts approved comments for many articles at once, unknown ones as 0', async () => {
    const a = uniqueArticle('count-a')
    const b = uniqueArticle('count-b')
    await approvedComments(a, 2)
    await approvedComments(b, 1)
    await t.post(validComment(b)) // pending: not counted
    const query = [a, b, '/never'].map((k) => `article=${encodeURIComponent(k)}`).join('&')
    const res = await t.request(`/api/counts?${query}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ counts: { [a]: 2, [b]: 1, '/never': 0 } })
  })

  it('400 for counts without articles or with more than 100', async () => {
    expect((await t.request('/api/counts')).status).toBe(400)
    const many = Array.from({ length: 101 }, (_, i) => `article=/k${i}`).join('&')
    const res = await t.request(`/api/counts?${many}`)
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('validation_failed')
    const hundred = Array.from({ length: 100 }, (_, i) => `article=/k${i}`).join('&')
    expect((await t.request(`/api/counts?${hundred}`)).status).toBe(200)
  })

  it('allows CORS for the configured origins only', async () => {
    const allowed = await t.list('/x', '', { Origin: 'https://blog.example' })
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://blog.example')
    expect(allowed.headers.get('Access-Control-Expose-Headers')).toContain('ETag')
    expect(allowed.headers.get('Vary')).toBe('Origin')
    expect(allowed.headers.get('X-Request-Id')).toBeTruthy()
    const counted = await t.request('/api/counts?article=/x', { headers: { Origin: 'https://blog.example', 'X-Request-Id': 'r-1' } })
    expect(counted.headers.get('Access-Control-Allow-Origin')).toBe('https://blog.example')
    expect(counted.headers.get('X-Request-Id')).toBe('r-1')
    const other = await t.list('/x', '', { Origin: 'https://evil.example' })
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull()
    const preflight = await t.request('/api/comments', {
      method: 'OPTIONS',
      headers: { Origin: 'https://blog.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe('https://blog.example')
  })

  it('every public answer carries the request id, Vary and CORS: a post, a refusal, a 304, an error', async () => {
    const origin = { Origin: 'https://blog.example' }
    const article = `/cors/${crypto.randomUUID()}`
    const answers = [
      await t.post({ article, author: 'Cors', email: 'cors@example.com', content: 'Posted across origins' }, { ...origin, 'X-Request-Id': 'r-post' }),
      await t.post({ article }, { ...origin, 'X-Request-Id': 'r-refused' }),
      await t.request('/api/counts', { headers: { ...origin, 'X-Request-Id': 'r-error' } }),
    ]
    const etag = (await t.list(article)).headers.get('ETag')!
    answers.push(await t.list(article, '', { ...origin, 'If-None-Match': etag, 'X-Request-Id': 'r-304' }))
    expect(answers.map((r) => r.status)).toEqual([201, 400, 400, 304])
    expect(answers.map((r) => r.headers.get('X-Request-Id'))).toEqual(['r-post', 'r-refused', 'r-error', 'r-304'])
    for (const r of answers) {
      expect(r.headers.get('Vary')).toBe('Origin')
      expect(r.headers.get('Access-Control-Allow-Origin')).toBe('https://blog.example')
      expect(r.headers.get('Access-Control-Expose-Headers')).toContain('Retry-After')
    }
    expect((await t.request('/nope', { headers: { 'X-Request-Id': 'r-404' } })).headers.get('X-Request-Id')).toBe('r-404')
  })

  it('says closed: true once an article closing by age is due, with a new ETag, and not before', async () => {
    const article = uniqueArticle('closing-by-age')
    const { comment } = await (await t.post(validComment(article))).json()
    await t.admin('PATCH', `/comments/${comment.id}`, { status: 'approved' })
    const db = await backend.open()
    const HOUR = 3_600_000
    // Half past an hour, so the minute before and the moment after share the ETag's hour bucket.
    const due = (Math.floor(Date.now() / HOUR) + 3) * HOUR + HOUR / 2
    // As AUTO_CLOSE_DAYS schedules it: closed_at set ahead of time.
    await db
      .updateTable('articles')
      .set({ closed_at: new Date(due) })
      .where('key', '=', article)
      .execute()
    let now = due - 60_000
    const timed = await makeApp(db, { deps: { clock: () => new Date(now) } })
    const before = await timed.list(article)
    expect((await before.json()).closed).toBeUndefined()
    const tag = before.headers.get('ETag')!
    now = due + 1
    const after = await timed.list(article, '', { 'If-None-Match': tag })
    expect(after.status).toBe(200)
    expect(await after.json()).toMatchObject({ closed: true, total: 1, comments: [{ id: comment.id }] })
    expect(after.headers.get('ETag')).not.toBe(tag)
    // An unknown article is open.
    expect((await (await timed.list(uniqueArticle('never'))).json()).closed).toBeUndefined()
  })

  it('answers unknown routes with the contract error shape', async () => {
    const res = await t.request('/nope')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } })
  })

  it('logs every request, unmatched routes (404) included, by path only', async () => {
    const logs: Record<string, unknown>[] = []
    const logged = await makeApp(await backend.open(), { env: { LOG_REQUESTS: 'true' }, deps: { log: (e) => void logs.push(e) } })
    const statuses = [
      (await logged.request('/favicon.ico')).status,
      (await logged.request('/nope-xyz?email=someone@example.com')).status,
      (await logged.post({ article: '/x' })).status,
      (await logged.list(uniqueArticle('logged'))).status,
    ]
    expect(statuses).toEqual([404, 404, 400, 200])
    const lines = logs.filter((e) => e.msg === 'request')
    expect(lines.map((e) => [e.method, e.path, e.status])).toEqual([
      ['GET', '/favicon.ico', 404],
      ['GET', '/nope-xyz', 404],
      ['POST', '/api/comments', 400],
      ['GET', '/api/comments', 200],
    ])
    expect(JSON.stringify(logs)).not.toContain('someone@example.com')
  })

  it('serves each language table of the embed to any origin, 404 for a language it has not', async () => {
    const res = await t.request('/embed/lang/ru.json', { headers: { Origin: 'https://elsewhere.example' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(res.headers.get('Cache-Control')).toMatch(/^public/)
    expect((await res.json()).count).toEqual({ one: '{n} комментарий', few: '{n} комментария', many: '{n} комментариев', other: '{n} комментария' })
    const none = await t.request('/embed/lang/xx.json')
    expect(none.status).toBe(404)
    expect((await none.json()).error.code).toBe('not_found')
  })

  it('GET /healthz is 200 when the database answers', async () => {
    const res = await t.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
  })
})
