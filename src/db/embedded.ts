import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect } from 'kysely'
import type { Database } from './schema.js'

/**
 * The embedded PostgreSQL (PGlite). `dataDir` undefined keeps it in memory (tests);
 * otherwise its files live there and survive restarts. Node-only in practice (WASM + files).
 */
export async function openEmbedded(dataDir?: string): Promise<Kysely<Database>> {
  const pglite = dataDir === undefined ? new PGlite() : new PGlite(dataDir)
  await pglite.waitReady
  return new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
}
