import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Kysely } from 'kysely'
import { ARTICLE_CHANNEL } from '../../src/db/article-channel.js'
import { openEmbedded } from '../../src/node/embedded.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { openPostgres } from '../../src/db/postgres.js'
import type { Database } from '../../src/db/schema.js'

export type Backend = { name: 'embedded' | 'postgres'; open: () => Promise<Kysely<Database>> }

// One database per backend per worker (vitest runs with isolate: false), migrated once:
// PGlite takes ~5 s to start, so tests share it and isolate themselves by data (unique article keys).
const opened = new Map<string, Promise<Kysely<Database>>>()

function shared(name: string, open: () => Promise<Kysely<Database>>): () => Promise<Kysely<Database>> {
  return () => {
    let db = opened.get(name)
    if (!db) {
      db = open().then(async (handle) => {
        await migrateToLatest(handle)
        return handle
      })
      opened.set(name, db)
    }
    return db
  }
}

/** Subscribers to the embedded database's article-change NOTIFYs (a server PostgreSQL uses db/notify.ts). */
export const embeddedListeners = new Set<(key: string) => void>()

export const serverUrl = process.env.TEST_DATABASE_URL

/** The embedded PostgreSQL always; the server PostgreSQL too when TEST_DATABASE_URL is set. */
export const backends: Backend[] = [
  {
    name: 'embedded',
    open: shared('embedded', () =>
      openEmbedded(undefined, { channel: ARTICLE_CHANNEL, onMessage: (key) => embeddedListeners.forEach((f) => f(key)) }),
    ),
  },
  ...(serverUrl ? [{ name: 'postgres' as const, open: shared('postgres', async () => openPostgres({ connectionString: serverUrl, max: 20 })) }] : []),
]

/**
 * A new database beside `base`'s on the same server, for a test that must not share one (a Worker's drains claim
 * whatever is due). With `fallback`, a role that cannot create databases gets `base` itself (tests isolate by data).
 */
export async function freshServerDatabase(
  base: string,
  prefix: string,
  options: { fallback?: boolean } = {},
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } catch (error) {
    if (!options.fallback) throw error
    console.warn(`[${prefix}] cannot create a database (${(error as Error).message}); isolating by data instead`)
    return { url: base, drop: async () => {} }
  } finally {
    await admin.end()
  }
  const url = new URL(base)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: base })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => client.end())
    },
  }
}
