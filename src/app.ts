import { Hono, type ErrorHandler, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { createMiddleware } from 'hono/factory'
import { HTTPException } from 'hono/http-exception'
import { sql } from 'kysely'
import { openApiDocument } from './api/document.js'
import type { PublicCache } from './cache/public-cache.js'
import type { AppEnv, Deps } from './env.js'
import { AppError, isUnavailable, unavailableError } from './errors.js'
import { createOutageLog } from './outage-log.js'
import { adminRoutes } from './routes/admin.js'
import { adminConsoleRoutes } from './routes/admin-console.js'
import { adminWebhookRoutes } from './routes/admin-webhooks.js'
import { adminWordRoutes } from './routes/admin-words.js'
import { adminEmailRoutes } from './routes/admin-email.js'
import { assetRoutes } from './routes/assets.js'
import { commentRoutes } from './routes/comments.js'
import { countRoutes } from './routes/counts.js'
import { healthRoutes } from './routes/health.js'
import { openApiRoutes } from './routes/openapi.js'
import { header, requestHeader } from './request-header.js'
import { countsHeaders, isComplete, plainJson } from './routes/fast-json.js'
import { pageRoutes } from './routes/pages.js'
import { emailRoutes, kickOutboxAfter } from './routes/email.js'
import { notifyHeld } from './webhooks/held.js'

export const MAX_BODY_BYTES = 64 * 1024
const COUNTS_PATH = '/api/counts'

type NewId = () => string
type CorsHeaders = (origin: string | undefined) => Record<string, string> | undefined

/** The one Parley app, the same on Node, Workers and in tests: everything it uses comes in through deps. */
export function createApp(deps: Deps) {
  const { config } = deps
  const app = new Hono<AppEnv>()
  // A database outage is logged once when it starts and once when a probe finds the database back.
  // (The probe runs on a timer: on Node only; a Worker can query only within a request, where /healthz tells.)
  const dbOutage = createOutageLog({
    log: deps.log,
    what: 'database',
    ...(deps.defer ? {} : { probe: () => sql`select 1`.execute(deps.db) }),
  })
  // When a statement last failed for want of space or of a writable server: /healthz says so for a while.
  let writeFailedAt = 0
  const newId = requestIds()
  const cors = publicCors(config.allowedOrigins)

  app.use(requestContext(deps, newId))
  app.use('/api/comments', cors.middleware)
  app.use('/api/comments/*', cors.middleware)
  app.use('/api/counts', cors.middleware)
  // Only on methods that carry a body: reads never pass through it.
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], '/api/*', bodyLengthGuard())

  // Email: only where a mailer is configured, so the hot paths pass one middleware fewer otherwise.
  if (deps.kickOutbox) app.use(kickOutboxAfter)
  app.route('/email', emailRoutes)
  app.use('/api/comments', notifyHeld)
  app.route('/api/comments', commentRoutes(config.maxContentLength))
  app.route('/api/counts', countRoutes)
  app.route('/api/admin', adminRoutes)
  app.route('/admin', adminConsoleRoutes)
  app.route('/api/admin', adminWordRoutes)
  app.route('/api/admin', adminWebhookRoutes)
  app.route('/api/admin', adminEmailRoutes)
  app.route('/healthz', healthRoutes({ writeFailedAt: () => writeFailedAt, answered: () => dbOutage.ok() }))
  app.route('/', assetRoutes)
  app.route('/', openApiRoutes(openApiDocument))
  app.route('/', pageRoutes)

  if (deps.publicCache) answerCachedCountsFirst(app, deps, deps.publicCache, newId, cors.headers)

  // Answered, not thrown: a throw here would pass by the logging middleware, and 404s would go unlogged.
  app.notFound((c) => c.json(new AppError('not_found', 'There is nothing here.').toBody(), 404))
  app.onError(
    errorAnswer(deps, (error) => {
      if (/^(53|25006)/.test(String((error as { code?: unknown }).code))) writeFailedAt = Date.now()
      dbOutage.failed(error)
    }),
  )
  return app
}

