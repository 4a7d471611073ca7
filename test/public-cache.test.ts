import { describe, expect, it } from 'vitest'
import { PublicCache, type CachedPage } from '../src/cache/public-cache.js'
import { announceArticle } from '../src/db/articles.js'
import { eventually, cachingReaderForSuite } from './support/cache.js'
import { backends } from './support/db.js'
import { makeApp, uniqueArticle, validComment, appForSuite } from './support/app.js'

describe.each(backends)('the public cache across instances on $name PostgreSQL', (backend) => {
  // Two instances over one database: the reader caches, the writer is where moderators act.
  const writer = appForSuite(backend)
  const { reader, cache } = cachingReaderForSuite(backend)

  it('serves lists and counts from the cache, and drops them when another instance approves', async () => {
    const article = uniqueArticle('cache')
    const countsPath = `/api/counts?article=${encodeURIComponent(article)}`
    expect((await (await reader.list(article)).json()).comments).toEqual([])
    expect((await (await reader.request(countsPath)).json()).counts[article]).toBe(0)
    expect(cache.size).toBeGreaterThan(0)

    const { comment } = await (await writer.post(validComment(article))).json()
    await writer.admin('PATCH', `/comments/${comment.id}`, { status: 'approved' })
    await eventually(async () => {
      const list = await (await reader.list(article)).json()
      expect(list.comments.map((c: { id: string }) => c.id)).toEqual([comment.id])
      expect(list.total).toBe(1)
    })
    await eventually(async () => expect((await (await reader.request(countsPath)).json()).counts[article]).toBe(1))

    await writer.admin('DELETE', `/comments/${comment.id}`)
    await eventually(async () => expect((await (await reader.list(article)).json()).comments).toEqual([]))
    await eventually(async () => expect((await (await reader.request(countsPath)).json()).counts[article]).toBe(0))
  })

  it('posting honours a close or reopen made on another instance, though the article is cached', async () => {
    const article = uniqueArticle('closing')
    expect((await reader.post(validComment(article))).status).toBe(201)
    expect(cache.size).toBeGreaterThan(0)
    expect((await writer.admin('POST', '/articles/close', { article })).status).toBe(200)
    await eventually(async () => {
      const refused = await reader.post(validComment(article))
      expect(refused.status).toBe(403)
      expect((await refused.json()).error.code).toBe('comments_closed')
    })
    expect((await writer.admin('POST', '/articles/reopen', { article })).status).toBe(200)
    await eventually(async () => expect((await reader.post(validComment(article))).status).toBe(201))
  })

  it('the list says closed when another instance closes the article, and the old ETag no longer matches', async () => {
    const article = uniqueArticle('list-closed')
    const { comment } = await (await writer.post(validComment(article))).json()
    await writer.admin('PATCH', `/comments/${comment.id}`, { status: 'approved' })
    await eventually(async () => expect((await (await reader.list(article)).json()).total).toBe(1))
    const open = await reader.list(article)
    const openTag = open.headers.get('ETag')!
    expect((await open.json()).closed).toBeUndefined()
    expect((await reader.list(article, '', { 'If-None-Match': openTag })).status).toBe(304)

    expect((await writer.admin('POST', '/articles/close', { article })).status).toBe(200)
    await eventually(async () => {
      const res = await reader.list(article, '', { 'If-None-Match': openTag })
      expect(res.status).toBe(200)
      const body = await res.json()
      // Approved comments still show; only the form goes.
      expect(body).toMatchObject({ closed: true, total: 1, comments: [{ id: comment.id }] })
    })
    const closedTag = (await reader.list(article)).headers.get('ETag')!
    expect(closedTag).not.toBe(openTag)
    expect((await reader.list(article, '', { 'If-None-Match': closedTag })).status).toBe(304)

    expect((await writer.admin('POST', '/articles/reopen', { article })).status).toBe(200)
    await eventually(async () => {
      const res = await reader.list(article, '', { 'If-None-Match': closedTag })
      expect(res.status).toBe(200)
      expect((await res.json()).closed).toBeUndefined()
    })
  })

  it('auto-close scheduled for many articles reaches every cached one', async () => {
    const article = uniqueArticle('autoclose')
    expect((await reader.post(validComment(article))).status).toBe(201)
    const db = await backend.open()
    // As the periodic task does with AUTO_CLOSE_DAYS, but already due: one notice for all articles.
    await db
      .updateTable('articles')
      .set({ closed_at: new Date(Date.now() - 1000) })
      .where('key', '=', article)
      .execute()
    await announceArticle(db)
    await eventually(async () => expect((await reader.post(validComment(article))).status).toBe(403))
  })

  it('a cached counts answer (sent before routing) has the same bytes and headers as the routed one', async () => {
    const article = uniqueArticle('fastcounts')
    const path = `/api/counts?article=${encodeURIComponent(article)}&article=${encodeURIComponent(article + '/b')}`
    const headers = { Origin: 'https://blog.example', 'X-Request-Id': 'same-id' }
    const routed = await reader.request(path, { headers }) // a miss: through the router, then cached
    const cached = await reader.request(path, { headers })
    expect(cache.answer(path.slice(path.indexOf('?') + 1), Date.now())).toBeDefined()
    expect(cached.status).toBe(routed.status)
    expect(await cached.text()).toBe(await routed.text())
    expect([...cached.headers]).toEqual([...routed.headers])
    expect(cached.headers.get('Access-Control-Allow-Origin')).toBe('https://blog.example')
    // Without an Origin or a request id of its own: no CORS headers, a fresh id.
    const plain = await reader.request(path)
    expect(plain.headers.get('Access-Control-Allow-Origin')).toBeNull()
    expect(plain.headers.get('X-Request-Id')).toMatch(/^[0-9a-f]{16}$/)
    expect(plain.headers.get('Vary')).toBe('Origin')
  })

  it('a cached counts answer found by the target the runtime received (not the full URL) is the routed one', async () => {
    const article = uniqueArticle('fasttarget')
    const path = `/api/counts?article=${encodeURIComponent(article)}`
    // As on Node: the runtime hands over the request's target.
    let asked = 0
    const requestTarget = () => (asked++, path)
    const onNode = await makeApp(await backend.open(), { deps: { publicCache: cache, requestTarget } })
    const routed = await onNode.request(path, { headers: { 'X-Request-Id': 'target-id' } })
    expect(cache.answer(path.slice(path.indexOf('?') + 1), Date.now())).toBeDefined()
    asked = 0
    const cached = await onNode.request(path, { headers: { 'X-Request-Id': 'target-id' } })
    expect(asked).toBe(1)
    expect(await cached.text()).toBe(await routed.text())
    expect([...cached.headers]).toEqual([...routed.headers])
  })

  it('a cached answer is byte-for-byte the uncached one', async () => {
    const article = uniqueArticle('same')
    for (let i = 0; i < 3; i++) {
      const { comment } = await (await writer.post(validComment(article))).json()
      await writer.admin('PATCH', `/comments/${comment.id}`, { status: 'approved' })
    }
    await eventually(async () => expect((await (await reader.list(article)).json()).total).toBe(3))
    const strip = (body: Record<string, unknown>): Record<string, unknown> => ({ ...body, formToken: undefined })
    const fromCache = strip(await (await reader.list(article, '&limit=2')).json())
    const fresh = strip(await (await writer.list(article, '&limit=2')).json())
    expect(fromCache).toEqual(fresh)
    expect(fromCache.nextCursor).toBeTruthy()
  })
})

