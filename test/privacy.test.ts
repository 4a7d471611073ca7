import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { anonymizeIp } from '../src/privacy/ip.js'
import { deriveKeys } from '../src/privacy/keys.js'
import { decryptEmail, emailHash, encryptEmail } from '../src/privacy/email.js'
import { backends } from './support/db.js'
import { makeApp, SECRET_KEY, uniqueArticle, validComment, type TestApp } from './support/app.js'

/** Every way an email could leak: as written, lowercased, and any plain hash of either, in hex or base64. */
function leakForms(email: string): string[] {
  const variants = [email, email.toLowerCase(), email.trim().toLowerCase()]
  const forms = new Set<string>()
  for (const v of variants) {
    forms.add(v)
    forms.add(encodeURIComponent(v))
    for (const algo of ['md5', 'sha1', 'sha256', 'sha512']) {
      const digest = createHash(algo).update(v).digest()
      forms.add(digest.toString('hex'))
      forms.add(digest.toString('base64'))
      forms.add(digest.toString('base64url'))
    }
  }
  return [...forms]
}

describe.each(backends)('privacy on $name PostgreSQL', (backend) => {
  let t: TestApp
  beforeAll(async () => {
    // Rate limits counted in the database too, so the scan below covers the limiter's table.
    t = await makeApp(await backend.open(), { env: { TRUST_PROXY: 'true', RATE_LIMIT_STORE: 'postgres' } })
  })

  it('no public answer carries the email, in any plain form or plain hash', async () => {
    const article = uniqueArticle('leaks')
    const email = 'Private.Person+tag@Example.ORG'
    const headers = { 'X-Forwarded-For': '203.0.113.77', 'User-Agent': 'LeakCheck/1.0' }
    const posted = await t.post(validComment(article, { email, url: 'https://example.net' }), headers)
    const postedText = await posted.text()
    const { comment } = JSON.parse(postedText)
    await t.admin('PATCH', `/comments/${comment.id}`, { status: 'approved' })
    const replyRes = await t.post(validComment(article, { email, parentId: comment.id, content: 'A reply' }), headers)
    const duplicate = await t.post(validComment(article, { email, content: 'A reply' }), headers)
    expect(duplicate.status).toBe(409)

    const answers = [
      postedText,
      await replyRes.text(),
      await duplicate.text(),
      await (await t.list(article)).text(),
      await (await t.request(`/api/counts?article=${encodeURIComponent(article)}`)).text(),
    ]
    const forms = leakForms(email)
    for (const answer of answers) {
      for (const form of forms) expect(answer.includes(form), `leaked ${form}`).toBe(false)
      expect(answer).not.toContain('203.0.113.77')
      expect(answer).not.toContain('LeakCheck')
    }
    // The moderator API is the one place the email is shown.
    expect((await (await t.admin('GET', `/comments/${comment.id}`)).json()).email).toBe(email)
  })

  it('no table holds the email in plain text, and the IP only anonymized', async () => {
    const db = await backend.open()
    const email = `Stored.Reader.${Date.now()}@Example.com`
    const article = uniqueArticle('at-rest')
    await t.post(validComment(article, { email }), { 'X-Forwarded-For': '198.51.100.23' })
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)
    expect(tables.rows.length).toBeGreaterThan(1)
    for (const { table_name } of tables.rows) {
      const hits = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(table_name)} as t
        where lower(t::text) like ${'%' + email.toLowerCase() + '%'} or t::text like ${'%198.51.100.23%'}`.execute(db)
      expect(hits.rows[0]?.n, `table ${table_name}`).toBe(0)
    }
    const row = await db
      .selectFrom('comments').innerJoin('articles', 'articles.id', 'comments.article_id')
      .select(['ip', 'email_enc', 'email_hash']).where('articles.key', '=', article).executeTakeFirstOrThrow()
    expect(row.ip).toBe('198.51.100.0')
    const keys = await deriveKeys(SECRET_KEY)
    expect(await decryptEmail(keys, row.email_enc)).toBe(email)
    expect(row.email_hash).toBe(await emailHash(keys, `  ${email.toUpperCase()} `))
  })
})

describe('email encryption and keyed hashes', () => {
  it('encrypts with a fresh IV each time and decrypts back; another key cannot read it', async () => {
    const keys = await deriveKeys(SECRET_KEY)
    const a = await encryptEmail(keys, 'x@example.com')
    const b = await encryptEmail(keys, 'x@example.com')
    expect(a).not.toBe(b)
    expect(await decryptEmail(keys, a)).toBe('x@example.com')
    const other = await deriveKeys('another-secret-key-0123456789abcdef0123')
    await expect(decryptEmail(other, a)).rejects.toThrow()
  })

  it('hashes case- and space-insensitively, differently per secret, and not as a plain SHA-256', async () => {
    const keys = await deriveKeys(SECRET_KEY)
    const h = await emailHash(keys, ' Ann@Example.com ')
    expect(h).toBe(await emailHash(keys, 'ann@example.com'))
    expect(h).toMatch(/^[0-9a-f]{64}$/)
    expect(h).not.toBe(createHash('sha256').update('ann@example.com').digest('hex'))
    expect(h).not.toBe(await emailHash(await deriveKeys('another-secret-key-0123456789abcdef0123'), 'ann@example.com'))
  })
})

describe('anonymizeIp', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0'],
    ['::ffff:192.0.2.9', '192.0.2.0'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3::'],
    ['2001:db8::1', '2001:db8:0::'],
    ['::1', '0:0:0::'],
    ['[2001:db8:1:2::5]', '2001:db8:1::'],
    ['fe80::1%eth0', 'fe80:0:0::'],
    ['999.1.1.1', null],
    ['not an ip', null],
    ['1:2:3:4:5:6:7:8:9', null],
    ['', null],
    [null, null],
  ])('%s → %s', (input, expected) => {
    expect(anonymizeIp(input)).toBe(expected)
  })
})
