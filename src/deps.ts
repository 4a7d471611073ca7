import type { Kysely } from 'kysely'
import type { Config } from './config.js'
import type { Database } from './db/schema.js'
import type { Deps, Logger } from './env.js'
import { createModeration } from './moderation/pipeline.js'
import { noLimits, type Limiter } from './moderation/rate-limit.js'
import { deriveKeys, type Keys } from './privacy/keys.js'

/** A JSON line per entry on stdout: the same on Node and Workers (whose console is their log). */
export const jsonLogger: Logger = (entry) => {
  console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', ...entry }))
}

/** Builds the app's dependencies from a parsed config and an open database; entries add what only they know. */
export async function buildDeps(options: {
  config: Config
  db: Kysely<Database>
  log?: Logger
  limiter?: Limiter
  /** Keys already derived from config.secretKey (the Worker keeps them for the isolate's life). */
  keys?: Keys
  clock?: () => Date
  remoteAddress?: Deps['remoteAddress']
  assets?: Deps['assets']
}): Promise<Deps> {
  const { config, db } = options
  const keys = options.keys ?? (await deriveKeys(config.secretKey))
  return {
    config,
    db,
    keys,
    limiter: options.limiter ?? noLimits,
    moderation: createModeration({ db, config, keys }),
    log: options.log ?? jsonLogger,
    clock: options.clock ?? (() => new Date()),
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
    ...(options.assets ? { assets: options.assets } : {}),
  }
}
