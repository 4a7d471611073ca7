import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { anonymizeIp } from '../src/privacy/ip.js'
import { nodeCryptoKeys } from '../src/node/crypto.js'
import { deriveKeys, webCryptoKeys } from '../src/privacy/keys.js'
import { avatarSeed, decryptEmail, emailHash, encryptEmail, keyedHash } from '../src/privacy/email.js'
import { checkStatusToken, issueStatusToken } from '../src/privacy/status-token.js'
import { checkFormToken, issueFormToken } from '../src/moderation/form-token.js'
import { readEmailLink, signEmailLink } from '../src/email/tokens.js'
import { createActionToken, readActionToken } from '../src/privacy/action-link.js'
import { sign, verify } from '../src/privacy/tokens.js'
import { backends } from './support/db.js'
import { SECRET_KEY, uniqueArticle, validComment, appForSuite } from './support/app.js'

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
  // Rate limits counted in the database too, so the scan below covers the limiter's table.
  const t = appForSuite(backend, { env: { TRUST_PROXY: 'true', RATE_LIMIT_STORE: 'postgres' } })

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
      .selectFrom('comments')
      .innerJoin('articles', 'articles.id', 'comments.article_id')
      .select(['ip', 'email_enc', 'email_hash'])
      .where('articles.key', '=', article)
      .executeTakeFirstOrThrow()
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

// Values written by the first release (keys made with crypto.subtle.deriveKey): stored hashes, tokens and
// ciphertexts must keep meaning the same thing whichever implementation computes them.
const KNOWN_SECRET = 'known-answer-secret-0123456789abcdef0123456789'
const KNOWN = {
  emailHash: '3fe1cc98d6e442c79ee53c890caad788780030657aa2faef0b06e63626067e9d',
  avatar: '79c5845faa059f89abc9',
  ip: '93e3deed74f19112cec035637a8d298574cb1428e0924c1577d593de9238a5ac',
  status: 'hExMlWgkmphf7X-Bnysvys8KV3dtbID8Pq5V9e8ZIUI',
  form: 't85s00.VD469IqLsPKwh1FBHABLKSZI-Rg5pXoqoG4MSIrZzj8',
  sealed: 'vqn--ikWfONGcmcfh4bQYswC0B8YnG0L03dBJUIBWnEtwMbB5tOAVqAp8Q',
  // Made by the email link code before the token module (issue 15): links already sent keep working.
  confirmLink: 'eyJwIjoiY29uZmlybSIsInMiOjcsImUiOjE3NjcyMjU2MDB9.Lq0IuGVMe1A_BoNGvM7VfcbLATM35l2HXx0sAt6G0oQ',
}

describe.each([
  { name: 'Web Crypto (Workers, default)', provider: webCryptoKeys },
  { name: 'node:crypto (the Node entry)', provider: nodeCryptoKeys },
])('private values through $name', ({ provider }) => {
  it('gives the known answers of earlier releases', async () => {
    const keys = await deriveKeys(KNOWN_SECRET, provider)
    expect(await emailHash(keys, 'Ann@Example.com ')).toBe(KNOWN.emailHash)
    expect(await avatarSeed(keys, 'ann@example.com')).toBe(KNOWN.avatar)
    expect(await keyedHash(keys, 'ip', '203.0.113.7')).toBe(KNOWN.ip)
    expect(await issueStatusToken(keys, 42)).toBe(KNOWN.status)
    expect(await checkStatusToken(keys, 42, KNOWN.status)).toBe(true)
    expect(await checkStatusToken(keys, 43, KNOWN.status)).toBe(false)
    const issued = new Date('2026-01-01T00:00:00Z')
    expect(await issueFormToken(keys, '/posts/hello', issued)).toBe(KNOWN.form)
    const rules = { minSeconds: 3, maxAgeSeconds: 86_400 }
    expect(await checkFormToken(keys, KNOWN.form, '/posts/hello', new Date(issued.getTime() + 60_000), rules)).toBeNull()
    expect(await checkFormToken(keys, KNOWN.form, '/posts/other', new Date(issued.getTime() + 60_000), rules)).toBe('bad_form_token')
    expect(await decryptEmail(keys, KNOWN.sealed)).toBe('ann@example.com')
  })

  it('signs every token through one module: earlier tokens still read, one purpose never passes as another', async () => {
    const keys = await deriveKeys(KNOWN_SECRET, provider)
    const jan1 = new Date('2026-01-01T00:00:00Z')
    expect(await signEmailLink(keys, { p: 'confirm', s: 7, e: 1767225600 })).toBe(KNOWN.confirmLink)
    expect(await readEmailLink(keys, KNOWN.confirmLink, new Date('2025-12-31T00:00:00Z'))).toEqual({ p: 'confirm', s: 7, e: 1767225600 })
    expect(await readEmailLink(keys, KNOWN.confirmLink, jan1)).toBe('expired')
    // The same payload under another purpose is another tag: a status token is no form token, an email link no action link.
    const tag = await sign(keys, 'status', '42')
    expect(tag).toBe(KNOWN.status)
    expect(await verify(keys, 'status', '42', tag)).toBe(true)
    expect(await verify(keys, 'form', '42', tag)).toBe(false)
    expect(await readActionToken(keys, KNOWN.confirmLink, jan1)).toEqual({ ok: false, reason: 'invalid' })
    const expires = Math.floor(jan1.getTime() / 1000) + 3600
    const link = await createActionToken(keys, { commentId: 5, action: 'spam', expires })
    expect(await readEmailLink(keys, link, jan1)).toBeUndefined()
    // Action links are tagged with the token key now; one sent before (lookup key, hex) works until it expires.
    const [payload, newTag] = link.split('.') as [string, string]
    expect(newTag).toBe(await sign(keys, 'action-link', payload))
    const legacy = `${payload}.${await keyedHash(keys, 'action-link', payload)}`
    expect(await readActionToken(keys, legacy, jan1)).toMatchObject({ ok: true, link: { commentId: 5, action: 'spam', expires } })
    expect(await readActionToken(keys, `${payload}.${'0'.repeat(64)}`, jan1)).toEqual({ ok: false, reason: 'invalid' })
    expect(await readActionToken(keys, legacy, new Date((expires + 1) * 1000))).toEqual({ ok: false, reason: 'expired' })
  })

  it('reads what the other implementation sealed, and refuses a tampered ciphertext', async () => {
    const mine = await deriveKeys(KNOWN_SECRET, provider)
    const other = await deriveKeys(KNOWN_SECRET, provider === webCryptoKeys ? nodeCryptoKeys : webCryptoKeys)
    const sealed = await encryptEmail(mine, 'Zoë@example.com')
    expect(await decryptEmail(other, sealed)).toBe('Zoë@example.com')
    // Character 20 lies inside the ciphertext (the IV is the first 16); every one of its 6 bits is data.
    const tampered = sealed.slice(0, 20) + (sealed[20] === 'A' ? 'B' : 'A') + sealed.slice(21)
    await expect(Promise.resolve().then(() => decryptEmail(other, tampered))).rejects.toThrow()
    await expect(Promise.resolve().then(() => decryptEmail(mine, 'AAAA'))).rejects.toThrow()
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
