// What one public read may cost: a page of long comments is cut by size as well as by count.
import { describe, expect, it } from 'vitest'
import { MAX_PAGE_BYTES } from '../src/cache/public-reads.js'
import { backends } from './support/db.js'
import { uniqueArticle, validComment, appForSuite } from './support/app.js'

describe.each(backends)('page size on $name PostgreSQL', (backend) => {
  const t = appForSuite(backend, { env: { MAX_CONTENT_LENGTH: '50000' } })

  it('a thread of long comments comes in pages of about MAX_PAGE_BYTES, every comment exactly once', async () => {
    const article = uniqueArticle('long')
    const ids: string[] = []
    for (let i = 0; i < 14; i++) {
      const content = `${i} ${'word '.repeat(9_990)}`.trim()
      const res = await t.post(validComment(article, { content }))
      expect(res.status).toBe(201)
      const id = (await res.json()).comment.id
      await t.admin('PATCH', `/comments/${id}`, { status: 'approved' })
      ids.push(id)
    }
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res = await t.list(article, `&limit=200${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res.status).toBe(200)
      const text = await res.text()
      // One comment may cross the line (~100 KB each here), never a whole page more.
      expect(text.length).toBeLessThan(MAX_PAGE_BYTES + 110_000)
      const body = JSON.parse(text)
      expect(body.total).toBe(14)
      seen.push(...body.comments.map((c: { id: string }) => c.id))
      cursor = body.nextCursor
      pages++
    } while (cursor && pages < 20)
    expect(seen).toEqual(ids)
    expect(pages).toBeGreaterThanOrEqual(3)
  })

  it('short comments still come 200 to a page', async () => {
    const article = uniqueArticle('short')
    for (let i = 0; i < 3; i++) {
      await t.approved(article)
    }
    const body = await (await t.list(article, '&limit=2')).json()
    expect(body.comments).toHaveLength(2)
    const rest = await (await t.list(article, `&limit=2&cursor=${body.nextCursor}`)).json()
    expect(rest.comments).toHaveLength(1)
    expect(rest.nextCursor).toBeNull()
  })
})
