import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, type Driver } from 'kysely'
import { lockDataDir, type DataDirLock } from '../node/data-dir-lock.js'
import type { Database } from './schema.js'

export type Listen = { channel: string; onMessage: (payload: string) => void }

/** The lock file of an embedded database directory: beside it, so PGlite's own files are left alone. */
export const lockFileOf = (dataDir: string) => `${dataDir.replace(/\/+$/, '')}.lock`

/**
 * The embedded PostgreSQL (PGlite). `dataDir` undefined keeps it in memory (tests);
 * otherwise its files live there and survive restarts. Node-only in practice (WASM + files).
 * `listen` subscribes to a NOTIFY channel, as db/notify.ts does on a server PostgreSQL.
 *
 * A directory is opened by one process at a time: its lock (see node/data-dir-lock.ts) is taken first,
 * unless the caller took it already and hands it in, and released when the database is destroyed.
 * A directory in use throws DataDirInUse before anything is read or written.
 */
export async function openEmbedded(dataDir?: string, listen?: Listen, options: { lock?: DataDirLock } = {}): Promise<Kysely<Database>> {
  if (dataDir === undefined) return kysely(new PGlite(), listen)
  const lock = options.lock ?? lockDataDir(lockFileOf(dataDir))
  try {
    return await kysely(new PGlite(dataDir), listen, lock)
  } catch (error) {
    lock.release()
    throw error
  }
}

async function kysely(pglite: PGlite, listen: Listen | undefined, lock?: DataDirLock): Promise<Kysely<Database>> {
  await pglite.waitReady
  if (listen) await pglite.listen(listen.channel, listen.onMessage)
  const dialect = new PGliteDialect({ pglite })
  if (!lock) return new Kysely<Database>({ dialect })
  // Destroying the Kysely handle closes PGlite, and only then lets the directory go.
  return new Kysely<Database>({
    dialect: Object.assign(Object.create(dialect) as PGliteDialect, {
      createDriver(): Driver {
        const driver = dialect.createDriver()
        const destroy = driver.destroy.bind(driver)
        driver.destroy = async () => {
          try {
            await destroy()
          } finally {
            lock.release()
          }
        }
        return driver
      },
    }),
  })
}