/**
 * Request ids: random, drawn 256 at a time (a random draw per request costs more than the rest of a
 * cached answer; a counter would tell clients how busy the instance is).
 */
function requestIds(): NewId {
  const idPool = new Uint32Array(512)
  let idNext = idPool.length
  return () => {
    if (idNext === idPool.length) {
      crypto.getRandomValues(idPool)
      idNext = 0
    }
    return `${idPool[idNext++]!.toString(16).padStart(8, '0')}${idPool[idNext++]!.toString(16).padStart(8, '0')}`
  }
}

/** Sets deps, the request id and the base URL on every request, and logs it when LOG_REQUESTS is on. */
function requestContext(deps: Deps, newId: NewId) {
  const { config } = deps
  return createMiddleware<AppEnv>(async function requestContext(c, next) {
    const started = performance.now()
    c.set('deps', deps)
    const requestId = givenRequestId(header(c, 'x-request-id')) ?? newId()
    c.set('requestId', requestId)
    c.set('baseUrl', config.publicUrl ?? originOf(c.req.url))
    await next()
    // Hot answers (fastJson) carry it already; the rest get it here (c.header before the handler would
    // make a Headers object for every request).
    if (!isComplete(c.res)) c.res.headers.set('X-Request-Id', requestId)
    if (config.logRequests) {
      // Path only: query strings can carry article keys or, for the moderator export, an email.
      deps.log({
        msg: 'request',
        method: c.req.method,
        path: loggedPath(c.req.path),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        requestId,
      })
    }
  })
}

/** CORS for the public routes: the origins in ALLOWED_ORIGINS; `headers` is what an allowed origin's answer carries. */
function publicCors(allowedOrigins: string[]): { middleware: MiddlewareHandler<AppEnv>; headers: CorsHeaders } {
  const allowed = (origin: string) => allowedOrigins.includes('*') || allowedOrigins.includes(origin)
  const headers: CorsHeaders = (origin) =>
    origin && allowed(origin) ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'ETag,Retry-After' } : undefined
  const preflight = cors({
    origin: (origin) => (allowed(origin) ? origin : null),
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['Content-Type', 'If-None-Match'],
    exposeHeaders: ['ETag', 'Retry-After'],
    maxAge: 86_400,
  })
  // Preflights go to hono/cors. For the requests themselves the same headers are set here: hono/cors
  // touches c.res before the handler and appends Vary after it, and either makes Hono rebuild every
  // response as a full web Response (measured: a quarter of W2's CPU spent re-encoding the body).
  const middleware = createMiddleware<AppEnv>(async function publicCors(c, next) {
    if (c.req.method === 'OPTIONS') return preflight(c, next)
    const answerHeaders = headers(header(c, 'origin'))
    if (answerHeaders) c.set('corsHeaders', answerHeaders)
    await next()
    // fastJson answers carry these already; set on the others after the handler.
    if (isComplete(c.res)) return
    const vary = c.res.headers.get('Vary')
    if (!vary) c.res.headers.set('Vary', 'Origin')
    else if (!/(^|,)\s*origin\s*(,|$)/i.test(vary)) c.res.headers.set('Vary', `${vary}, Origin`)
    for (const [name, value] of Object.entries(answerHeaders ?? {})) c.res.headers.set(name, value)
  })
  return { middleware, headers }
}

/** Refuses a body over MAX_BODY_BYTES with 413 `payload_too_large`. */
function bodyLengthGuard(): MiddlewareHandler<AppEnv> {
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', 'The request body is larger than 64 KiB.')
    },
  })
  return function bodyLengthGuard(c, next) {
    // Asking for c.req.raw.body (as hono/body-limit does first) makes @hono/node-server build a whole web
    // Request and stream the body through it; a declared length is checked here instead, as body-limit
    // itself would (the HTTP parser never reads past it), and the route reads the body the direct way.
    const length = header(c, 'content-length')
    if (length !== undefined && header(c, 'transfer-encoding') === undefined && /^\d{1,15}$/.test(length)) {
      if (Number(length) > MAX_BODY_BYTES) throw new AppError('payload_too_large', 'The request body is larger than 64 KiB.')
      return next()
    }
    // A chunked body (no length) is counted as it streams.
    return limitBody(c, next)
  }
}

