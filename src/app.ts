import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { createMiddleware } from 'hono/factory'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv, Deps } from './env.js'
import { AppError } from './errors.js'
import { adminRoutes } from './routes/admin.js'
import { adminConsoleRoutes } from './routes/admin-console.js'
import { adminWebhookRoutes } from './routes/admin-webhooks.js'
import { adminWordRoutes } from './routes/admin-words.js'
import { assetRoutes } from './routes/assets.js'
import { commentRoutes } from './routes/comments.js'
import { countRoutes } from './routes/counts.js'
import { healthRoutes } from './routes/health.js'
import { openApiRoutes } from './routes/openapi.js'
import { pageRoutes } from './routes/pages.js'
import { notifyHeld } from './webhooks/held.js'

export const MAX_BODY_BYTES = 64 * 1024

/** The one Parley app, the same on Node, Workers and in tests: everything it uses comes in through deps. */
export function createApp(deps: Deps) {
  const { config } = deps
  const app = new Hono<AppEnv>()

  app.use(async (c, next) => {
    const started = performance.now()
    const requestId = c.req.header('X-Request-Id')?.slice(0, 64) || crypto.randomUUID()
    c.set('deps', deps)
    c.set('requestId', requestId)
    c.set('clientIp', clientIp(c, config.trustProxy) ?? deps.remoteAddress?.(c) ?? null)
    c.set('baseUrl', config.publicUrl ?? originOf(c.req.url))
    // Headers set before the handler ride on its response; set after, Hono must rebuild the response.
    c.header('X-Request-Id', requestId)
    await next()
    if (config.logRequests) {
      // Path only: query strings can carry article keys or, for the moderator export, an email.
      deps.log({
        msg: 'request',
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        requestId,
      })
    }
  })

  const allowed = (origin: string) => config.allowedOrigins.includes('*') || config.allowedOrigins.includes(origin)
  const preflight = cors({
    origin: (origin) => (allowed(origin) ? origin : null),
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['Content-Type', 'If-None-Match'],
    exposeHeaders: ['ETag', 'Retry-After'],
    maxAge: 86_400,
  })
  // Preflights go to hono/cors. For the requests themselves the same headers are set up front: hono/cors
  // touches c.res before the handler and appends Vary after it, and either makes Hono rebuild every
  // response as a full web Response (measured: a quarter of W2's CPU spent re-encoding the body).
  const publicCors = createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next)
    c.header('Vary', 'Origin')
    const origin = c.req.header('Origin')
    if (origin && allowed(origin)) {
      const headers = { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'ETag,Retry-After' }
      for (const [name, value] of Object.entries(headers)) c.header(name, value)
      c.set('corsHeaders', headers)
    }
    await next()
  })
  app.use('/api/comments', publicCors)
  app.use('/api/comments/*', publicCors)
  app.use('/api/counts', publicCors)
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', 'The request body is larger than 64 KiB.')
    },
  })
  app.use('/api/*', (c, next) => {
    // Asking for c.req.raw.body (as hono/body-limit does first) makes @hono/node-server build a whole web
    // Request and stream the body through it; a declared length is checked here instead, as body-limit
    // itself would (the HTTP parser never reads past it), and the route reads the body the direct way.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const length = c.req.header('Content-Length')
    if (length !== undefined && c.req.header('Transfer-Encoding') === undefined && /^\d{1,15}$/.test(length)) {
      if (Number(length) > MAX_BODY_BYTES) throw new AppError('payload_too_large', 'The request body is larger than 64 KiB.')
      return next()
    }
    // A chunked body (no length) is counted as it streams.
    return limitBody(c, next)
  })

  app.use('/api/comments', notifyHeld)
  app.route('/api/comments', commentRoutes(config.maxContentLength))
  app.route('/api/counts', countRoutes)
  app.route('/api/admin', adminRoutes)
  app.route('/admin', adminConsoleRoutes)
  app.route('/api/admin', adminWordRoutes)
  app.route('/api/admin', adminWebhookRoutes)
  app.route('/healthz', healthRoutes)
  app.route('/', assetRoutes)
  app.route('/', openApiRoutes)
  app.route('/', pageRoutes)

  app.notFound(() => {
    throw new AppError('not_found', 'There is nothing here.')
  })
  app.onError((error, c) => {
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value)
      return c.json(error.toBody(), error.status)
    }
    // Hono raises 400 for a body it cannot parse before any validator runs.
    if (error instanceof HTTPException && error.status === 400) {
      return c.json(new AppError('invalid_body', 'The body could not be parsed.').toBody(), 400)
    }
    deps.log({ msg: 'error', level: 'error', requestId: c.var.requestId, error: describe(error) })
    return c.json(new AppError('internal_error', 'Something went wrong on our side. Please try again.').toBody(), 500)
  })

  return app
}

export type App = ReturnType<typeof createApp>

/** With TRUST_PROXY, the client address the proxy reports; otherwise undefined (use the connection's). */
function clientIp(c: Context, trustProxy: boolean): string | undefined {
  if (!trustProxy) return undefined
  const cf = c.req.header('CF-Connecting-IP')?.trim()
  if (cf) return cf
  const forwarded = c.req.header('X-Forwarded-For')?.split(',')[0]?.trim()
  return forwarded || undefined
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
