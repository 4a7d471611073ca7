// The Workers entry: the same Hono app, with PostgreSQL reached through a Hyperdrive binding.
// AsyncLocalStorage is a Workers API under nodejs_compat (not Node-only): it carries each request's own pool.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { ExecutionContext } from 'hono'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import consoleJs from '../dist/console.js'
import embedJs from '../dist/embed.js'
import { createApp, type App } from './app.js'
import { ConfigError, parseConfig, type Config } from './config.js'
import { guardPool, pgTypeParsers, REQUEST_TIMEOUTS } from './db/postgres.js'
import { purgeExpired } from './db/retention.js'
import type { Database } from './db/schema.js'
import { buildDeps, jsonLogger } from './deps.js'
import { workerMailer } from './email/smtp-worker.js'
import { AppError } from './errors.js'
import { createLimiter } from './moderation/rate-limit.js'
import { postgresCounters } from './db/rate-limits.js'

/** The bindings wrangler.toml declares: Hyperdrive, the vars (strings) and the secrets ADMIN_TOKEN, SECRET_KEY. */
export type WorkerEnv = {
  HYPERDRIVE: { connectionString: string }
} & Record<string, unknown>

/** wrangler.toml's cron for the email outbox; any other cron runs retention. */
const EMAIL_CRON = '* * * * *'

/** At most this many connections per request: Workers allow six open sockets per invocation. */
const MAX_CONNECTIONS = 5

/** What belongs to one request: its pool, its context, and the work it deferred past the response. */
type RequestScope = { pool: pg.Pool; ctx: ExecutionContext; deferred: Promise<unknown>[] }
const scope = new AsyncLocalStorage<RequestScope>()

function currentScope(): RequestScope {
  const current = scope.getStore()
  if (!current) throw new Error('The database was used outside a request.')
  return current
}

/**
 * Looks like a pg Pool to Kysely and to RateLimiterPostgres, but every call goes to the pool of the
 * request in progress: on Workers a socket opened by one request cannot be used by another ("Cannot
 * perform I/O on behalf of a different request"), while the app, its caches and router live as long as the isolate.
 */
class RequestScopedPool {
  /** Kysely reads these to open a side connection when it cancels a query. */
  get options(): object {
    return currentScope().pool.options
  }
  connect(): Promise<pg.PoolClient> {
    return currentScope().pool.connect()
  }
  query(text: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    return currentScope().pool.query(text as pg.QueryConfig, values)
  }
  /** Each request's pool is ended by its own request. */
  async end(): Promise<void> {}
}

type Isolate = { env: WorkerEnv; config: Config; db: Kysely<Database>; app: App; kickOutbox: (() => Promise<void>) | undefined }

/** Built once per isolate (per env object): config, keys, moderation caches and the compiled router. */
let isolate: Isolate | undefined

async function isolateState(env: WorkerEnv): Promise<Isolate> {
  if (isolate?.env === env) return isolate
  const source: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') source[name] = value
  const config = parseConfig(source)
  const pool = new RequestScopedPool()
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  const deps = await buildDeps({
    config,
    db,
    // Always PostgreSQL here, whatever RATE_LIMIT_STORE says: isolates share nothing in memory.
    // Counter writes are batched within a request only: its sockets are its own.
    limiter: createLimiter({ config, store: { counters: postgresCounters({ postgres: pool }, { batchScope: currentScope }) }, log: jsonLogger }),
    batchScope: currentScope,
    // Cloudflare sets CF-Connecting-IP itself on every request that reaches a Worker.
    remoteAddress: (c) => c.req.header('CF-Connecting-IP') ?? undefined,
    assets: { embedJs, consoleJs },
    ...(config.email ? { mailer: workerMailer(config.email.smtpUrl) } : {}),
  })
  const defer = (work: Promise<unknown>) => {
    const current = currentScope()
    current.deferred.push(work)
    current.ctx.waitUntil(work)
  }
  isolate = { env, config, db, app: createApp({ ...deps, defer }), kickOutbox: deps.kickOutbox }
  return isolate
}

/** Runs fn with a fresh pool of the request's own, closed once it and any deferred work are done. */
async function withRequestScope<T>(env: WorkerEnv, ctx: ExecutionContext, fn: () => Promise<T>): Promise<T> {
  // Hyperdrive keeps the real connections warm at the edge, so a pool per request is cheap;
  // it connects only if the request queries.
  // Every client guarded (a connection lost mid-request fails its statement, not the isolate), and bounded
  // waits: Hyperdrive answers for the database, so a hung origin shows as a slow connect or query.
  const pool = guardPool(
    new pg.Pool({
      connectionString: env.HYPERDRIVE.connectionString,
      max: MAX_CONNECTIONS,
      types: pgTypeParsers,
      connectionTimeoutMillis: REQUEST_TIMEOUTS.connectionTimeoutMillis,
      query_timeout: REQUEST_TIMEOUTS.query_timeout,
    }),
  )
  const current: RequestScope = { pool, ctx, deferred: [] }
  try {
    return await scope.run(current, fn)
  } finally {
    ctx.waitUntil(settle(current))
  }
}

/** After the response: let deferred work (which may query) finish, then close the request's pool. */
async function settle(current: RequestScope): Promise<void> {
  while (current.deferred.length > 0) await Promise.allSettled(current.deferred.splice(0))
  await current.pool.end().catch(() => {})
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let state: Isolate
    try {
      state = await isolateState(env)
    } catch (error) {
      // A bad or missing setting: the log names it, the client only learns that something is wrong.
      jsonLogger({ msg: 'bad configuration', level: 'error', error: error instanceof ConfigError ? error.message : 'unknown' })
      return Response.json(new AppError('internal_error', 'The service is not configured correctly.').toBody(), { status: 500 })
    }
    return withRequestScope(env, ctx, async () => state.app.fetch(request, env, ctx))
  },

  // The cron triggers in wrangler.toml: every minute, the email outbox (retries, digests, anything a request's
  // waitUntil did not finish); daily, retention (IP and user agent dropped after RETENTION_DAYS) and auto-close.
  async scheduled(controller: { cron?: string }, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const { config, db, kickOutbox } = await isolateState(env)
    if (controller.cron === EMAIL_CRON) {
      if (kickOutbox) await withRequestScope(env, ctx, kickOutbox)
      return
    }
    const result = await withRequestScope(env, ctx, () => purgeExpired(db, config, new Date()))
    jsonLogger({ msg: 'retention', ...result })
  },
}
