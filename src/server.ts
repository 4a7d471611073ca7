// The Node entry: reads the environment, opens the database (embedded or server), serves, shuts down cleanly.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { statfs } from 'node:fs/promises'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { Server as NetServer } from 'node:net'
import { join } from 'node:path'
import { createAdaptorServer } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Kysely } from 'kysely'
import { Migrator } from 'kysely/migration'
import { migrations } from '../migrations/index.js'
import { createApp } from './app.js'
import { PublicCache } from './cache/public-cache.js'
import { ARTICLE_CHANNEL } from './db/article-channel.js'
import { ConfigError, parseConfig, type Config } from './config.js'
import { DataDirInUse, lockDataDir, lockFileOf, type DataDirLock } from './node/data-dir-lock.js'
import { migrateToLatest } from './db/migrate.js'
import { listenPostgres } from './db/notify.js'
import { createPool, openPostgres, REQUEST_TIMEOUTS } from './db/postgres.js'
import { purgeExpired } from './db/retention.js'
import type { Database } from './db/schema.js'
import { buildDeps, jsonLogger } from './deps.js'
import type { Deps } from './env.js'
import { smtpMailer } from './node/smtp.js'
import { UNAVAILABLE_RETRY_SECONDS } from './errors.js'
import { nodeCryptoKeys } from './node/crypto.js'
import { createOutageLog } from './outage-log.js'
import { secureDataDir } from './node/data-dir.js'
import { guardConnections, sendBudget } from './node/connections.js'
import { trimWhenIdle } from './node/memory.js'
import { deriveKeys } from './privacy/keys.js'

/** After SIGTERM, how long requests in flight may take before their connections are cut. */
const SHUTDOWN_MS = 10_000
/**
 * After SIGTERM, kept-alive connections are left this long before idle ones are closed: a client in the
 * middle of sending its next request on one would otherwise see it reset. Requests that come meanwhile are
 * answered with `Connection: close`, which ends their connections; what is still idle after it is closed.
 */
const IDLE_GRACE_MS = 1_000
/** Then, how often connections that fell idle are closed. */
const IDLE_SWEEP_MS = 50

/**
 * With the embedded database and no ADMIN_TOKEN/SECRET_KEY, the first start makes both and keeps them
 * in DATA_DIR (mode 0600). The admin token is printed once, when it is made.
 */
function embeddedSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.DATABASE_URL || (env.ADMIN_TOKEN && env.SECRET_KEY)) return env
  const dataDir = env.DATA_DIR || './data'
  const file = join(dataDir, 'secrets.json')
  let secrets: { ADMIN_TOKEN: string; SECRET_KEY: string }
  if (existsSync(file)) {
    secrets = JSON.parse(readFileSync(file, 'utf8')) as typeof secrets
  } else {
    mkdirSync(dataDir, { recursive: true })
    secrets = { ADMIN_TOKEN: randomBytes(24).toString('base64url'), SECRET_KEY: randomBytes(32).toString('base64url') }
    writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 })
    if (!env.ADMIN_TOKEN) {
      const consoleUrl = `http://localhost:${env.PORT || 8787}/admin`
      console.log(
        `\n  Parley made a moderator token for you (kept in ${file}; shown only this once):\n\n    ADMIN_TOKEN=${secrets.ADMIN_TOKEN}\n\n  Sign in with it to the moderator console: ${consoleUrl}\n`,
      )
    }
  }
  return { ...env, ADMIN_TOKEN: env.ADMIN_TOKEN || secrets.ADMIN_TOKEN, SECRET_KEY: env.SECRET_KEY || secrets.SECRET_KEY }
}

async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  return (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name)
}

/** A browser script built by npm run build:embed (dist/embed.js, dist/console.js), if it was built. */
function readBuilt(name: string): string | undefined {
  const file = new URL(`../dist/${name}`, import.meta.url)
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined
}

/** A JSON 503 for requests the app cannot take: before the database is open, and /healthz while stopping. */
function notServing(message: string): Response {
  return new Response(JSON.stringify({ ok: false, error: { code: 'unavailable', message } }), {
    status: 503,
    headers: { 'Content-Type': 'application/json', 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS), 'Cache-Control': 'no-store' },
  })
}

/** Node's response object, which @hono/node-server passes in the env as { incoming, outgoing }. */
const outgoingOf = (env: unknown) => (env as { outgoing?: ServerResponse } | undefined)?.outgoing
const incomingOf = (env: unknown) => (env as { incoming?: IncomingMessage } | undefined)?.incoming

