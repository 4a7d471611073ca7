import { beforeAll, describe, expect, it } from 'vitest'
import { errorStatus, type ErrorCode } from '../src/errors.js'
import { openApiDocument } from '../src/openapi.js'
import { recordFailure } from '../src/webhooks/failures.js'
import { backends } from './support/db.js'
import { makeApp, uniqueArticle, validComment, type TestApp } from './support/app.js'

type Json = Record<string, unknown>
const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']

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
function documented(): string[] {
  return Object.entries(openApiDocument.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => methods.includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  )
}

/** Every `{ $ref }` in the document, and every error code listed per response status. */
function walk(node: unknown, visit: (value: Json, trail: string[]) => void, trail: string[] = []): void {
  if (Array.isArray(node)) node.forEach((item) => walk(item, visit, trail))
  else if (node && typeof node === 'object') {
    visit(node as Json, trail)
    for (const [key, value] of Object.entries(node)) walk(value, visit, [...trail, key])
  }
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
  it('lists every error code of src/errors.ts', () => {
    const text = JSON.stringify(openApiDocument)
    const missing = Object.keys(errorStatus).filter((code) => !text.includes(`"${code}"`))
    expect(missing).toEqual([])
  })

  it('puts each error code under the status it travels with', () => {
    const wrong: string[] = []
    walk(openApiDocument.paths, (value, trail) => {
      const codes = ((value.properties as Json | undefined)?.code as Json | undefined)?.enum
      if (!Array.isArray(codes) || trail.at(-1) !== 'error') return
      const status = trail[trail.indexOf('responses') + 1]
      for (const c of codes as ErrorCode[]) {
        if (String(errorStatus[c]) !== status) wrong.push(`${trail.slice(0, 3).join(' ')}: ${c} under ${status}`)
      }
    })
    expect(wrong).toEqual([])
  })

  it('refers only to schemas it defines', () => {
    const schemas = (openApiDocument.components as { schemas: Json }).schemas
    const dangling: string[] = []
    walk(openApiDocument, (value) => {
      if (typeof value.$ref !== 'string') return
      const name = value.$ref.replace('#/components/schemas/', '')
      if (!(name in schemas)) dangling.push(value.$ref)
    })
    expect(dangling).toEqual([])
  })
})

describe.each(backends)('the OpenAPI document and the app on $name PostgreSQL', (backend) => {
  let t: TestApp
  beforeAll(async () => {
    t = await makeApp(await backend.open())
  })

  it('is served at GET /openapi.json as OpenAPI 3.1, cacheable, naming this service', async () => {
    const res = await t.request('/openapi.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300')
    const body = await res.json()
    expect(body.openapi).toMatch(/^3\.1\.\d+$/)
    expect(body.servers).toEqual([{ url: 'http://parley.test' }])
    expect(Object.keys(body.paths)).toEqual(Object.keys(openApiDocument.paths))
  })

  it('documents exactly the routes the app serves', () => {
    const served = new Set(t.app.routes.filter((r) => r.method !== 'ALL' && !r.path.endsWith('*')).map((r) => `${r.method} ${toOpenApiPath(r.path)}`))
    const described = new Set(documented())
    expect([...served].filter((route) => !described.has(route)).sort()).toEqual([])
    expect([...described].filter((route) => !served.has(route)).sort()).toEqual([])
    expect(served.size).toBeGreaterThan(20)
  })

  it('names exactly the fields the app answers with: Comment, AdminComment, the list and the 201', async () => {
    const schemas = (openApiDocument.components as { schemas: Record<string, { properties: Json; required: string[] }> }).schemas
    // Optional fields these answers do not carry: byModerator (a moderator's reply only), closed (a closed article
    // only), notify (a site that sends email only).
    const optional = new Set(['byModerator', 'closed', 'notify'])
    const fields = (name: string) =>
      Object.keys(schemas[name]!.properties)
        .filter((f) => !optional.has(f))
        .sort()
    const article = uniqueArticle('openapi')
    const posted = await t.post(validComment(article, { url: 'https://ada.example' }))
    expect(posted.status).toBe(201)
    const created = await posted.json()
    expect(Object.keys(created).sort()).toEqual(fields('PostedComment'))
    expect(Object.keys(created.comment).sort()).toEqual([...fields('Comment'), 'status'].sort())

    const admin = await (await t.admin('PATCH', `/comments/${created.comment.id}`, { status: 'approved' })).json()
    expect(Object.keys(admin).sort()).toEqual(fields('AdminComment'))
    expect([...schemas.AdminComment!.required].sort()).toEqual(fields('AdminComment'))

    const list = await (await t.list(article)).json()
    expect(Object.keys(list).sort()).toEqual(fields('CommentList'))
    expect(Object.keys(list.comments[0]).sort()).toEqual(fields('Comment'))
    // On a closed article the list carries `closed` too.
    expect((await t.admin('POST', '/articles/close', { article })).status).toBe(200)
    expect(Object.keys(await (await t.list(article)).json()).sort()).toEqual([...fields('CommentList'), 'closed'].sort())
  })

  it('names exactly the fields of a failed webhook delivery', async () => {
    const schema = (openApiDocument.components as { schemas: Record<string, { properties: Json; required: string[] }> }).schemas.FailedDelivery!
    const result = { delivered: false, attempts: 4, status: 0, error: 'timeout' as const, firstAttemptAt: new Date() }
    await recordFailure(
      t.deps.db,
      { deliveryId: 'openapi-check', event: 'comment.held', commentId: 1, url: 'https://hooks.example/x', result },
      new Date(),
    )
    const page = await (await t.admin('GET', '/webhooks/failed?limit=1')).json()
    expect(Object.keys(page).sort()).toEqual(['deliveries', 'nextCursor'])
    expect(Object.keys(page.deliveries[0]).sort()).toEqual(Object.keys(schema.properties).sort())
    expect([...schema.required].sort()).toEqual(Object.keys(schema.properties).sort())
  })
})
