// The API document (GET /openapi.json) is made from the schemas that validate: here it is checked by a real
// OpenAPI 3.1 validator, and real answers of the main routes (successes and errors) are checked against it.
import { Validator } from '@seriousme/openapi-schema-validator'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildOpenApiDocument, type OpenApiDocument } from '../src/api/document.js'
import { errorStatus, type ErrorCode } from '../src/errors.js'
import { recordFailure } from '../src/webhooks/failures.js'
import { backends } from './support/db.js'
import { makeApp, testConfig, uniqueArticle, uniqueEmail, validComment, type TestApp } from './support/app.js'

type Json = Record<string, unknown>
const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']
// ajv-formats is CommonJS: its default export is the plugin under Node's interop, or holds it under `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020

/** Hono's `/a/:id{[0-9]+}/b` as OpenAPI's `/a/{id}/b` (a param's pattern may hold braces of its own). */
function toOpenApiPath(path: string): string {
  let out = ''
  for (let i = 0; i < path.length; i++) {
    if (path[i] !== ':') {
      out += path[i]
      continue
    }
    const name = /^[A-Za-z0-9_]+/.exec(path.slice(i + 1))![0]
    i += name.length
    if (path[i + 1] === '{') {
      let depth = 0
      do {
        i++
        if (path[i] === '{') depth++
        else if (path[i] === '}') depth--
      } while (depth > 0 && i < path.length)
    }
    out += `{${name}}`
  }
  return out
}

/** Every operation the document describes, as "METHOD /path". */
function documented(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => methods.includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  )
}

/** Calls `visit` on every object in `node`, with the keys that lead to it. */
function walk(node: unknown, visit: (value: Json, trail: string[]) => void, trail: string[] = []): void {
  if (Array.isArray(node)) node.forEach((item) => walk(item, visit, trail))
  else if (node && typeof node === 'object') {
    visit(node as Json, trail)
    for (const [key, value] of Object.entries(node)) walk(value, visit, [...trail, key])
  }
}

const pointer = (...keys: string[]) => keys.map((k) => k.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')

/**
 * Checks an answer against the document: its status is documented for the operation, and its JSON body (if the
 * document gives one) passes the schema. Returns the body.
 */
async function expectDocumented(document: OpenApiDocument, ajv: Ajv2020, res: Response, method: string, path: string): Promise<any> {
  const operation = document.paths[path]?.[method] as { responses: Record<string, { content?: Record<string, unknown> }> } | undefined
  expect(operation, `${method.toUpperCase()} ${path} is documented`).toBeDefined()
  const answer = operation!.responses[String(res.status)]
  expect(answer, `${method.toUpperCase()} ${path} documents status ${res.status}`).toBeDefined()
  const text = await res.text()
  if (!answer!.content?.['application/json']) return text
  expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
  const body = JSON.parse(text)
  const validate = ajv.getSchema(
    `parley#/${pointer('paths', path, method, 'responses', String(res.status), 'content', 'application/json', 'schema')}`,
  )!
  const valid = validate(body)
  expect(valid ? [] : validate.errors, `${method.toUpperCase()} ${path} ${res.status}: ${text.slice(0, 300)}`).toEqual([])
  return body
}

function ajvFor(document: OpenApiDocument): Ajv2020 {
  const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }))
  ajv.addSchema(document, 'parley')
  return ajv
}

describe('toOpenApiPath', () => {
  it.each([
    ['/api/comments', '/api/comments'],
    ['/api/admin/comments/:id', '/api/admin/comments/{id}'],
    ['/api/comments/:id{[1-9][0-9]{0,15}}/status', '/api/comments/{id}/status'],
    ['/avatar/:file{[0-9a-f]{20}\\.svg}', '/avatar/{file}'],
    ['/admin/act/:token', '/admin/act/{token}'],
  ])('%s → %s', (hono, openApi) => {
    expect(toOpenApiPath(hono)).toBe(openApi)
  })
})

