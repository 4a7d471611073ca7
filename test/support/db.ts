import type { Kysely } from 'kysely'
import { ARTICLE_CHANNEL } from '../../src/cache/public-cache.js'
import { openEmbedded } from '../../src/db/embedded.js'
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
