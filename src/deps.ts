import type { Kysely } from 'kysely'
import type { Config } from './config.js'
import type { BatchScope } from './batch.js'
import { commentWriter, hasApprovedComment } from './db/comments.js'
import { postgresCounters, type PgQueryable } from './db/rate-limits.js'
import type { Database } from './db/schema.js'
import type { Deps, Logger } from './env.js'
import { outboxRunner } from './email/drain.js'
import type { Mailer } from './email/transport.js'
import { createModeration } from './moderation/pipeline.js'
import { createLearner, keyedMessageKey } from './moderation/learner.js'
import { WordListStore } from './moderation/word-lists.js'
import { PostgresModelStore } from './db/spam-examples.js'
import { postgresWordLists } from './db/word-lists.js'
import { createLimiter, type Limiter, type LimiterStore } from './moderation/rate-limit.js'
import { deriveKeys, type Keys } from './privacy/keys.js'

/** A JSON line per entry on stdout: the same on Node and Workers (whose console is their log). */
export const jsonLogger: Logger = (entry) => {
  console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', ...entry }))
}

/** RATE_LIMIT_STORE=auto: Redis when a client is given, PostgreSQL with DATABASE_URL, else this process's memory. */
function limiterStore(config: Config, db: Kysely<Database>, redis: unknown, pool: PgQueryable | undefined, batchScope?: BatchScope): LimiterStore {
  const choice = config.checks.rateLimitStore
  if (redis && (choice === 'auto' || choice === 'redis')) return { redis }
  if (choice === 'postgres' || (choice === 'auto' && config.databaseUrl)) {
    return { counters: postgresCounters(pool ? { postgres: pool } : { kysely: db }, batchScope ? { batchScope } : {}) }
  }
  return 'memory'
}

/** Builds the app's dependencies from a parsed config and an open database; entries add what only they know. */
export async function buildDeps(options: {
  config: Config
  db: Kysely<Database>
  log?: Logger
  limiter?: Limiter
  /** An ioredis client, when REDIS_URL is set (Node entry). */
  redis?: unknown
  /** A pg pool of its own for the rate-limit counters (Node entry, with DATABASE_URL). */
  limiterPool?: PgQueryable
  /** Keys already derived from config.secretKey (the Worker keeps them for the isolate's life). */
  keys?: Keys
  clock?: () => Date
  remoteAddress?: Deps['remoteAddress']
  readHeader?: Deps['readHeader']
  assets?: Deps['assets']
  publicCache?: Deps['publicCache']
  /** Which writes may share a batch statement (the Worker: one request's); unset, any in this process. */
  batchScope?: BatchScope
  /** The email transport, when SMTP_URL is set (each entry makes its own). */
  mailer?: Mailer
}): Promise<Deps> {
  const { config, db } = options
  const keys = options.keys ?? (await deriveKeys(config.secretKey))
  const log = options.log ?? jsonLogger
  const clock = options.clock ?? (() => new Date())
  const mailer = config.email ? options.mailer : undefined
  return {
    ...(mailer ? { mailer, kickOutbox: outboxRunner({ db, keys, config, clock, log }, mailer) } : {}),
    config,
    db,
    keys,
    limiter:
      options.limiter ??
      createLimiter({
        config,
        store: limiterStore(config, db, options.redis, options.limiterPool, options.batchScope),
        log: options.log ?? jsonLogger,
      }),
    moderation: createModeration({
      config,
      keys,
      learner: createLearner(new PostgresModelStore(db), { keyOf: keyedMessageKey(keys) }),
      wordLists: new WordListStore(postgresWordLists(db), { moderation: config.checks.moderationWords, disallowed: config.checks.disallowedWords }),
      approvedBefore: (emailHash, author) => hasApprovedComment(db, emailHash, author),
    }),
    saveComment: commentWriter(db, { scope: options.batchScope }),
    log,
    clock,
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
    ...(options.readHeader ? { readHeader: options.readHeader } : {}),
    ...(options.assets ? { assets: options.assets } : {}),
    ...(options.publicCache ? { publicCache: options.publicCache } : {}),
  }
}
