import { beforeAll, describe, expect, it } from 'vitest'
import { backends } from './support/db.js'
import { makeApp, uniqueArticle, validComment, type TestApp } from './support/app.js'

describe.each(backends)('concurrent posts on $name PostgreSQL', (backend) => {
  let t: TestApp
  beforeAll(async () => {
    t = await makeApp(await backend.open(), { env: { TRUST_PROXY: 'true' } })
  })

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