describe.each(backends)('cached list answers (kept encoded for a second) on $name PostgreSQL', (backend) => {
  const writer = appForSuite(backend)

  it('are reused within the second, made again with a new form token the next, and say closed the moment an article closes by age', async () => {
    const article = uniqueArticle('encoded')
    const { comment } = await (await writer.post(validComment(article))).json()
    await writer.admin('PATCH', `/comments/${comment.id}`, { status: 'approved' })
    const db = await backend.open()
    // Closing by age is due in the middle of a second: a moment before and a moment after share that second.
    const due = (Math.floor(Date.now() / 1000) + 3600) * 1000 + 500
    await db
      .updateTable('articles')
      .set({ closed_at: new Date(due) })
      .where('key', '=', article)
      .execute()
    let now = due - 300
    const cache = new PublicCache()
    const reader = await makeApp(db, { deps: { publicCache: cache, clock: () => new Date(now) } })

    const first = await (await reader.list(article)).text()
    const held = cache.heldBytes
    expect(await (await reader.list(article)).text()).toBe(first)
    expect(cache.heldBytes).toBe(held)
    expect(JSON.parse(first)).toMatchObject({ total: 1, comments: [{ id: comment.id }] })
    expect(JSON.parse(first).closed).toBeUndefined()

    now = due + 100 // the same second, now closed
    const closed = JSON.parse(await (await reader.list(article)).text())
    expect(closed).toMatchObject({ closed: true, total: 1, formToken: JSON.parse(first).formToken })

    now = due + 1000 // the next second: a new form token, the same comments
    const next = JSON.parse(await (await reader.list(article)).text())
    expect(next.formToken).not.toBe(JSON.parse(first).formToken)
    expect({ ...next, formToken: undefined }).toEqual({ ...closed, formToken: undefined })
    // One encoded answer per page is held, replaced as it is made again, and counted against the budget.
    expect(cache.heldBytes).toBe(held + ',"closed":true'.length)
  })
})

