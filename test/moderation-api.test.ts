import { beforeAll, describe, expect, it } from 'vitest'
import { issueFormToken } from '../src/moderation/form-token.js'
import { makeApp, uniqueArticle, uniqueEmail, validComment, type TestApp } from './support/app.js'
import { backends } from './support/db.js'

describe.each(backends)('checks through the API on $name PostgreSQL', (backend) => {
  let t: TestApp
  beforeAll(async () => {
    t = await makeApp(await backend.open(), { env: { DISALLOWED_WORDS: 'zorgblatt', MODERATION_WORDS: 'quibblefish' } })
    // The configured lists seed the database only on first use; a shared database may hold lists already.
    const put = await t.admin('PUT', '/words', { disallowed: ['zorgblatt'], moderation: ['quibblefish'], profanity: [], allowed: [] })
    expect(put.status).toBe(200)
  })

  const stored = async (id: string) => await (await t.admin('GET', `/comments/${id}`)).json()

  it.each([
    ['clean', {}, 'pending', []],
    ['honeypot', { website: 'http://spam.example' }, 'spam', ['honeypot']],
    ['disallowed word', { content: 'Best ZORGBLATT deals here' }, 'spam', ['disallowed_word:zorgblatt']],
    ['hold word', { content: 'I like quibblefish a lot' }, 'pending', ['moderation_word:quibblefish']],
  ])('%s: a 201 like any other; stored as the checks decided, with reasons', async (_label, override, status, reasons) => {
    const article = uniqueArticle('checks')
    const res = await t.post(validComment(article, override))
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body.comment.status).toBe('pending')
    expect(body.message).toBe('Your comment is awaiting moderation.')
    // Same shape as a clean comment's answer (whatever fields the contract adds), so a spammer learns nothing.
    const clean = await (await t.post(validComment(article))).json()
    expect(Object.keys(body).sort()).toEqual(Object.keys(clean).sort())
    expect(Object.keys(body.comment).sort()).toEqual(Object.keys(clean.comment).sort())
    const admin = await stored(body.comment.id)
    expect(admin.status).toBe(status)
    for (const r of reasons) expect(admin.reasons).toContain(r)
  })

  it('the same author posting the same text on the same article gets 409', async () => {
    const article = uniqueArticle('dup')
    const comment = validComment(article, { content: 'Exactly this.' })
    expect((await t.post(comment)).status).toBe(201)
    const again = await t.post({ ...comment, content: '  exactly   THIS. ' })
    expect(again.status).toBe(409)
    expect((await again.json()).error.code).toBe('duplicate_comment')
    expect((await t.post({ ...comment, email: uniqueEmail() })).status).toBe(201)
  })

  it('a good form token adds no token reason; a missing one does', async () => {
    const article = uniqueArticle('token')
    const token = await issueFormToken(t.deps.keys, article, new Date(Date.now() - 60_000))
    const withToken = await (await t.post(validComment(article, { formToken: token }))).json()
    const without = await (await t.post(validComment(article))).json()
    expect((await stored(withToken.comment.id)).reasons).not.toContain('no_form_token')
    expect((await stored(without.comment.id)).reasons).toContain('no_form_token')
  })

  it('learns from moderator decisions and unlearns when a decision is reversed', async () => {
    const article = uniqueArticle('learn')
    const spamText = (i: number) => `Grab florbnax tokens at florbnax super sale number ${i}`
    const score = async (content: string) => {
      const res = await (await t.post(validComment(article, { content }))).json()
      return (await stored(res.comment.id)).spamScore as number
    }
    const before = await score('florbnax florbnax sale tokens grab')
    const ids: string[] = []
    for (let i = 0; i < 6; i++) {
      const res = await (await t.post(validComment(article, { content: spamText(i) }))).json()
      ids.push(res.comment.id)
      expect((await t.admin('PATCH', `/comments/${res.comment.id}`, { status: 'spam' })).status).toBe(200)
    }
    const after = await score('florbnax florbnax sale tokens grab now')
    expect(after).toBeGreaterThan(before)
    for (const id of ids) await t.admin('PATCH', `/comments/${id}`, { status: 'approved' })
    const reversed = await score('florbnax florbnax sale tokens grab today')
    expect(reversed).toBeLessThan(after)
  })

  it('moderators read and replace the word lists; the change applies to the next post', async () => {
    expect((await t.admin('GET', '/words', undefined, 'wrong-token-0123456789')).status).toBe(401)
    const lists = await (await t.admin('GET', '/words')).json()
    expect(lists).toEqual({ disallowed: ['zorgblatt'], moderation: ['quibblefish'], profanity: [], allowed: [] })
    const bad = await t.admin('PUT', '/words', { disallowed: 'not a list' })
    expect(bad.status).toBe(400)
    const put = await t.admin('PUT', '/words', { disallowed: ['zorgblatt', 'wibblequux'] })
    expect((await put.json()).disallowed).toEqual(['zorgblatt', 'wibblequux'])
    const res = await (await t.post(validComment(uniqueArticle('words'), { content: 'WIBBLEQUUX!' }))).json()
    expect((await stored(res.comment.id)).status).toBe('spam')
    await t.admin('PUT', '/words', { disallowed: ['zorgblatt'] })
  })
})
