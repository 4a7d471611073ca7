import { describe, expect, it } from 'vitest'
import { ensureArticle } from '../src/db/articles.js'
import { createBatcher } from '../src/batch.js'
import { commentWriter } from '../src/db/comments.js'
import type { NewComment } from '../src/db/schema.js'
import { backends } from './support/db.js'
import { uniqueArticle, validComment, appForSuite } from './support/app.js'

describe.each(backends)('concurrent posts on $name PostgreSQL', (backend) => {
  const t = appForSuite(backend, { env: { TRUST_PROXY: 'true' } })

  it('200 concurrent valid posts: 200 rows, every answer a 201, no 5xx', async () => {
    const articles = Array.from({ length: 5 }, () => uniqueArticle('burst'))
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        t.post(validComment(articles[i % 5]!, { content: `Concurrent comment ${i}` }), {
          'X-Forwarded-For': `10.${i >> 8}.${i & 255}.1`,
        }),
      ),
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s >= 500)).toEqual([])
    expect(statuses.every((s) => s === 201)).toBe(true)
    const ids = new Set(await Promise.all(responses.map(async (r) => (await r.json()).comment.id)))
    expect(ids.size).toBe(200)
    const db = await backend.open()
    const rows = await db
      .selectFrom('comments')
      .innerJoin('articles', 'articles.id', 'comments.article_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('articles.key', 'in', articles)
      .executeTakeFirstOrThrow()
    expect(Number(rows.n)).toBe(200)
  })

  it('the same duplicate posted concurrently is stored once; the others get 409', async () => {
    const article = uniqueArticle('dup-race')
    const body = validComment(article)
    const responses = await Promise.all(Array.from({ length: 10 }, () => t.post(body)))
    const statuses = responses.map((r) => r.status).sort()
    expect(statuses).toEqual([201, ...Array(9).fill(409)])
  })
})

describe.each(backends)('batched comment writes on $name PostgreSQL', (backend) => {
  const row = (articleId: number, n: number, extra: Partial<NewComment> = {}): NewComment => ({
    article_id: articleId,
    parent_id: null,
    depth: 0,
    status: 'pending',
    previous_status: null,
    author: `Writer ${n}`,
    url: null,
    content: `Batched comment ${n}`,
    html: `<p>Batched comment ${n}</p>`,
    email_enc: `sealed-${n}`,
    email_hash: crypto.randomUUID().replace(/-/g, '').padEnd(64, '0'),
    content_hash: `content-${n}`,
    avatar: `avatar-${n}`,
    ip: null,
    user_agent: null,
    reasons: [],
    spam_score: null,
    ...extra,
  })

  it('concurrent posts share statements; a repeat in the batch is refused; a bad row fails alone', async () => {
    const db = await backend.open()
    const article = await ensureArticle(db, uniqueArticle('batch'))
    const save = commentWriter(db)
    const rows = Array.from({ length: 30 }, (_, i) => row(article.id, i))
    const duplicate = { ...rows[3]! }
    const results = await Promise.allSettled([...rows, duplicate].map((r) => save(r)))

    const stored = results.slice(0, 30).map((r) => (r.status === 'fulfilled' ? r.value : undefined))
    expect(stored.every((s) => s !== undefined && s.id > 0)).toBe(true)
    expect(new Set(stored.map((s) => s!.id)).size).toBe(30)
    expect(results[30]).toEqual({ status: 'fulfilled', value: undefined })

    const inDb = await db.selectFrom('comments').select(['id', 'created_at']).where('article_id', '=', article.id).execute()
    expect(inDb.map((r) => r.id).sort()).toEqual(stored.map((s) => s!.id).sort())
    // Rows written by one statement share its transaction's timestamp: 30 posts, far fewer statements.
    const statements = new Set(inDb.map((r) => r.created_at.getTime())).size
    expect(statements).toBeLessThan(5)

    // A row the database refuses (no such article: a foreign-key violation) fails alone.
    const more = Array.from({ length: 9 }, (_, i) => row(article.id, 100 + i))
    const broken = row(2_000_000_000, 99)
    const mixed = await Promise.allSettled([...more.slice(0, 4), broken, ...more.slice(4)].map((r) => save(r)))
    expect(mixed.map((r) => r.status)).toEqual([...Array(4).fill('fulfilled'), 'rejected', ...Array(5).fill('fulfilled')])
    expect(mixed.every((r) => r.status === 'rejected' || r.value !== undefined)).toBe(true)
    const count = await db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('article_id', '=', article.id)
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(39)
  })

  it('unbatched (batch: false) stores the same way, one statement per post', async () => {
    const db = await backend.open()
    const article = await ensureArticle(db, uniqueArticle('unbatched'))
    const save = commentWriter(db, { batch: false })
    const rows = Array.from({ length: 5 }, (_, i) => row(article.id, i))
    const results = await Promise.all([...rows, { ...rows[0]! }].map((r) => save(r)))
    expect(results.slice(1, 5).every((s) => s !== undefined)).toBe(true)
    // Sent concurrently, either copy may land first: exactly one of the two is stored.
    expect([results[0], results[5]].filter((s) => s === undefined)).toHaveLength(1)
  })
})

describe('the batcher (src/batch.ts)', () => {
  it('a batch that never settles fails after its timeout and frees its slot for the next', async () => {
    let calls = 0
    const batched = createBatcher<number, number>({
      maxInFlight: 1,
      timeoutMs: 50,
      run: async (items) => {
        calls++
        if (calls === 1) return new Promise(() => {}) // a statement on a dead connection
        return items.map((value) => ({ status: 'fulfilled' as const, value: value * 2 }))
      },
    })
    const hung = batched(1)
    await new Promise((resolve) => setTimeout(resolve, 5)) // the first batch is in flight, its slot taken
    const next = batched(2)
    await expect(hung).rejects.toThrow(/within 50 ms/)
    await expect(next).resolves.toBe(4)
  })

  it('calls of one tick share a batch; each gets its own result or error', async () => {
    const sizes: number[] = []
    const batched = createBatcher<number, number>({
      run: async (items) => {
        sizes.push(items.length)
        return items.map((v) =>
          v < 0 ? { status: 'rejected' as const, reason: new Error('negative') } : { status: 'fulfilled' as const, value: v + 1 },
        )
      },
    })
    const results = await Promise.allSettled([1, -1, 3].map((v) => batched(v)))
    expect(sizes).toEqual([3])
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'error'))).toEqual([2, 'error', 4])
  })
})