/** Listens on `port`, or says in one line why it cannot. */
function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${port} is in use (another Parley, or another program, listens there); set PORT to another one.`
            : `cannot listen on port ${port}: ${error.code ?? error.message}.`,
        ),
      )
    server.once('error', refused)
    const listening = () => {
      server.off('error', refused)
      resolve()
    }
    if (host) server.listen(port, host, listening)
    else server.listen(port, listening)
  })
}

async function main(): Promise<void> {
  // The embedded database's directory is taken before anything is written into DATA_DIR (secrets, database):
  // a second server on it stops here with one line and changes nothing.
  let lock: DataDirLock | undefined
  if (!process.env.DATABASE_URL?.trim()) {
    lock = lockDataDir(lockFileOf(join(process.env.DATA_DIR || './data', 'pgdata')))
    releaseOnExit = lock.release
    // Owner-only (its files hold every comment); created if missing.
    secureDataDir(process.env.DATA_DIR || './data')
  }

  const config = readConfig(lock)

  // The port is taken before the database is opened: a server on a taken port stops having touched nothing.
  const http = httpServer()
  const { server, unanswered } = http
  // Connection count, request timeouts, pipelining: what sockets may cost before the app sees them.
  guardConnections(server, { maxConnections: config.maxConnections })
  await listen(server, config.port, config.host)

  // The public list/count cache, kept correct by NOTIFYs from whichever instance changed an article.
  const publicCache = new PublicCache()
  const { db, listener } = await openDatabase(config, publicCache, lock)

  const embedJs = readBuilt('embed.js')
  const consoleJs = readBuilt('console.js')
  const redis = await openRedis(config.checks.redisUrl)
  // Rate-limit counters are ephemeral: their own small pool commits them asynchronously (no WAL flush to
  // wait for), so a post waits on one durable write, its comment. A crash may forget a few ms of counts.
  const limiterPool =
    config.databaseUrl && !redis
      ? createPool({ connectionString: config.databaseUrl, max: 10, options: '-c synchronous_commit=off', timeouts: REQUEST_TIMEOUTS })
      : undefined
  const dataDir = config.dataDir
  const mailer = config.email ? smtpMailer(config.email.smtpUrl) : undefined
  const deps = await buildDeps({
    config,
    ...(mailer ? { mailer } : {}),
    db,
    keys: await deriveKeys(config.secretKey, nodeCryptoKeys),
    ...(redis ? { redis } : {}),
    ...(limiterPool ? { limiterPool } : {}),
    publicCache,
    assets: { embedJs, consoleJs },
  })
  const app = createApp({
    ...deps,
    ...nodeRequests(),
    ...(config.databaseUrl ? {} : { freeBytes: async () => ((s) => s.bavail * s.bsize)(await statfs(dataDir)) }),
  })
  http.serve((request, env) => app.fetch(request, env))
  logListening(config)

  startJobs(db, config, deps.kickOutbox)
  // After a burst, once quiet: V8's pooled heap pages back to the system (node/memory.ts; needs --expose-gc).
  const trim = trimWhenIdle({
    activity: http.requests,
    busy: () => unanswered.size > 0,
    onTrim: (result) => jsonLogger({ msg: 'memory trimmed', ...result }),
  })

  const shutdown = shutdownOf({
    server,
    unanswered,
    stop: http.stop,
    stopping: http.stopping,
    close: [() => trim.stop(), () => listener?.close(), () => limiterPool?.end(), () => redis?.disconnect(), () => mailer?.close()],
    db,
    lock,
  })
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

/**
 * What the app reads of a request through Node's own objects (@hono/node-server passes { incoming, outgoing } as the
 * env): the peer address, headers without building a web Headers object, and the budget of answer bytes waiting for
 * their sockets (readers that never read pin a bounded amount).
 */
function nodeRequests(): Pick<Deps, 'remoteAddress' | 'readHeader' | 'requestTarget' | 'answerBudget'> {
  const budget = sendBudget()
  return {
    remoteAddress: (c) => getConnInfo(c).remote.address,
    readHeader: (env, name) => {
      const value = incomingOf(env)?.headers[name]
      return Array.isArray(value) ? value.join(', ') : value
    },
    // The target as received (path and query): the cached counts answer is found without parsing a URL.
    requestTarget: (env) => incomingOf(env)?.url,
    answerBudget: {
      wanted: (c) => {
        const outgoing = outgoingOf(c.env)
        return !budget.full && !outgoing?.req.socket.destroyed
      },
      hold: (c, bytes) => {
        const outgoing = outgoingOf(c.env)
        return outgoing ? budget.hold(outgoing, bytes) : true
      },
    },
  }
}

/**
 * The HTTP server. Until the app is ready, every request (health checks included) is answered 503, and so is
 * /healthz while stopping; `unanswered` holds the answers not yet sent, for the shutdown.
 */
function httpServer() {
  let serveRequest: (request: Request, env: unknown) => Response | Promise<Response> = () => notServing('Parley is starting.')
  let stopping = false
  let requests = 0
  const server = createAdaptorServer({
    fetch: (request: Request, env: unknown) =>
      stopping && new URL(request.url).pathname === '/healthz' ? notServing('Parley is stopping.') : serveRequest(request, env),
  }) as Server
  // Answers started after the signal tell kept-alive clients to go (runs before the app's own listener).
  const unanswered = new Set<ServerResponse>()
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (stopping) res.setHeader('Connection', 'close')
    requests++
    unanswered.add(res)
    res.once('close', () => unanswered.delete(res))
  })
  return {
    server,
    unanswered,
    serve: (fetch: typeof serveRequest) => (serveRequest = fetch),
    stop: () => (stopping = true),
    stopping: () => stopping,
    /** Requests received so far (the idle trim watches it move). */
    requests: () => requests,
  }
}

function logListening(config: Config): void {
  const shownHost = config.host && config.host !== '0.0.0.0' && config.host !== '::' ? config.host : undefined
  jsonLogger({
    msg: 'listening',
    url: `http://${shownHost ? (shownHost.includes(':') ? `[${shownHost}]` : shownHost) : 'localhost'}:${config.port}`,
    database: config.databaseUrl ? 'postgres' : `embedded (${config.dataDir})`,
  })
}

