import { describe, expect, it } from 'vitest'
import { backends } from './support/db.js'
import { uniqueArticle, validComment, appForSuite } from './support/app.js'

describe.each(backends)('Leave a Reply flow on $name PostgreSQL', (backend) => {
  const t = appForSuite(backend)

  it('holds a new comment as pending, shows it only once approved, and counts it', async () => {
    const article = uniqueArticle('flow')
    const posted = await t.post(validComment(article, { content: 'First!' }))
    expect(posted.status).toBe(201)
    const body = await posted.json()
    expect(body.comment.status).toBe('pending')
    expect(body.message).toBe('Your comment is awaiting moderation.')

    const before = await (await t.list(article)).json()
    expect(before.comments).toEqual([])
    expect(before.total).toBe(0)

    const approved = await t.admin('PATCH', `/comments/${body.comment.id}`, { status: 'approved' })
    expect(approved.status).toBe(200)
    expect((await approved.json()).status).toBe('approved')

    const after = await (await t.list(article)).json()
    expect(after.comments.map((c: { id: string }) => c.id)).toEqual([body.comment.id])
    expect(after.total).toBe(1)
    const counts = await (await t.request(`/api/counts?article=${encodeURIComponent(article)}&article=/none`)).json()
    expect(counts).toEqual({ counts: { [article]: 1, '/none': 0 } })
  })
})

describe.each(backends)("an author's status token on $name PostgreSQL", (backend) => {
  const t = appForSuite(backend)

  it('tells the author pending (also for spam), approved, or removed; a wrong token learns nothing', async () => {
    const article = uniqueArticle('status')
    const posted = await (await t.post(validComment(article))).json()
    const { id } = posted.comment
    const ask = async (token: string, which = id) => t.request(`/api/comments/${which}/status?token=${token}`)
    const status = async () => (await (await ask(posted.statusToken)).json()).status
    expect(posted.statusToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(await status()).toBe('pending')
    await t.admin('PATCH', `/comments/${id}`, { status: 'spam' })
    expect(await status()).toBe('pending')
    await t.admin('PATCH', `/comments/${id}`, { status: 'approved' })
    expect(await status()).toBe('approved')
    await t.admin('PATCH', `/comments/${id}`, { status: 'trash' })
    expect(await status()).toBe('removed')
    await t.admin('DELETE', `/comments/${id}`)
    expect(await status()).toBe('removed')

    const other = await (await t.post(validComment(article))).json()
    const wrong = await ask(other.statusToken) // another comment's token
    expect(wrong.status).toBe(404)
    expect((await wrong.json()).error.code).toBe('not_found')
    expect((await ask('x'.repeat(43))).status).toBe(404)
    expect((await t.request(`/api/comments/${id}/status`)).status).toBe(400)
  })
})
