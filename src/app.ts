import { Hono } from 'hono'
import { sql } from 'kysely'
import { openApiDocument } from './api/document.js'
import type { AppEnv, Deps } from './env.js'
import { limitBody } from './http/body-limit.js'
import { answerCachedCountsFirst } from './http/cached-counts.js'
import { publicCors } from './http/cors.js'
import { errorHandler, notFound } from './http/errors.js'
import { readLimit, readLimitMiddleware } from './http/read-limit.js'
import { createRequestIds, requestContext } from './http/request-context.js'
import { createOutageLog } from './outage-log.js'
import { adminRoutes } from './routes/admin.js'
import { adminConsoleRoutes } from './routes/admin-console.js'
import { assetRoutes } from './routes/assets.js'
import { commentRoutes } from './routes/comments.js'
import { countRoutes } from './routes/counts.js'
import { healthRoutes } from './routes/health.js'
import { openApiRoutes } from './routes/openapi.js'
import { pageRoutes } from './routes/pages.js'
import { emailRoutes, kickOutboxAfter } from './routes/email.js'
import { notifyHeld } from './webhooks/held.js'

/** The one Parley app, the same on Node, Workers and in tests: everything it uses comes in through deps. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>()
  // A database outage is logged once when it starts and once when a probe finds the database back.
  // (The probe runs on a timer: on Node only; a Worker can query only within a request, where /healthz tells.)
  const outage = createOutageLog({ log: deps.log, what: 'database', ...(deps.defer ? {} : { probe: () => sql`select 1`.execute(deps.db) }) })
  // When a statement last failed for want of space or of a writable server: /healthz says so for a while.
  let writeFailedAt = 0
  const requestId = createRequestIds()
  const cors = publicCors(deps.config.allowedOrigins)

  app.use(requestContext(deps, requestId))
  for (const path of ['/api/comments', '/api/comments/*', '/api/counts']) app.use(path, cors.middleware)
  // After CORS: a 429 carries the CORS headers, so the embed can read its Retry-After.
  // ('/api/comments/*' matches /api/comments itself too.)
  const reads = readLimit(deps.config.checks.rateReadsPerMinute)
  for (const path of ['/api/comments/*', '/api/counts']) app.use(path, readLimitMiddleware(reads))
  // Only on methods that carry a body: reads never pass through it.
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], '/api/*', limitBody)
  // Email: only where a mailer is configured, so the hot paths pass one middleware fewer otherwise.
  if (deps.kickOutbox) app.use(kickOutboxAfter)

  app.route('/email', emailRoutes)
  app.use('/api/comments', notifyHeld)
  app.route('/api/comments', commentRoutes(deps.config.maxContentLength))
  app.route('/api/counts', countRoutes)
  app.route('/api/admin', adminRoutes)
  app.route('/admin', adminConsoleRoutes)
  app.route('/healthz', healthRoutes({ writeFailedAt: () => writeFailedAt, answered: () => outage.ok() }))
  app.route('/', assetRoutes)
  app.route('/', openApiRoutes(openApiDocument))
  app.route('/', pageRoutes)

  app.notFound(notFound)
  app.onError(errorHandler(deps, { outage, writeFailed: () => (writeFailedAt = Date.now()) }))
  if (deps.publicCache) answerCachedCountsFirst(app, deps, deps.publicCache, { requestId, corsHeaders: cors.headersFor, reads })
  return app
}

export type App = ReturnType<typeof createApp>
