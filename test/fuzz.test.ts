// Property-based fuzzing of every route in the OpenAPI document (public and moderator), through the app:
// whatever the method, path parameters, query, headers and body, the answer is never a 5xx, never carries a
// stack trace or a database message, and no public answer carries a commenter's email.
import * as fc from 'fast-check'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTICLE_CHANNEL } from '../src/db/article-channel.js'
import { openEmbedded } from '../src/node/embedded.js'
import { migrateToLatest } from '../src/db/migrate.js'
import type { Database } from '../src/db/schema.js'
import { buildOpenApiDocument } from '../src/api/document.js'
import { ADMIN_TOKEN, makeApp, testConfig, uniqueArticle, type TestApp } from './support/app.js'

const openApiDocument = buildOpenApiDocument(testConfig())

type Operation = { method: string; path: string; queryNames: string[] }
type Parameter = { in: string; name: string }
const METHODS = ['get', 'post', 'put', 'patch', 'delete']
const operations: Operation[] = Object.entries(openApiDocument.paths as Record<string, Record<string, { parameters?: Parameter[] }>>).flatMap(
  ([path, ops]) =>
    Object.keys(ops)
      .filter((m) => METHODS.includes(m))
      .map((method) => {
        const parameters = [...((ops.parameters as Parameter[] | undefined) ?? []), ...(ops[method]!.parameters ?? [])]
        return { method: method.toUpperCase(), path, queryNames: parameters.filter((p) => p.in === 'query').map((p) => p.name) }
      }),
)

/** The commenter whose address must never appear in a public answer. */
const SECRET_EMAIL = 'Hidden.Person+fuzz@Private.example'
const QUERY_NAMES = [
  'article',
  'limit',
  'cursor',
  'token',
  'status',
  'reason',
  'q',
  'sort',
  'moderator',
  'comment',
  'upTo',
  'email',
  'lang',
  'v',
  'mode',
  'x',
]
const FIELDS = [
  'article',
  'author',
  'email',
  'url',
  'content',
  'parentId',
  'formToken',
  'website',
  'redirect',
  'notify',
  'status',
  'ids',
  'action',
  'name',
  'title',
  'moderationWords',
  'disallowedWords',
  'allowedWords',
  'approve',
  'pageTitle',
  'pageUrl',
]

// Text of every kind the review used: NUL, broken surrogates, markup, SQL, huge, look-alikes, numbers.
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)), maxLength: 20 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udc00', 'a', '/', ' ', '\u200b'), minLength: 1, maxLength: 6 }),
  fc.constantFrom(
    '\u0000',
    '\ud800',
    'x\udc00',
    "' or 1=1 --",
    '%',
    '_',
    '\\',
    '<script>alert(1)</script>',
    'javascript:alert(1)',
    '../../etc/passwd',
    '1',
    '0',
    '-1',
    '9999999999999999999',
    '1e309',
    'NaN',
    'null',
    'true',
    '[]',
    '{}',
    'approved',
    'spam',
    'pending',
    'trash',
    'https://x.example/',
    'a@b.example',
    SECRET_EMAIL,
    'x'.repeat(5000),
    ' \t'.repeat(3000),
  ),
)
const value: fc.Arbitrary<unknown> = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty, { maxLength: 3 }),
  fc.dictionary(nasty, nasty, { maxKeys: 3 }),
)

const request = fc.constantFrom(...operations).chain((operation) =>
  fc.record({
    operation: fc.constant(operation),
    pathValue: fc.oneof(
      fc.constantFrom('1', '2', '3', '999999', '0', '00', 'x', '1.5', 'e.svg', 'en.js', 'fr.js', '0123456789abcdef0123.svg'),
      nasty,
    ),
    // Mostly the operation's own query parameters, sometimes any.
    query: fc.array(fc.tuple(fc.constantFrom(...operation.queryNames, ...operation.queryNames, ...QUERY_NAMES), nasty), { maxLength: 4 }),
    body: fc.oneof(fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 6 }), value),
    encoding: fc.constantFrom('json', 'form', 'text', 'raw-json', 'none'),
    auth: fc.constantFrom('admin', 'admin', 'none', 'wrong'),
    accept: fc.constantFrom('application/json', 'text/html', '*/*'),
  }),
)

/** What a client can put in a URL: half a surrogate pair goes as U+FFFD. */
const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')