describe('PublicCache', () => {
  it("counts a page's encoded answer against its budget, and keeps none for a page it does not hold", () => {
    const cache = new PublicCache(1000, 60_000, 16, 4000)
    const entry = cache.set('/a', { id: 1, version: 1, approvedCount: 1, closedAt: null }, cache.begin(), 0)
    const page: CachedPage = { json: 'x'.repeat(300), lastId: null }
    cache.setPage(entry, 'p', page, cache.begin())
    const bytes = (n: number) => new Uint8Array(n)
    cache.setPageAnswer(entry, 'p', page, { second: 1, closed: false, bytes: bytes(350) })
    expect(cache.heldBytes).toBe(650)
    cache.setPageAnswer(entry, 'p', page, { second: 2, closed: false, bytes: bytes(360) })
    expect(cache.heldBytes).toBe(660)
    expect(page.answer?.second).toBe(2)
    const stray: CachedPage = { json: 'y', lastId: null }
    cache.setPageAnswer(entry, 'q', stray, { second: 2, closed: false, bytes: bytes(100) })
    expect(cache.heldBytes).toBe(660)
    expect(stray).not.toHaveProperty('answer')
    cache.invalidate('/a')
    expect(cache.heldBytes).toBe(0)
  })

  it('keeps its serialized pages and answers within a byte budget, dropping the oldest first', () => {
    const cache = new PublicCache(1000, 60_000, 16, 4000)
    const article = (id: number) => ({ id, version: 1, approvedCount: 1, closedAt: null })
    const page = (n: number) => ({ json: 'x'.repeat(n), lastId: null })
    for (let i = 0; i < 10; i++) {
      const entry = cache.set(`/a${i}`, article(i), cache.begin(), 0)
      cache.setPage(entry, 'p', page(450), cache.begin())
      expect(cache.heldBytes).toBeLessThanOrEqual(4000)
    }
    expect(cache.get('/a9', 0)?.pages.get('p')?.json).toHaveLength(450)
    expect(cache.get('/a0', 0)).toBeUndefined()
    expect(cache.heldBytes).toBe(3600)
    cache.setAnswer('?article=/a9', 'y'.repeat(400), cache.begin(), 0)
    expect(cache.heldBytes).toBeLessThanOrEqual(4000)
    expect(cache.answer('?article=/a9', 0)).toHaveLength(400)
    cache.invalidate('/a9')
    expect(cache.get('/a9', 0)).toBeUndefined()
    expect(cache.heldBytes).toBeLessThan(3600)
    // A page over an eighth of the budget is served but never kept.
    const big = cache.set('/big', article(99), cache.begin(), 0)
    cache.setPage(big, 'p', page(5000), cache.begin())
    expect(big.pages.size).toBe(0)
    cache.clear()
    expect(cache.heldBytes).toBe(0)
  })

  it('an invalidation frees every whole answer (all are stale after it)', () => {
    const cache = new PublicCache(1000, 60_000, 16, 4000)
    cache.setAnswer('?article=/a', 'y'.repeat(300), cache.begin(), 0)
    expect(cache.heldBytes).toBeGreaterThan(300)
    cache.invalidate('/elsewhere')
    expect(cache.heldBytes).toBe(0)
    expect(cache.answer('?article=/a', 0)).toBeUndefined()
  })

  it('tells apart whole answers whose queries differ where its fingerprint does not look, keeping at most 4 alike', () => {
    const cache = new PublicCache(1000, 60_000, 16, 100_000)
    // 640 characters: the fingerprint reads every 20th from the end, never the second.
    const query = (c: string) => `a${c}${'b'.repeat(638)}`
    for (const c of 'vwxyz') cache.setAnswer(query(c), `{"${c}":1}`, cache.begin(), 0)
    expect(cache.answer(query('v'), 0)).toBeUndefined()
    for (const c of 'wxyz') expect(cache.answer(query(c), 0)).toBe(`{"${c}":1}`)
    expect(cache.answer(query('u'), 0)).toBeUndefined()
    expect(cache.heldBytes).toBe(4 * (640 + 7))
    cache.setAnswer(query('z'), '{"z":2}', cache.begin(), 0)
    expect(cache.answer(query('z'), 0)).toBe('{"z":2}')
    expect(cache.heldBytes).toBe(4 * (640 + 7))
  })

  it('does not store a load that straddles an invalidation', () => {
    const cache = new PublicCache()
    const epoch = cache.begin()
    cache.invalidate('/a') // a change lands while /a is being read from the database
    cache.set('/a', { id: 1, version: 1, approvedCount: 1, closedAt: null }, epoch, 0)
    expect(cache.get('/a', 0)).toBeUndefined()
    cache.set('/a', { id: 1, version: 2, approvedCount: 2, closedAt: null }, cache.begin(), 0)
    expect(cache.get('/a', 0)?.article?.version).toBe(2)
  })

  it('keeps whole answers only until any article changes, or they expire', () => {
    const cache = new PublicCache(10, 1000)
    cache.setAnswer('article=/a', '{"counts":{"/a":1}}', cache.begin(), 0)
    expect(cache.answer('article=/a', 999)).toBe('{"counts":{"/a":1}}')
    expect(cache.answer('article=/a', 1000)).toBeUndefined()
    cache.setAnswer('article=/a', 'x', cache.begin(), 0)
    cache.invalidate('/elsewhere')
    expect(cache.answer('article=/a', 0)).toBeUndefined()
    const epoch = cache.begin()
    cache.invalidate('/a') // lands while the answer is being computed
    cache.setAnswer('article=/a', 'stale', epoch, 0)
    expect(cache.answer('article=/a', 0)).toBeUndefined()
  })

  it('keeps nothing while off, expires entries, and evicts the oldest when full', () => {
    const cache = new PublicCache(2, 1000)
    cache.setEnabled(false)
    cache.set('/off', null, cache.begin(), 0)
    expect(cache.get('/off', 0)).toBeUndefined()
    cache.setEnabled(true)
    cache.set('/a', null, cache.begin(), 0)
    expect(cache.get('/a', 999)).toBeDefined()
    expect(cache.get('/a', 1000)).toBeUndefined()
    cache.set('/b', null, cache.begin(), 0)
    cache.set('/c', null, cache.begin(), 0)
    cache.set('/d', null, cache.begin(), 0)
    expect(cache.get('/b', 0)).toBeUndefined()
    expect(cache.get('/d', 0)).toBeDefined()
  })
})
