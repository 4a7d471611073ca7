// The Workers entry: the same Hono app, with PostgreSQL reached through a Hyperdrive binding.
import type { ExecutionContext } from 'hono'
import embedJs from '../dist/embed.js'
import { createApp } from './app.js'
import { ConfigError, parseConfig, type Config } from './config.js'
import { openPostgres } from './db/postgres.js'
import { buildDeps, jsonLogger } from './deps.js'
import { AppError } from './errors.js'
import { noLimits, type Limiter } from './moderation/rate-limit.js'
import { deriveKeys, type Keys } from './privacy/keys.js'

/** The bindings wrangler.toml declares: Hyperdrive, the vars (strings) and the secrets ADMIN_TOKEN, SECRET_KEY. */
export type WorkerEnv = {
  HYPERDRIVE: { connectionString: string }
} & Record<string, unknown>

/** At most this many connections per request: Workers allow six open sockets per invocation. */
const MAX_CONNECTIONS = 5

/**
 * What is safe to keep for the isolate's life: the parsed config and the derived keys (pure values).
 * Never a database handle: a socket opened in one request cannot be used by another on Workers.
 */
let cached: { env: WorkerEnv; config: Config; keys: Keys } | undefined

async function isolateState(env: WorkerEnv): Promise<{ config: Config; keys: Keys }> {
  // The env object is the same for every request of an isolate; a new one means new bindings.
  if (cached?.env === env) return cached
  const source: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') source[name] = value
  const config = parseConfig(source)
  cached = { env, config, keys: await deriveKeys(config.secretKey) }
  return cached
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let state
    try {
      state = await isolateState(env)
    } catch (error) {
      // A bad or missing setting: say which one in the log, never to the client.
      jsonLogger({ msg: 'bad configuration', level: 'error', error: error instanceof ConfigError ? error.message : 'unknown' })
      const body = new AppError('internal_error', 'The service is not configured correctly.').toBody()
      return Response.json(body, { status: 500 })
    }
    const { config, keys } = state

    // Hyperdrive pools the real connections at the edge, so a pool per request is cheap and its
    // sockets never outlive the request; it is closed after the response has gone out.
    const db = openPostgres({ connectionString: env.HYPERDRIVE.connectionString, max: MAX_CONNECTIONS })
    try {
      // RATE LIMITER (issue 3): until src/moderation/rate-limit.ts exports its PostgreSQL-backed factory,
      // no limits apply here. Wire RateLimiterPostgres on this request's pool in; never a memory store.
      const limiter: Limiter = noLimits
      const deps = await buildDeps({
        config,
        db,
        keys,
        limiter,
        // Cloudflare sets CF-Connecting-IP itself on every request that reaches a Worker.
        remoteAddress: (c) => c.req.header('CF-Connecting-IP') ?? undefined,
        assets: { embedJs },
      })
      return await createApp(deps).fetch(request, env, ctx)
    } finally {
      ctx.waitUntil(db.destroy().catch(() => {}))
    }
  },
}
