// The Workers entry: the same Hono app, with PostgreSQL reached through a Hyperdrive binding.
// AsyncLocalStorage is a Workers API under nodejs_compat (not Node-only): it carries each request's own pool.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { ExecutionContext } from 'hono'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import embedJs from '../dist/embed.js'
import { createApp, type App } from './app.js'
import { ConfigError, parseConfig } from './config.js'
import { pgTypeParsers } from './db/postgres.js'
import type { Database } from './db/schema.js'
import { buildDeps, jsonLogger } from './deps.js'
import { AppError } from './errors.js'
import { noLimits, type Limiter } from './moderation/rate-limit.js'

/** The bindings wrangler.toml declares: Hyperdrive, the vars (strings) and the secrets ADMIN_TOKEN, SECRET_KEY. */
export type WorkerEnv = {
  HYPERDRIVE: { connectionString: string }
} & Record<string, unknown>

/** At most this many connections per request: Workers allow six open sockets per invocation. */
const MAX_CONNECTIONS = 5

const requestPool = new AsyncLocalStorage<pg.Pool>()

/**
 * Looks like a pg Pool to Kysely (and to RateLimiterPostgres), but every call goes to the pool of the
 * request in progress: on Workers a socket opened by one request cannot be used by another, while
 * the app, its caches and its router can live as long as the isolate.
 */
class RequestScopedPool {
  private current(): pg.Pool {
    const pool = requestPool.getStore()
    if (!pool) throw new Error('The database was used outside a request.')
    return pool
  }
  /** Kysely reads these to open a side connection when it cancels a query. */
  get options(): object {
    return this.current().options
  }
  connect(): Promise<pg.PoolClient> {
    return this.current().connect()
  }
  query(text: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    return this.current().query(text as pg.QueryConfig, values)
  }
  /** Each request's pool is ended by its own request. */
  async end(): Promise<void> {}
}

/** Built once per isolate (per env object): config, keys, moderation caches and the compiled router. */
let isolate: { env: WorkerEnv; app: App } | undefined

async function isolateApp(env: WorkerEnv): Promise<App> {
  if (isolate?.env === env) return isolate.app
  const source: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') source[name] = value
  const config = parseConfig(source)
  const pool = new RequestScopedPool()
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  // RATE LIMITER (issue 3): until src/moderation/rate-limit.ts exports its PostgreSQL-backed factory,
  // no limits apply here. Wire RateLimiterPostgres on `pool` in; never a per-isolate memory store.
  const limiter: Limiter = noLimits
  const deps = await buildDeps({
    config,
    db,
    limiter,
    // Cloudflare sets CF-Connecting-IP itself on every request that reaches a Worker.
    remoteAddress: (c) => c.req.header('CF-Connecting-IP') ?? undefined,
    assets: { embedJs },
  })
  isolate = { env, app: createApp(deps) }
  return isolate.app
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let app: App
    try {
      app = await isolateApp(env)
    } catch (error) {
      // A bad or missing setting: the log names it, the client only learns that something is wrong.
      jsonLogger({ msg: 'bad configuration', level: 'error', error: error instanceof ConfigError ? error.message : 'unknown' })
      return Response.json(new AppError('internal_error', 'The service is not configured correctly.').toBody(), { status: 500 })
    }
    // Hyperdrive keeps the real connections warm at the edge, so a pool per request is cheap; it
    // connects only if the request queries, and is closed once the response has gone out.
    const pool = new pg.Pool({ connectionString: env.HYPERDRIVE.connectionString, max: MAX_CONNECTIONS, types: pgTypeParsers })
    pool.on('error', () => {})
    try {
      return await requestPool.run(pool, () => app.fetch(request, env, ctx))
    } finally {
      ctx.waitUntil(pool.end().catch(() => {}))
    }
  },
}