/** The configuration from the environment; a bad one stops the start with its message (and the lock released). */
function readConfig(lock: DataDirLock | undefined): Config {
  try {
    return parseConfig(embeddedSecrets(process.env))
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(`${error.message}\n\nWith DATABASE_URL set, ADMIN_TOKEN and SECRET_KEY must be set too (e.g. openssl rand -base64 32).`)
    lock?.release()
    process.exit(1)
  }
}

/**
 * The database: a server PostgreSQL (DATABASE_URL; its migrations must have been run) with a LISTEN connection that
 * keeps the public cache correct, or the embedded one in DATA_DIR (migrated here).
 */
async function openDatabase(
  config: Config,
  publicCache: PublicCache,
  lock: DataDirLock | undefined,
): Promise<{ db: Kysely<Database>; listener?: { close: () => Promise<void> } }> {
  const invalidate = (payload: string) => publicCache.notice(payload)
  if (config.databaseUrl) {
    const listener = listenPostgres({
      connectionString: config.databaseUrl,
      channel: ARTICLE_CHANNEL,
      onMessage: invalidate,
      onUp: () => publicCache.setEnabled(true),
      onDown: () => publicCache.setEnabled(false),
      log: jsonLogger,
    })
    await listener.ready
    const db = openPostgres({ connectionString: config.databaseUrl, max: 20, timeouts: REQUEST_TIMEOUTS })
    const pending = await pendingMigrations(db)
    if (pending.length > 0) {
      console.error(`The database needs migrations first: run \`npm run migrate\` (pending: ${pending.join(', ')}).`)
      await db.destroy()
      process.exit(1)
    }
    return { db, listener }
  }
  // Loaded only when used: PGlite's WASM costs a second of start-up that a server PostgreSQL never needs.
  const { openEmbedded } = await import('./node/embedded.js')
  const db = await openEmbedded(join(config.dataDir, 'pgdata'), { channel: ARTICLE_CHANNEL, onMessage: invalidate }, lock ? { lock } : {})
  await migrateToLatest(db)
  secureDataDir(config.dataDir)
  return { db }
}

/**
 * Rate limits in Redis when REDIS_URL is set. No offline queue and a command timeout: a Redis that refuses
 * or hangs fails the call at once or within a second, and the limiter fails open (rate-limit.ts).
 * Reconnects are tried every 0.2 s at most, so counting resumes soon after Redis is back.
 */