/**
 * A cached counts answer (the most frequent request of a page with comment counts) is sent before
 * routing: the same bytes and headers as the counts route's cache hit (test/public-cache.test.ts
 * compares the two), without the router and the middleware around it. Anything else, or a miss,
 * goes through the app as usual.
 */
function answerCachedCountsFirst(app: Hono<AppEnv>, deps: Deps, cache: PublicCache, newId: NewId, corsHeaders: CorsHeaders): void {
  const { config } = deps
  const routed = app.fetch
  const cachedCounts = (request: Request, env: unknown): Response | undefined => {
    if (request.method !== 'GET') return undefined
    const url = request.url
    const path = url.indexOf('/', url.indexOf('//') + 2)
    const query = url.indexOf('?', path)
    if (query - path !== COUNTS_PATH.length || !url.startsWith(COUNTS_PATH, path)) return undefined
    const started = performance.now()
    const body = cache.answer(url.slice(query + 1), Date.now())
    if (body === undefined) return undefined
    const requestId = givenRequestId(requestHeader(deps, request, env, 'x-request-id')) ?? newId()
    const response = plainJson(body, countsHeaders(requestId, corsHeaders(requestHeader(deps, request, env, 'origin'))))
    if (config.logRequests) {
      const ms = Math.round((performance.now() - started) * 10) / 10
      deps.log({ msg: 'request', method: 'GET', path: COUNTS_PATH, status: 200, ms, requestId })
    }
    return response
  }
  app.fetch = (request, env, ctx) => cachedCounts(request, env) ?? routed(request, env, ctx)
}

/** The contract's error body for anything thrown; `unavailable` is told of a database outage (503). */
function errorAnswer(deps: Deps, unavailable: (error: unknown) => void): ErrorHandler<AppEnv> {
  return function errorAnswer(error, c) {
    // Error answers carry these too, whichever middleware the error passed.
    c.header('X-Request-Id', c.get('requestId'))
    const cors = c.get('corsHeaders')
    if (cors) {
      c.header('Vary', 'Origin')
      for (const [name, value] of Object.entries(cors)) c.header(name, value)
    }
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value)
      return c.json(error.toBody(), error.status)
    }
    // Hono raises 400 for a body it cannot parse before any validator runs.
    if (error instanceof HTTPException && error.status === 400) {
      return c.json(new AppError('invalid_body', 'The body could not be parsed.').toBody(), 400)
    }
    // The database away, frozen or full: 503 with Retry-After, logged once per outage (not once per request).
    if (isUnavailable(error)) {
      unavailable(error)
      const answer = unavailableError()
      for (const [name, value] of Object.entries(answer.headers ?? {})) c.header(name, value)
      return c.json(answer.toBody(), 503)
    }
    deps.log({ msg: 'error', level: 'error', requestId: c.get('requestId'), error: describe(error) })
    return c.json(new AppError('internal_error', 'Something went wrong on our side. Please try again.').toBody(), 500)
  }
}

export type App = ReturnType<typeof createApp>

/**
 * A client's X-Request-Id (a proxy's, as a rule) is kept for log correlation only when it is a plain token:
 * letters, digits and . _ : - up to 64; anything else (spaces, quotes, control characters, JSON) gets a new id.
 */
function givenRequestId(value: string | undefined): string | undefined {
  return value !== undefined && /^[A-Za-z0-9._:-]{1,64}$/.test(value) ? value : undefined
}

/** The path as logged: a one-click link's token is a capability, so its route is logged, not the token. */
function loggedPath(path: string): string {
  return path.startsWith('/admin/act/') ? '/admin/act/:token' : path
}

/** scheme://host[:port] of an absolute URL, without a full URL parse on every request. */
function originOf(url: string): string {
  const slash = url.indexOf('/', url.indexOf('//') + 2)
  return slash === -1 ? url : url.slice(0, slash)
}

/** Server-side log text for an unexpected error: its name and code, never bound values or request data. */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message.slice(0, 300)}`
  }
  return 'unknown error'
}
