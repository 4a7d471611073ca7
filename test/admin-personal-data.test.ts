import { beforeAll, describe, expect, it } from 'vitest'
import { erasedHash } from '../src/db/personal-data.js'
import { purgeExpired } from '../src/db/retention.js'
import { emailHash } from '../src/privacy/email.js'
import { backends } from './support/db.js'
import { makeApp, testConfig, uniqueArticle, uniqueEmail, validComment, type TestApp } from './support/app.js'

const DAY = 86_400_000

describe.each(backends)('personal data and retention on $name PostgreSQL', (backend) => {
  let t: TestApp
  let tDelete: TestApp
  beforeAll(async () => {
    const db = await backend.open()
    t = await makeApp(db)
    tDelete = await makeApp(db, { env: { ERASE_MODE: 'delete' } })
  })

  async function postAs(app: TestApp, article: string, email: string, extra: Record<string, unknown> = {}) {
    const res = await app.post(validComment(article, { email, author: 'Real Name', url: 'https://me.example', ...extra }), {
      'User-Agent': 'TestBrowser/1.0',
    })
    expect(res.status).toBe(201)
    return (await res.json()).comment.id as string
  }
  const auditActions = async (app: TestApp) =>
    (await (await app.admin('GET', '/audit?limit=20')).json()).entries as Array<{ action: string; detail: unknown }>

  it('exports everything held about an address, whatever its case, and nothing about others', async () => {
    const email = uniqueEmail('export')
    const article = uniqueArticle('export')
    const ids = [await postAs(t, article, email), await postAs(t, uniqueArticle('export2'), email)]
    await postAs(t, article, uniqueEmail('other'))
    const res = await t.admin('GET', `/personal-data?email=${encodeURIComponent(email.toUpperCase())}`)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.comments.map((c: { id: string }) => c.id)).toEqual(ids)
    expect(body.comments[0]).toMatchObject({ email, author: 'Real Name', url: 'https://me.example', userAgent: 'TestBrowser/1.0', article })
    const logged = (await auditActions(t)).find((e) => e.action === 'personal_data.export')
    expect(logged?.detail).toEqual({ comments: 2 })
    expect(JSON.stringify(await auditActions(t))).not.toContain(email)
  })

  it('anonymizes: the comment stays as "Anonymous" with no email, website, IP or user agent, and the public list changes', async () => {
    const email = uniqueEmail('erase')
    const article = uniqueArticle('erase')
    const id = await postAs(t, article, email, { content: 'Keep my words' })
    await t.admin('PATCH', `/comments/${id}`, { status: 'approved' })
    const etagBefore = (await t.list(article)).headers.get('ETag')

    const res = await t.admin('DELETE', `/personal-data?email=${encodeURIComponent(email)}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ mode: 'anonymize', comments: [id], articles: [article] })

    const after = await t.list(article)
    expect(after.headers.get('ETag')).not.toBe(etagBefore)
    const [shown] = (await after.json()).comments
    expect(shown).toMatchObject({ id, author: 'Anonymous', url: null, content: 'Keep my words' })
    const admin = await (await t.admin('GET', `/comments/${id}`)).json()
    expect(admin).toMatchObject({ email: '', ip: null, userAgent: null, author: 'Anonymous' })
    const row = await (await backend.open()).selectFrom('comments').selectAll().where('id', '=', Number(id)).executeTakeFirstOrThrow()
    expect(row.email_hash).toBe(erasedHash(Number(id)))
    expect(row.email_hash).not.toBe(await emailHash(t.deps.keys, email))
    // Nothing is held any more under that address.
    expect((await (await t.admin('GET', `/personal-data?email=${encodeURIComponent(email)}`)).json()).comments).toEqual([])
    const audit = await (await t.admin('GET', `/audit?comment=${id}`)).json()
    expect(audit.entries[0]).toMatchObject({ action: 'personal_data.anonymize', moderator: 'admin' })
  })

  it('two anonymized comments with the same text on one article do not collide', async () => {
    const article = uniqueArticle('same-text')
    const [a, b] = [uniqueEmail('same1'), uniqueEmail('same2')]
    await postAs(t, article, a, { content: '+1' })
    await postAs(t, article, b, { content: '+1' })
    for (const email of [a, b]) expect((await t.admin('DELETE', `/personal-data?email=${encodeURIComponent(email)}`)).status).toBe(200)
  })

  it('in delete mode removes the comments and keeps the count right', async () => {
    const email = uniqueEmail('delete')
    const article = uniqueArticle('delete')
    const id = await postAs(tDelete, article, email)
    await tDelete.admin('PATCH', `/comments/${id}`, { status: 'approved' })
    expect((await (await tDelete.list(article)).json()).total).toBe(1)
    const res = await tDelete.admin('DELETE', `/personal-data?email=${encodeURIComponent(email)}`)
    expect(await res.json()).toMatchObject({ mode: 'delete', comments: [id] })
    expect((await tDelete.admin('GET', `/comments/${id}`)).status).toBe(404)
    expect((await (await tDelete.list(article)).json()).total).toBe(0)
  })

  it('refuses a missing or malformed address', async () => {
    for (const q of ['', '?email=', '?email=not-an-address']) {
      const res = await t.admin('GET', `/personal-data${q}`)
      expect(res.status).toBe(400)
      expect((await res.json()).error.code).toBe('validation_failed')
    }
  })

  it('purges IP and user agent after the retention period, and only then', async () => {
    const db = await backend.open()
    const old = await postAs(t, uniqueArticle('old'), uniqueEmail('old'))
    const fresh = await postAs(t, uniqueArticle('fresh'), uniqueEmail('fresh'))
    await db
      .updateTable('comments')
      .set({ ip: '192.0.2.0' })
      .where('id', 'in', [Number(old), Number(fresh)])
      .execute()
    const now = new Date()
    await db
      .updateTable('comments')
      .set({ created_at: new Date(now.getTime() - 91 * DAY) })
      .where('id', '=', Number(old))
      .execute()
    const result = await purgeExpired(await backend.open(), testConfig(), now)
    expect(result.purged).toBeGreaterThanOrEqual(1)
    const rows = await db
      .selectFrom('comments')
      .select(['id', 'ip', 'user_agent'])
      .where('id', 'in', [Number(old), Number(fresh)])
      .orderBy('id')
      .execute()
    expect(rows.map((r) => [r.ip, r.user_agent])).toEqual([
      [null, null],
      ['192.0.2.0', 'TestBrowser/1.0'],
    ])
  })

  it('auto-closes an article AUTO_CLOSE_DAYS after it was created, unless a moderator reopened it', async () => {
    const db = await backend.open()
    const [oldArticle, reopened, young] = [uniqueArticle('ac-old'), uniqueArticle('ac-reopened'), uniqueArticle('ac-young')]
    for (const article of [oldArticle, reopened, young]) await postAs(t, article, uniqueEmail('ac'))
    const now = new Date()
    await db
      .updateTable('articles')
      .set({ created_at: new Date(now.getTime() - 31 * DAY) })
      .where('key', 'in', [oldArticle, reopened])
      .execute()
    await t.admin('POST', '/articles/reopen', { article: reopened })
    await purgeExpired(await backend.open(), testConfig({ AUTO_CLOSE_DAYS: '30' }), now)
    const status = async (article: string) => (await t.post(validComment(article))).status
    expect(await status(oldArticle)).toBe(403)
    expect(await status(reopened)).toBe(201)
    expect(await status(young)).toBe(201)
    const state = await (await t.admin('GET', `/articles?article=${encodeURIComponent(young)}`)).json()
    // The young article is scheduled: closedAt lies 30 days after its creation, in the future.
    expect(state.closed).toBe(false)
    expect(new Date(state.closedAt).getTime()).toBeGreaterThan(now.getTime() + 29 * DAY)
  })
})
