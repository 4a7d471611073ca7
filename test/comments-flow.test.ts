import { beforeAll, describe, expect, it } from 'vitest'
import { backends } from './support/db.js'
import { makeApp, uniqueArticle, validComment, type TestApp } from './support/app.js'

describe.each(backends)('Leave a Reply flow on $name PostgreSQL', (backend) => {
  let t: TestApp
  beforeAll(async () => {
    t = await makeApp(await backend.open())
  })

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