const STACK = /\bat [^\n]*\((?:file:|node:|\/)[^)]*:\d+:\d+\)|node_modules|\.ts:\d+:\d+/
const DATABASE_TEXT =
  /syntax error|relation "|violates|duplicate key|invalid byte sequence|invalid input syntax|out of range for type|SQLSTATE|error 2\d\d\d\d|pglite/i

describe('fuzzing every route', () => {
  let db: Kysely<Database>
  let t: TestApp
  let article: string

  beforeAll(async () => {
    // A database of its own: the moderator routes it calls at random (delete, bulk, word lists, erase) must touch
    // no other test's rows.
    db = await openEmbedded(undefined, { channel: ARTICLE_CHANNEL, onMessage: () => {} })
    await migrateToLatest(db)
    t = await makeApp(db, { env: { ALLOWED_ORIGINS: '*' } })
    article = uniqueArticle('fuzz')
    for (let i = 0; i < 3; i++) {
      const res = await t.post({
        article,
        author: 'Hidden Person',
        email: SECRET_EMAIL,
        content: `Seeded comment ${i}`,
        url: 'https://hidden.example/',
      })
      const id = (await res.json()).comment.id
      if (i < 2) await t.admin('PATCH', `/comments/${id}`, { status: 'approved' })
    }
  }, 120_000)
  afterAll(async () => {
    await db?.destroy()
  })

  it('never answers 5xx, a stack trace, a database message, or (publicly) an email', async () => {
    const forms = [SECRET_EMAIL, SECRET_EMAIL.toLowerCase(), encodeURIComponent(SECRET_EMAIL.toLowerCase())]
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const path = r.operation.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(wellFormed(r.pathValue)))
        const search = new URLSearchParams()
        for (const [name, v] of r.query) search.append(name, v)
        // The seeded article half the time, so the reads find comments whose author's email must stay hidden.
        if (r.query.length === 0 && r.operation.path === '/api/comments') search.append('article', article)
        const headers: Record<string, string> = { Accept: r.accept, Origin: 'https://blog.example' }
        if (r.auth === 'admin') headers.Authorization = `Bearer ${ADMIN_TOKEN}`
        if (r.auth === 'wrong') headers.Authorization = 'Bearer wrong-token-0123456789'
        let body: string | undefined
        const carriesBody = !['GET', 'HEAD'].includes(r.operation.method) && r.encoding !== 'none'
        if (carriesBody) {
          if (r.encoding === 'form' && r.body && typeof r.body === 'object' && !Array.isArray(r.body)) {
            headers['Content-Type'] = 'application/x-www-form-urlencoded'
            body = new URLSearchParams(Object.entries(r.body).map(([k, v]) => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')])).toString()
          } else if (r.encoding === 'text') {
            headers['Content-Type'] = 'text/plain'
            body = typeof r.body === 'string' ? r.body : (JSON.stringify(r.body) ?? '')
          } else {
            headers['Content-Type'] = 'application/json'
            body = r.encoding === 'raw-json' ? `${JSON.stringify(r.body) ?? ''}`.slice(0, -1) : (JSON.stringify(r.body) ?? 'null')
          }
        }
        const query = search.toString()
        const res = await t.request(`${path}${query ? `?${query}` : ''}`, {
          method: r.operation.method,
          headers,
          ...(body === undefined ? {} : { body }),
        })
        const text = await res.text()
        const label = `${r.operation.method} ${path}?${query} → ${res.status} ${text.slice(0, 300)}`
        expect(res.status, label).toBeLessThan(500)
        expect(STACK.test(text), label).toBe(false)
        expect(DATABASE_TEXT.test(text), label).toBe(false)
        const moderatorAnswer = r.operation.path.startsWith('/api/admin') && r.auth === 'admin'
        if (!moderatorAnswer) {
          const all = text + JSON.stringify([...res.headers])
          for (const form of forms) expect(all.includes(form), label).toBe(false)
          const posted = r.body && typeof r.body === 'object' ? (r.body as Record<string, unknown>).email : undefined
          if (typeof posted === 'string' && posted.trim().length >= 6 && posted.includes('@') && res.status < 300) {
            expect(text.toLowerCase().includes(posted.trim().toLowerCase()), label).toBe(false)
          }
        }
      }),
      { numRuns: 500, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), verbose: 1 },
    )
  }, 300_000)
})