async function openRedis(url: string | undefined) {
  if (!url) return undefined
  const redis = new (await import('ioredis')).Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    retryStrategy: (times: number) => Math.min(times * 50, 200),
  })
  const outage = createOutageLog({ log: jsonLogger, what: 'redis connection' })
  redis.on('error', (error: Error) => outage.failed(error))
  redis.on('ready', () => outage.ok())
  // Served once Redis is ready, so the first posts after a start are counted; without it after 2 s, the server starts
  // anyway and the limits fail open (logged) until it answers.
  await new Promise<void>((resolve) => {
    if (redis.status === 'ready') return resolve()
    const done = () => {
      clearTimeout(timer)
      redis.off('ready', done)
      resolve()
    }
    const timer = setTimeout(done, 2_000)
    redis.once('ready', done)
  })
  return redis
}

/** Hourly and at start: forget IPs and user agents past RETENTION_DAYS, schedule auto-close (unref: never holds the process). */
function startJobs(db: Kysely<Database>, config: Config, kickOutbox: (() => Promise<unknown>) | undefined): void {
  const purge = () =>
    purgeExpired(db, config, new Date()).then(
      (result) => jsonLogger({ msg: 'purge', ...result }),
      (error: unknown) => jsonLogger({ msg: 'purge failed', level: 'error', error: error instanceof Error ? error.name : 'unknown' }),
    )
  void purge()
  setInterval(() => void purge(), 3_600_000).unref()
  // Email: what was queued before a restart (or is due for a retry or a digest) goes now, then every 30 s.
  if (kickOutbox) {
    void kickOutbox()
    setInterval(() => void kickOutbox(), 30_000).unref()
  }
}

/**
 * SIGTERM/SIGINT: stop accepting; tell every kept-alive client to go (`Connection: close` on each answer
 * not yet sent, idle connections closed as they fall idle); let what is in flight finish for up to
 * SHUTDOWN_MS, then cut what is left; always close the database; exit 0 when nothing was cut.
 * A second signal stops at once.
 */
function shutdownOf(parts: {
  server: Server
  unanswered: Set<ServerResponse>
  stop: () => void
  stopping: () => boolean
  /** Connections to close before the database (each one's failure is ignored: the others still close). */
  close: Array<() => unknown>
  db: Kysely<Database>
  lock: DataDirLock | undefined
}) {
  const { server, unanswered, db, lock } = parts
  return (signal: string) => {
    if (parts.stopping()) {
      jsonLogger({ msg: 'second signal; stopping at once', level: 'warn', signal })
      process.exit(1)
    }
    parts.stop()
    jsonLogger({ msg: 'shutting down', signal, inFlight: unanswered.size })
    for (const res of unanswered) if (!res.headersSent) res.setHeader('Connection', 'close')
    let cut = 0
    let sweep: ReturnType<typeof setInterval> | undefined
    const idle = setTimeout(() => {
      server.closeIdleConnections()
      sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS)
    }, IDLE_GRACE_MS)
    const grace = setTimeout(() => {
      cut = unanswered.size
      jsonLogger({ msg: 'shutdown grace period over; closing the connections left', level: 'error', cut })
      server.closeAllConnections()
    }, SHUTDOWN_MS)
    // net.Server's close: stop accepting and call back once every connection is gone. (http.Server's own
    // close() would also close idle connections at once: see IDLE_GRACE_MS.) The callback returns nothing and
    // each close is caught: a failing one must not skip the others, nor end the process as an unhandled rejection.
    const closeAll = async () => {
      clearTimeout(idle)
      clearInterval(sweep)
      clearTimeout(grace)
      for (const close of parts.close)
        await Promise.resolve()
          .then(close)
          .catch(() => {})
      const closed = await db.destroy().then(
        () => true,
        (error: unknown) => (jsonLogger({ msg: 'database close failed', level: 'error', error: String(error) }), false),
      )
      lock?.release()
      jsonLogger({ msg: 'stopped', databaseClosed: closed, cut })
      process.exit(closed && cut === 0 ? 0 : 1)
    }
    NetServer.prototype.close.call(server, () => void closeAll())
  }
}

/** The data directory's lock, released if the start fails (a killed process's lock is recognised as stale anyway). */
let releaseOnExit: (() => void) | undefined

main().catch((error) => {
  releaseOnExit?.()
  const message = error instanceof DataDirInUse ? error.message : error instanceof Error ? error.message : String(error)
  console.error('Parley could not start:', message)
  process.exit(1)
})
