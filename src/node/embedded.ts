import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, type Driver } from 'kysely'
import { lockDataDir, lockFileOf, type DataDirLock } from './data-dir-lock.js'
import { migrations } from '../../migrations/index.js'
import { templateFor, unpackTemplate } from './pgdata-template.js'
import type { Database } from '../db/schema.js'

export type Listen = { channel: string; onMessage: (payload: string) => void }

/**
 * PostgreSQL's memory settings inside PGlite's WebAssembly memory, sized for a 256 MB machine (BENCHMARKS.md,
 * "Embedded mode on a small machine"). PGlite's defaults are a server's (shared_buffers 128MB), and a
 * WebAssembly memory only grows: every page PostgreSQL once touched stays resident. One backend and no
 * parallel workers, so these are the whole of it. fsync stays as PGlite sets it (-F): writes go to the
 * operating system before a commit returns, so a comment answered 201 survives the process being killed
 * (test/embedded-memory.test.ts), not a power cut.
 */
export const EMBEDDED_SETTINGS: Record<string, string> = {
  shared_buffers: '4MB',
  wal_buffers: '1MB',
  temp_buffers: '1MB',
  work_mem: '2MB',
  maintenance_work_mem: '16MB',
}
const START_PARAMS = [...PGlite.defaultStartParams, ...Object.entries(EMBEDDED_SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`])]

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
  if (dataDir === undefined) return kysely(new PGlite({ startParams: START_PARAMS }), listen)
  const lock = options.lock ?? lockDataDir(lockFileOf(dataDir))
  try {
    // A new directory starts from the shipped template (node/pgdata-template.ts); without one, PGlite's initdb.
    const template = templateFor(Object.keys(migrations))
    if (template.ok) await unpackTemplate(dataDir)
    return await kysely(new PGlite(dataDir, { startParams: START_PARAMS }), listen, lock)
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
