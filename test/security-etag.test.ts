// The public list's ETag tells nothing but "the public list changed" (security review I3).
import type { Kysely } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { PublicCache } from '../src/cache/public-cache.js'
import type { Database } from '../src/db/schema.js'
import { backends } from './support/db.js'
import { makeApp, uniqueArticle, uniqueEmail, validComment, type TestApp } from './support/app.js'

const TAG = /^W\/"[A-Za-z0-9_-]{22}"$/

describe.each(backends)('the list ETag on $name PostgreSQL', (backend) => {
  let db: Kysely<Database>
  let t: TestApp
  beforeAll(async () => {
    db = await backend.open()
    t = await makeApp(db)
  })
  const tagOf = async (app: TestApp, article: string, query = '') => (await app.list(article, query)).headers.get('ETag')!

  it('is a MAC: no article id or version in it', async () => {
    const article = uniqueArticle('tag')
    const res = await t.post(validComment(article))
    const id = (await res.json()).comment.id
    await t.admin('PATCH', `/comments/${id}`, { status: 'approved' })
    const tag = await tagOf(t, article)
    expect(tag).toMatch(TAG)
    expect(tag).not.toMatch(/\d+\.\d+\./)
    // Another page of the same list has another tag.
    expect(await tagOf(t, article, '&limit=5')).not.toBe(tag)
  })

  it('does not tell that someone posted (held) on an article', async () => {
    const article = uniqueArticle('exists')
    const before = await tagOf(t, article)
    expect((await t.post(validComment(article))).status).toBe(201)
    expect(await tagOf(t, article)).toBe(before)
  })

  it('does not change when a moderator deletes or moves a comment that was never public', async () => {
    const article = uniqueArticle('nonpublic')
    const approved = await t.approved(article)
    const held = (await (await t.post(validComment(article))).json()).comment.id
    const other = (await (await t.post(validComment(article))).json()).comment.id
    const tag = await tagOf(t, article)
    expect((await t.admin('DELETE', `/comments/${held}`)).status).toBe(204)
    expect((await t.admin('PATCH', `/comments/${other}`, { status: 'spam' })).status).toBe(200)
    expect(await tagOf(t, article)).toBe(tag)
    const revalidated = await t.list(article, '', { 'If-None-Match': tag })
    expect(revalidated.status).toBe(304)
    // A public change does change it.
    await t.admin('PATCH', `/comments/${approved}`, { status: 'trash' })
    expect(await tagOf(t, article)).not.toBe(tag)
  })

  it('erasing an address whose comments there were never public (ERASE_MODE=delete) leaves it', async () => {
    const eraser = await makeApp(db, { env: { ERASE_MODE: 'delete' } })
    const article = uniqueArticle('erase')
    await eraser.approved(article)
    const email = uniqueEmail()
    expect((await eraser.post(validComment(article, { email }))).status).toBe(201)
    const tag = await tagOf(eraser, article)
    expect((await eraser.admin('DELETE', `/personal-data?email=${encodeURIComponent(email)}`)).status).toBe(200)
    expect(await tagOf(eraser, article)).toBe(tag)
  })

  it('deleting a hidden parent of a public reply is a public change', async () => {
    const article = uniqueArticle('parent')
    const parent = await t.approved(article)
    await t.approved(article, { parentId: parent })
    await t.admin('PATCH', `/comments/${parent}`, { status: 'pending' })
    const tag = await tagOf(t, article)
    await t.admin('DELETE', `/comments/${parent}`)
    const after = await t.list(article)
    expect(after.headers.get('ETag')).not.toBe(tag)
    expect((await after.json()).comments[0].parentId).toBeNull()
  })

  it('is the same from the cache as without it, and the same on every instance', async () => {
    const article = uniqueArticle('cached')
    await t.approved(article)
    const cached = await makeApp(db, { deps: { publicCache: new PublicCache() } })
    const plain = await tagOf(t, article)
    expect(await tagOf(cached, article)).toBe(plain)
    expect(await tagOf(cached, article)).toBe(plain)
    expect(await tagOf(await makeApp(db), article)).toBe(plain)
  })
})
