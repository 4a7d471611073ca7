// The moderator's day through the API (issue 16): replying as the site, the signed-in moderator's display name,
// the queue's context (article page title and URL, the author's history), on both databases.
import { beforeAll, describe, expect, it } from 'vitest'
import { createModerator } from '../src/db/moderators.js'
import { backends } from './support/db.js'
import { makeApp, uniqueArticle, uniqueEmail, validComment, type TestApp } from './support/app.js'

type Json = Record<string, any>

describe.each(backends)('replies, display names and queue context on $name PostgreSQL', (backend) => {
  let t: TestApp
  let shallow: TestApp
  let named: string
  const moderatorName = `ed-${crypto.randomUUID().slice(0, 8)}`

  beforeAll(async () => {
    const db = await backend.open()
    t = await makeApp(db, { env: { MAX_CONTENT_LENGTH: '500' } })
    shallow = await makeApp(db, { env: { MAX_DEPTH: '2' } })
    named = (await createModerator(db, moderatorName))!
  })

  async function posted(article: string, overrides: Record<string, unknown> = {}, app = t): Promise<string> {
    const res = await app.post(validComment(article, overrides))
    expect(res.status).toBe(201)
    return (await res.json()).comment.id
  }
  async function approved(article: string, overrides: Record<string, unknown> = {}, app = t): Promise<string> {
    const id = await posted(article, overrides, app)
    expect((await app.admin('PATCH', `/comments/${id}`, { status: 'approved' })).status).toBe(200)
    return id
  }
  const reply = (id: string, body: unknown, token?: string, app = t) => app.admin('POST', `/comments/${id}/reply`, body, token)
  const publicList = async (article: string, app = t): Promise<Json> => (await app.list(article)).json()
  const statusOf = async (id: string) => (await (await t.admin('GET', `/comments/${id}`)).json()).status

  it('posts a reply under an approved comment: approved at once, threaded, marked byModerator, rendered like any comment', async () => {
    const article = uniqueArticle('reply')
    const parent = await approved(article)
    const res = await reply(parent, { content: '  Thanks! See <b>this</b>: https://docs.example/page  ' })
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body.parent.id).toBe(parent)
    expect(body.comment).toMatchObject({
      parentId: parent,
      status: 'approved',
      author: 'admin',
      byModerator: true,
      reasons: [],
      spamScore: null,
      ip: null,
    })
    expect(body.comment.content).toBe('Thanks! See <b>this</b>: https://docs.example/page')
    expect(body.comment.html).toContain('&lt;b&gt;this&lt;/b&gt;')
    expect(body.comment.html).toContain('<a href="https://docs.example/page" rel="nofollow ugc noopener">')

    const list = await publicList(article)
    expect(list.total).toBe(2)
    expect(list.comments.map((c: Json) => [c.id, c.parentId, c.byModerator])).toEqual([
      [parent, null, undefined],
      [body.comment.id, parent, true],
    ])
    // The public answer says only that a moderator wrote it: not who, not any address.
    const text = JSON.stringify(list)
    expect(text).not.toContain('moderators.parley.invalid')
    expect(text).not.toContain('by_moderator')
    expect(Object.keys(list.comments[0]).sort()).not.toContain('byModerator')

    const audit = (await (await t.admin('GET', `/audit?comment=${body.comment.id}`)).json()).entries as Json[]
    expect(audit.map((e) => [e.moderator, e.action, e.to])).toEqual([['admin', 'reply', 'approved']])
  })

  it('refuses a reply under an unpublished comment unless asked to approve it first, and then does both', async () => {
    const article = uniqueArticle('approve-reply')
    await approved(article)
    const held = await posted(article)
    const refused = await reply(held, { content: 'Welcome!' })
    expect(refused.status).toBe(400)
    expect((await refused.json()).error).toMatchObject({ code: 'validation_failed', fields: { approve: expect.stringContaining('approve') } })
    expect(await statusOf(held)).toBe('pending')
    expect((await publicList(article)).total).toBe(1)

    const res = await reply(held, { content: 'Welcome!', approve: true })
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body.parent).toMatchObject({ id: held, status: 'approved' })
    expect(await statusOf(held)).toBe('approved')
    const list = await publicList(article)
    expect(list.total).toBe(3)
    expect(list.comments.at(-1)).toMatchObject({ id: body.comment.id, parentId: held, byModerator: true })
    // A trashed comment can be answered the same way: approve: true brings it back first.
    const trashed = await posted(article)
    await t.admin('PATCH', `/comments/${trashed}`, { status: 'trash' })
    expect((await reply(trashed, { content: 'Restored and answered.', approve: true })).status).toBe(201)
    expect(await statusOf(trashed)).toBe('approved')
  })

  it('refuses bad replies with the contract error and stores nothing', async () => {
    const article = uniqueArticle('bad-reply')
    const parent = await approved(article)
    const cases: Array<[string, unknown, number, string, string?]> = [
      ['empty', { content: '   ' }, 400, 'validation_failed', 'content'],
      ['missing', {}, 400, 'validation_failed', 'content'],
      ['not text', { content: 42 }, 400, 'validation_failed', 'content'],
      ['too long for MAX_CONTENT_LENGTH 500', { content: 'x'.repeat(501) }, 400, 'validation_failed', 'content'],
      ['approve not a boolean', { content: 'Hi', approve: 'yes' }, 400, 'validation_failed', 'approve'],
    ]
    for (const [label, body, status, code, field] of cases) {
      const res = await reply(parent, body)
      expect(res.status, label).toBe(status)
      const error = (await res.json()).error
      expect(error.code, label).toBe(code)
      if (field) expect(Object.keys(error.fields ?? {}), label).toContain(field)
    }
    expect((await reply('999999999999', { content: 'Hi' })).status).toBe(404)
    expect((await reply('abc', { content: 'Hi' })).status).toBe(404)
    expect((await reply(parent, { content: 'Hi' }, 'wrong-token-0123456789')).status).toBe(401)
    expect((await publicList(article)).total).toBe(1)
    // Exactly 500 characters is allowed.
    expect((await reply(parent, { content: 'y'.repeat(500) })).status).toBe(201)
  })

  it('calls the same reply twice under one comment a duplicate, but not under two comments', async () => {
    const article = uniqueArticle('dup-reply')
    const [a, b] = [await approved(article), await approved(article)]
    expect((await reply(a, { content: 'Thank you!' })).status).toBe(201)
    const again = await reply(a, { content: 'Thank you!' })
    expect(again.status).toBe(409)
    expect((await again.json()).error.code).toBe('duplicate_comment')
    expect((await reply(b, { content: 'Thank you!' })).status).toBe(201)
    expect((await publicList(article)).total).toBe(4)
  })

  it('at the depth limit puts the reply beside the comment, under its parent', async () => {
    const article = uniqueArticle('deep-reply')
    const top = await approved(article, {}, shallow)
    const child = await approved(article, { parentId: top }, shallow)
    const res = await reply(child, { content: 'Answering the reply.' }, undefined, shallow)
    expect(res.status).toBe(201)
    expect((await res.json()).comment.parentId).toBe(top)
  })

  it('signs replies with the display name set for the token’s moderator, per moderator', async () => {
    const me = await (await t.admin('GET', '/me', undefined, named)).json()
    expect(me).toEqual({ name: moderatorName, displayName: moderatorName })
    const put = await t.admin('PUT', '/me', { displayName: '  Ed, the site’s author  ' }, named)
    expect(put.status).toBe(200)
    expect(await put.json()).toEqual({ name: moderatorName, displayName: 'Ed, the site’s author' })
    for (const bad of [{ displayName: '  ' }, { displayName: 'x'.repeat(101) }, {}]) {
      const res = await t.admin('PUT', '/me', bad, named)
      expect(res.status).toBe(400)
      expect((await res.json()).error.code).toBe('validation_failed')
    }
    expect((await (await t.admin('GET', '/me', undefined, named)).json()).displayName).toBe('Ed, the site’s author')

    const article = uniqueArticle('display-name')
    const parent = await approved(article)
    const res = await reply(parent, { content: 'From Ed.' }, named)
    expect(res.status).toBe(201)
    expect((await res.json()).comment.author).toBe('Ed, the site’s author')
    // ADMIN_TOKEN's moderator keeps its own name.
    expect((await (await reply(parent, { content: 'From admin.' })).json()).comment.author).not.toBe('Ed, the site’s author')
    const audit = (await (await t.admin('GET', `/audit?article=${encodeURIComponent(article)}`)).json()).entries as Json[]
    expect(
      audit
        .filter((e) => e.action === 'reply')
        .map((e) => e.moderator)
        .sort(),
    ).toEqual(['admin', moderatorName].sort())
  })

  it('gives each queued comment its author’s history by keyed email hash, the comment itself not counted', async () => {
    const article = uniqueArticle('history')
    const email = uniqueEmail('regular')
    const other = uniqueEmail('other')
    const ids = [] as string[]
    for (let i = 0; i < 5; i++) ids.push(await posted(article, { email: i === 4 ? email.toUpperCase() : email }))
    await posted(article, { email: other })
    await t.admin('POST', '/comments/bulk', { ids: [ids[0], ids[1]], status: 'approved' })
    await t.admin('PATCH', `/comments/${ids[2]}`, { status: 'spam' })
    await t.admin('PATCH', `/comments/${ids[3]}`, { status: 'trash' })
    const res = await t.admin('GET', `/comments?article=${encodeURIComponent(article)}&limit=50`)
    expect(res.status).toBe(200)
    const page = await res.json()
    expect(Object.keys(page).sort()).toEqual(['articles', 'comments', 'history', 'nextCursor'])
    // The held one (ids[4], same address in capitals): 2 approved, 1 spam, 1 trash, and no other pending.
    expect(page.history[ids[4]!]).toEqual({ pending: 0, approved: 2, spam: 1, trash: 1 })
    // An approved one: the other approved one, the held one, the spam and the trash.
    expect(page.history[ids[0]!]).toEqual({ pending: 1, approved: 1, spam: 1, trash: 1 })
    const newcomer = page.comments.find((c: Json) => c.email === other)
    expect(page.history[newcomer.id]).toEqual({ pending: 0, approved: 0, spam: 0, trash: 0 })
    expect(Object.keys(page.history).sort()).toEqual(page.comments.map((c: Json) => c.id).sort())
  })

  it('keeps the page title and URL the embed sends, once, from an allowed origin, and lets a moderator edit them', async () => {
    const article = uniqueArticle('page')
    const queueContext = async () => (await (await t.admin('GET', `/comments?article=${encodeURIComponent(article)}`)).json()).articles[article]
    // A spam post names nothing.
    await posted(article, { website: 'http://bot.example', pageTitle: 'Buy now', pageUrl: 'https://blog.example/buy' })
    expect(await queueContext()).toEqual({ title: null, url: null })
    // A URL on a site the embed may not serve is dropped; the title is kept (cut to 300 characters).
    await posted(article, { pageTitle: `  ${'T'.repeat(400)}  `, pageUrl: 'https://elsewhere.example/x' })
    expect(await queueContext()).toEqual({ title: 'T'.repeat(300), url: null })
    // The URL fills the gap; the title already known is not overwritten by a later post.
    await posted(article, { pageTitle: 'Another title', pageUrl: 'https://blog.example/posts/hello#comments' })
    expect(await queueContext()).toEqual({ title: 'T'.repeat(300), url: 'https://blog.example/posts/hello#comments' })
    // Unusable values never refuse a comment.
    await posted(article, { pageTitle: 42, pageUrl: 'javascript:alert(1)' })

    const edit = await t.admin('PATCH', '/articles', { article, title: 'Hello, world', url: 'https://blog.example/posts/hello' })
    expect(edit.status).toBe(200)
    expect(await edit.json()).toEqual({ article, title: 'Hello, world', url: 'https://blog.example/posts/hello' })
    await posted(article, { pageTitle: 'Reader’s claim', pageUrl: 'https://blog.example/other' })
    expect(await queueContext()).toEqual({ title: 'Hello, world', url: 'https://blog.example/posts/hello' })
    // Only the fields sent change; null clears.
    expect(await (await t.admin('PATCH', '/articles', { article, url: null })).json()).toEqual({ article, title: 'Hello, world', url: null })

    const bad: Array<[unknown, string]> = [
      [{ article, url: 'javascript:alert(1)' }, 'url'],
      [{ article, url: 'ftp://x.example/' }, 'url'],
      [{ article, title: '   ' }, 'title'],
      [{ article, title: 'x'.repeat(301) }, 'title'],
      [{ title: 'No article' }, 'article'],
    ]
    for (const [body, field] of bad) {
      const res = await t.admin('PATCH', '/articles', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(Object.keys((await res.json()).error.fields)).toContain(field)
    }
    expect(await queueContext()).toEqual({ title: 'Hello, world', url: null })
    const unknown = await t.admin('PATCH', '/articles', { article: uniqueArticle('never'), title: 'X' })
    expect(unknown.status).toBe(404)
  })

  it('gives the console the thresholds it words reasons and colours scores by', async () => {
    const stats = await (await t.admin('GET', '/stats')).json()
    expect(stats).toMatchObject({ spamThreshold: 0.92, formTokenMinSeconds: expect.any(Number) })
  })
})
