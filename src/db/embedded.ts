import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect } from 'kysely'
import type { Database } from './schema.js'

export type Listen = { channel: string; onMessage: (payload: string) => void }

/**
 * The embedded PostgreSQL (PGlite). `dataDir` undefined keeps it in memory (tests);
 * otherwise its files live there and survive restarts. Node-only in practice (WASM + files).
 * `listen` subscribes to a NOTIFY channel, as db/notify.ts does on a server PostgreSQL.
 */
export async function openEmbedded(dataDir?: string, listen?: Listen): Promise<Kysely<Database>> {
  const pglite = dataDir === undefined ? new PGlite() : new PGlite(dataDir)
  await pglite.waitReady
  if (listen) await pglite.listen(listen.channel, listen.onMessage)
  return new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
}