describe('the OpenAPI document itself', () => {
  const document = buildOpenApiDocument(testConfig())

  it('is valid OpenAPI 3.1 (checked by @seriousme/openapi-schema-validator)', async () => {
    const validator = new Validator()
    const result = await validator.validate(structuredClone(document))
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('is refused by the same validator when broken (the check can fail)', async () => {
    const broken = structuredClone(document) as Json & { paths: Record<string, Json> }
    ;(broken.paths['/api/comments']!.get as Json).responses = { 200: { content: {} } } // a response without a description
    expect((await new Validator().validate(broken as never)).valid).toBe(false)
  })

  it('lists every error code of src/errors.ts', () => {
    const text = JSON.stringify(document)
    const missing = Object.keys(errorStatus).filter((code) => !text.includes(`"${code}"`))
    expect(missing).toEqual([])
  })

  it('puts each error code under the status it travels with', () => {
    const wrong: string[] = []
    let seen = 0
    walk(document.paths, (value, trail) => {
      const codes = ((value.properties as Json | undefined)?.code as Json | undefined)?.enum
      if (!Array.isArray(codes) || trail.at(-1) !== 'error') return
      const status = trail[trail.indexOf('responses') + 1]
      for (const c of codes as ErrorCode[]) {
        seen++
        if (String(errorStatus[c]) !== status) wrong.push(`${trail.slice(0, 3).join(' ')}: ${c} under ${status}`)
      }
    })
    expect(wrong).toEqual([])
    expect(seen).toBeGreaterThan(50)
  })

  it('refers only to schemas it defines', () => {
    const dangling: string[] = []
    walk(document, (value) => {
      if (typeof value.$ref !== 'string') return
      const name = value.$ref.replace('#/components/schemas/', '')
      if (!(name in document.components.schemas)) dangling.push(value.$ref)
    })
    expect(dangling).toEqual([])
  })

  it("states this deployment's limits: MAX_CONTENT_LENGTH for a comment and a moderator's reply", () => {
    const contentMax = (d: OpenApiDocument) => (d.components.schemas.CommentInput as { properties: { content: Json } }).properties.content.maxLength
    const replyMax = (d: OpenApiDocument) => {
      const op = d.paths['/api/admin/comments/{id}/reply']!.post as { requestBody: { content: { 'application/json': { schema: Json } } } }
      return (op.requestBody.content['application/json'].schema.properties as { content: Json }).content.maxLength
    }
    expect(contentMax(document)).toBe(10_000)
    expect(replyMax(document)).toBe(10_000)
    const large = buildOpenApiDocument(testConfig({ MAX_CONTENT_LENGTH: '50000' }))
    expect(contentMax(large)).toBe(50_000)
    expect(replyMax(large)).toBe(50_000)
  })

  it('takes the article key rule from the validators: 1–512 characters wherever a key is asked for', () => {
    const rules: string[] = []
    walk(document, (value, trail) => {
      if (trail.at(-1) === 'article' && value.type === 'string' && 'maxLength' in value)
        rules.push(`${value.minLength as number}-${value.maxLength as number}`)
      if (value.name === 'article' && value.in === 'query') {
        const schema = value.schema as Json
        rules.push(`${(schema.minLength as number) ?? '?'}-${(schema.maxLength as number) ?? '?'}`)
      }
    })
    expect(rules.length).toBeGreaterThan(4)
    expect(new Set(rules.filter((r) => r !== '?-?'))).toEqual(new Set(['1-512']))
  })
})

describe.each(backends)('the OpenAPI document and the app on $name PostgreSQL', (backend) => {
  let t: TestApp
  let document: OpenApiDocument
  let ajv: Ajv2020
  const check = (res: Response, method: string, path: string) => expectDocumented(document, ajv, res, method, path)
  beforeAll(async () => {
    t = await makeApp(await backend.open())
    document = (await (await t.request('/openapi.json')).json()) as OpenApiDocument
    ajv = ajvFor(document)
  })

  it('is served at GET /openapi.json as OpenAPI 3.1, cacheable, naming this service, with its limits', async () => {
    const res = await t.request('/openapi.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300')
    const body = await res.json()
    expect(body.openapi).toMatch(/^3\.1\.\d+$/)
    expect(body.servers).toEqual([{ url: 'http://parley.test' }])
    expect(body).toEqual({ ...structuredClone(buildOpenApiDocument(t.config)), servers: [{ url: 'http://parley.test' }] })
    expect((await new Validator().validate(body)).valid).toBe(true)

    const larger = await makeApp(t.deps.db, { env: { MAX_CONTENT_LENGTH: '50000' } })
    const served = await (await larger.request('/openapi.json')).json()
    expect(served.components.schemas.CommentInput.properties.content.maxLength).toBe(50_000)
  })

  it('documents exactly the routes the app serves', () => {
    const served = new Set(t.app.routes.filter((r) => r.method !== 'ALL' && !r.path.endsWith('*')).map((r) => `${r.method} ${toOpenApiPath(r.path)}`))
    const described = new Set(documented(document))
    expect([...served].filter((route) => !described.has(route)).sort()).toEqual([])
    expect([...described].filter((route) => !served.has(route)).sort()).toEqual([])
    expect(served.size).toBeGreaterThan(20)
  })

  it('describes the public routes’ answers, errors included (400, 403, 404, 409, 415)', async () => {
    const article = uniqueArticle('openapi')
    const posted = await check(await t.post(validComment(article, { url: 'https://ada.example' })), 'post', '/api/comments')
    expect(posted.comment.status).toBe('pending')
    const id = posted.comment.id as string
    await check(await t.request(`/api/comments/${id}/status?token=${posted.statusToken}`), 'get', '/api/comments/{id}/status')
    await check(await t.request(`/api/comments/${id}/status?token=${'x'.repeat(43)}`), 'get', '/api/comments/{id}/status')

    const bad = await check(await t.post(validComment(article, { email: 'not-an-address', content: '' })), 'post', '/api/comments')
    expect(bad.error.code).toBe('validation_failed')
    const unparsed = await t.request('/api/comments', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"article":' })
    expect((await check(unparsed, 'post', '/api/comments')).error.code).toBe('invalid_body')
    const plain = await t.request('/api/comments', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hello' })
    expect((await check(plain, 'post', '/api/comments')).error.code).toBe('unsupported_media_type')
    const orphan = await check(await t.post(validComment(article, { parentId: '999999999999' })), 'post', '/api/comments')
    expect(orphan.error.code).toBe('parent_not_found')
    const email = uniqueEmail()
    expect((await t.post(validComment(article, { email, content: 'Said once, and only once here.' }))).status).toBe(201)
    const twice = await check(await t.post(validComment(article, { email, content: 'Said once, and only once here.' })), 'post', '/api/comments')
    expect(twice.error.code).toBe('duplicate_comment')

    await check(await t.admin('PATCH', `/comments/${id}`, { status: 'approved' }), 'patch', '/api/admin/comments/{id}')
    const list = await check(await t.list(article), 'get', '/api/comments')
    expect(list.comments.map((c: { id: string }) => c.id)).toEqual([id])
    const etag = (await t.list(article)).headers.get('ETag')!
    expect((await check(await t.list(article, '', { 'If-None-Match': etag }), 'get', '/api/comments')) as string).toBe('')
    expect((await check(await t.list(article, '&limit=0'), 'get', '/api/comments')).error.code).toBe('validation_failed')
    expect((await check(await t.list(''), 'get', '/api/comments')).error.code).toBe('validation_failed')

    const counts = await check(await t.request(`/api/counts?article=${encodeURIComponent(article)}&article=%2Fnone`), 'get', '/api/counts')
    expect(counts.counts[article]).toBe(1)
    await check(await t.request('/api/counts'), 'get', '/api/counts')

    expect((await t.admin('POST', '/articles/close', { article })).status).toBe(200)
    const closedList = await check(await t.list(article), 'get', '/api/comments')
    expect(closedList.closed).toBe(true)
    expect((await check(await t.post(validComment(article)), 'post', '/api/comments')).error.code).toBe('comments_closed')
    await check(await t.request('/healthz'), 'get', '/healthz')
  })

  it('describes the 429 a client over its rate gets, with Retry-After', async () => {
    const limited = await makeApp(t.deps.db, { env: { RATE_IP_PER_MINUTE: '1' } })
    const article = uniqueArticle('openapi-rate')
    const answers = [await limited.post(validComment(article)), await limited.post(validComment(article))]
    expect(answers.map((r) => r.status)).toEqual([201, 429])
    expect(Number(answers[1]!.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect((await check(answers[1]!, 'post', '/api/comments')).error.code).toBe('rate_limited')
  })

  it('describes the 429 of the read limit on the list and the counts, with Retry-After', async () => {
    const limited = await makeApp(t.deps.db, { env: { RATE_READS_PER_MINUTE: '2' } })
    const article = encodeURIComponent(uniqueArticle('openapi-reads'))
    const answers = [
      await limited.request(`/api/comments?article=${article}`),
      await limited.request(`/api/counts?article=${article}`),
      await limited.request(`/api/comments?article=${article}`),
      await limited.request(`/api/counts?article=${article}`),
    ]
    expect(answers.map((r) => r.status)).toEqual([200, 200, 429, 429])
    expect((await check(answers[2]!, 'get', '/api/comments')).error.code).toBe('rate_limited')
    expect((await check(answers[3]!, 'get', '/api/counts')).error.code).toBe('rate_limited')
  })

  it("describes the moderator API's answers, errors included (400, 401, 404)", async () => {
    const article = uniqueArticle('openapi-admin')
    const posted = await (await t.post(validComment(article, { url: 'https://ada.example' }))).json()
    const id = posted.comment.id as string
    await check(await t.admin('GET', '/stats'), 'get', '/api/admin/stats')
    const queue = await check(await t.admin('GET', `/comments?status=pending&article=${encodeURIComponent(article)}`), 'get', '/api/admin/comments')
    expect(queue.comments).toHaveLength(1)
    await check(await t.admin('GET', '/comments?limit=500'), 'get', '/api/admin/comments')
    await check(await t.admin('GET', `/comments/${id}`), 'get', '/api/admin/comments/{id}')
    await check(await t.admin('GET', '/comments/999999999999'), 'get', '/api/admin/comments/{id}')
    await check(await t.admin('GET', '/stats', undefined, 'not-the-token-at-all-0000'), 'get', '/api/admin/stats')
    await check(await t.admin('PATCH', `/comments/${id}`, { status: 'gone' }), 'patch', '/api/admin/comments/{id}')
    await check(await t.admin('PATCH', `/comments/${id}`, { status: 'spam' }), 'patch', '/api/admin/comments/{id}')
    await check(await t.admin('POST', `/comments/${id}/restore`), 'post', '/api/admin/comments/{id}/restore')
    const reply = await check(
      await t.admin('POST', `/comments/${id}/reply`, { content: 'Thank you!', approve: true }),
      'post',
      '/api/admin/comments/{id}/reply',
    )
    expect(reply.comment.byModerator).toBe(true)
    await check(await t.admin('POST', '/comments/bulk', { ids: [id, '999999999999'], status: 'approved' }), 'post', '/api/admin/comments/bulk')
    await check(await t.admin('GET', `/articles?article=${encodeURIComponent(article)}`), 'get', '/api/admin/articles')
    await check(await t.admin('GET', `/articles?article=${encodeURIComponent(uniqueArticle('none'))}`), 'get', '/api/admin/articles')
    await check(await t.admin('PATCH', '/articles', { article, title: 'A page', url: 'https://blog.example/a' }), 'patch', '/api/admin/articles')
    await check(await t.admin('POST', '/articles/close', { article }), 'post', '/api/admin/articles/close')
    await check(await t.admin('POST', '/articles/reopen', { article }), 'post', '/api/admin/articles/reopen')
    await check(await t.admin('GET', `/audit?article=${encodeURIComponent(article)}`), 'get', '/api/admin/audit')
    await check(await t.admin('GET', '/me'), 'get', '/api/admin/me')
    await check(await t.admin('GET', '/words'), 'get', '/api/admin/words')
    await check(await t.admin('PUT', '/words', {}), 'put', '/api/admin/words')
    await check(await t.admin('GET', `/personal-data?email=${encodeURIComponent('nobody@example.com')}`), 'get', '/api/admin/personal-data')
    await check(await t.admin('GET', '/email/failed'), 'get', '/api/admin/email/failed')
    await check(await t.admin('DELETE', `/comments/${id}`), 'delete', '/api/admin/comments/{id}')
    await check(await t.admin('DELETE', `/comments/${id}`), 'delete', '/api/admin/comments/{id}')
  })

  it('describes a failed webhook delivery as the moderator API lists it', async () => {
    const result = { delivered: false, attempts: 4, status: 0, error: 'timeout' as const, firstAttemptAt: new Date() }
    await recordFailure(
      t.deps.db,
      { deliveryId: 'openapi-check', event: 'comment.held', commentId: 1, url: 'https://hooks.example/x', result },
      new Date(),
    )
    const page = await check(await t.admin('GET', '/webhooks/failed?limit=1'), 'get', '/api/admin/webhooks/failed')
    expect(page.deliveries).toHaveLength(1)
    await check(await t.admin('DELETE', '/webhooks/failed/999999999999'), 'delete', '/api/admin/webhooks/failed/{id}')
  })

  it('catches an answer that breaks its schema (the checks can fail)', async () => {
    const article = uniqueArticle('openapi-broken')
    const fake = new Response(JSON.stringify({ article, comments: [], total: 0, nextCursor: null, formToken: 't', email: 'a@b.example' }), {
      headers: { 'Content-Type': 'application/json' },
    })
    await expect(check(fake, 'get', '/api/comments')).rejects.toThrow()
    const wrongCode = new Response(JSON.stringify({ error: { code: 'not_found', message: 'x' } }), {
      status: 400,
      headers: { 'Content-Type': 'application/json' },
    })
    await expect(check(wrongCode, 'get', '/api/comments')).rejects.toThrow()
  })
})
