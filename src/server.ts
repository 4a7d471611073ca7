// The Node entry: reads the environment, opens the database (embedded or server), serves, shuts down cleanly.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Kysely } from 'kysely'
import pg from 'pg'
import { Migrator } from 'kysely/migration'
import { migrations } from '../migrations/index.js'
import { createApp } from './app.js'
import { ARTICLE_CHANNEL, PublicCache } from './cache/public-cache.js'
import { ConfigError, parseConfig } from './config.js'
import { migrateToLatest } from './db/migrate.js'
import { listenPostgres } from './db/notify.js'
import { openPostgres } from './db/postgres.js'
import { purgeExpired } from './db/retention.js'
import type { Database } from './db/schema.js'
import { buildDeps, jsonLogger } from './deps.js'
import { nodeCryptoKeys } from './node/crypto.js'
import { deriveKeys } from './privacy/keys.js'

const SHUTDOWN_MS = 10_000

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
      console.log(`\n  Parley made a moderator token for you (kept in ${file}; shown only this once):\n\n    ADMIN_TOKEN=${secrets.ADMIN_TOKEN}\n`)
    }
  }
  return { ...env, ADMIN_TOKEN: env.ADMIN_TOKEN || secrets.ADMIN_TOKEN, SECRET_KEY: env.SECRET_KEY || secrets.SECRET_KEY }
}

async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  return (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name)
}

function readEmbed(): string | undefined {
  const file = new URL('../dist/embed.js', import.meta.url)
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined
}

async function main(): Promise<void> {
  let config
  try {
    config = parseConfig(embeddedSecrets(process.env))
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(`${error.message}\n\nWith DATABASE_URL set, ADMIN_TOKEN and SECRET_KEY must be set too (e.g. openssl rand -base64 32).`)
    process.exit(1)
  }

  // The public list/count cache, kept correct by NOTIFYs from whichever instance changed an article.
  const publicCache = new PublicCache()
  const invalidate = (payload: string) => publicCache.notice(payload)
  let listener: { close: () => Promise<void> } | undefined
  let db: Kysely<Database>
  if (config.databaseUrl) {
    const notify = listenPostgres({
      connectionString: config.databaseUrl,
      channel: ARTICLE_CHANNEL,
      onMessage: invalidate,
      onUp: () => publicCache.setEnabled(true),
      onDown: () => publicCache.setEnabled(false),
      log: jsonLogger,
    })
    await notify.ready
    listener = notify
    db = openPostgres({ connectionString: config.databaseUrl, max: 20 })
    const pending = await pendingMigrations(db)
    if (pending.length > 0) {
      console.error(`The database needs migrations first: run \`npm run migrate\` (pending: ${pending.join(', ')}).`)
      await db.destroy()
      process.exit(1)
    }
  } else {
    // Loaded only when used: PGlite's WASM costs a second of start-up that a server PostgreSQL never needs.
    const { openEmbedded } = await import('./db/embedded.js')
    db = await openEmbedded(join(config.dataDir, 'pgdata'), { channel: ARTICLE_CHANNEL, onMessage: invalidate })
    await migrateToLatest(db)
  }

  const embedJs = readEmbed()
  // Rate limits in Redis when REDIS_URL is set; no offline queue, so an outage fails open at once (rate-limit.ts).
  const redis = config.checks.redisUrl
    ? new (await import('ioredis')).Redis(config.checks.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
    : undefined
  redis?.on('error', (error: Error) => jsonLogger({ msg: 'redis error', level: 'error', error: error.message.slice(0, 200) }))
  // Rate-limit counters are ephemeral: their own small pool commits them asynchronously (no WAL flush to
  // wait for), so a post waits on one durable write, its comment. A crash may forget a few ms of counts.
  const limiterPool =
    config.databaseUrl && !redis
      ? new pg.Pool({ connectionString: config.databaseUrl, max: 10, options: '-c synchronous_commit=off' })
      : undefined
  limiterPool?.on('error', () => {})
  const deps = await buildDeps({
    config,
    db,
    keys: await deriveKeys(config.secretKey, nodeCryptoKeys),
    ...(redis ? { redis } : {}),
    ...(limiterPool ? { limiterPool } : {}),
    remoteAddress: (c) => getConnInfo(c).remote.address,
    // @hono/node-server passes { incoming, outgoing } as the env: read headers from Node's own object.
    readHeader: (env, name) => {
      const value = (env as { incoming?: IncomingMessage } | undefined)?.incoming?.headers[name]
      return Array.isArray(value) ? value.join(', ') : value
    },
    publicCache,
    ...(embedJs ? { assets: { embedJs } } : {}),
  })
  const app = createApp(deps)
  const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    jsonLogger({
      msg: 'listening',
      url: `http://localhost:${info.port}`,
      database: config.databaseUrl ? 'postgres' : `embedded (${config.dataDir})`,
    })
  })

  // Hourly and at start: forget IPs and user agents past RETENTION_DAYS, schedule auto-close (unref: never holds the process).
  const purge = () =>
    purgeExpired(db, config, new Date()).then(
      (result) => jsonLogger({ msg: 'purge', ...result }),
      (error: unknown) => jsonLogger({ msg: 'purge failed', level: 'error', error: error instanceof Error ? error.name : 'unknown' }),
    )
  void purge()
  setInterval(() => void purge(), 3_600_000).unref()

  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    jsonLogger({ msg: 'shutting down', signal })
    const force = setTimeout(() => {
      jsonLogger({ msg: 'shutdown timed out; exiting', level: 'error' })
      process.exit(1)
    }, SHUTDOWN_MS)
    force.unref()
    // close() stops accepting and lets requests in flight finish; only then is the database closed.
    // Each close is caught: a failing one must not skip the others, nor end the process as an unhandled rejection.
    const closeAll = async () => {
      await listener?.close().catch(() => {})
      await limiterPool?.end().catch(() => {})
      await db.destroy().catch(() => {})
      redis?.disconnect()
      jsonLogger({ msg: 'stopped' })
      process.exit(0)
    }
    server.close(() => void closeAll())
    if ('closeIdleConnections' in server) server.closeIdleConnections()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

main().catch((error) => {
  console.error('Parley could not start:', error instanceof Error ? error.message : error)
  process.exit(1)
})
