// Node only: PGlite in a worker thread (see db/embedded-worker.ts). PostgreSQL runs synchronously inside
// PGlite's WebAssembly; on the main thread every statement held the event loop, and with it every cached
// read. Here it holds only this thread. Messages: query, begin/commit/rollback (one PGlite transaction
// each, as Kysely's PGlite driver uses them), listen, close; answers carry the request's id.
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite, type Transaction } from '@electric-sql/pglite'

type Request =
  | { id: number; type: 'query'; sql: string; params: unknown[]; tx?: number }
  | { id: number; type: 'begin' | 'commit' | 'rollback'; tx: number }
  | { id: number; type: 'listen'; channel: string }
  | { id: number; type: 'close' }

const port = parentPort!
const { dataDir, startParams } = workerData as { dataDir: string; startParams: string[] }
const pglite = new PGlite(dataDir, { startParams })
const open = new Map<number, { tx?: Transaction; finish: (commit: boolean) => void; closed: Promise<void> }>()
/** Thrown inside a transaction to roll it back; not an error of the database's. */
class Rollback extends Error {}

/** A database error as plain fields (structured clone keeps no class): the main thread rebuilds it. */
function plain(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) }
  const fields: Record<string, unknown> = { message: error.message, name: error.name }
  for (const key of ['code', 'detail', 'hint', 'constraint', 'table', 'column', 'schema', 'severity', 'where', 'routine']) {
    const value = (error as unknown as Record<string, unknown>)[key]
    if (value !== undefined) fields[key] = value
  }
  return fields
}

const reply = (id: number, result: unknown) => port.postMessage({ id, result })
const fail = (id: number, error: unknown) => port.postMessage({ id, error: plain(error) })

async function handle(m: Request): Promise<void> {
  switch (m.type) {
    case 'query': {
      const target = m.tx === undefined ? pglite : open.get(m.tx)?.tx
      if (!target) throw new Error(`no open transaction ${m.tx}`)
      const { rows, affectedRows } = await target.query(m.sql, m.params, { rowMode: 'object' })
      return reply(m.id, { rows, affectedRows })
    }
    case 'begin': {
      let finish!: (commit: boolean) => void
      const decided = new Promise<boolean>((resolve) => (finish = resolve))
      const entry: { tx?: Transaction; finish: (commit: boolean) => void; closed: Promise<void> } = { finish, closed: Promise.resolve() }
      open.set(m.tx, entry)
      entry.closed = pglite.transaction(async (tx) => {
        entry.tx = tx
        reply(m.id, null)
        if (!(await decided)) throw new Rollback('rollback')
      })
      // A transaction that could not begin answers the begin with its error.
      entry.closed.catch((error: unknown) => {
        if (!entry.tx) {
          open.delete(m.tx)
          fail(m.id, error)
        }
      })
      return
    }
    case 'commit':
    case 'rollback': {
      const entry = open.get(m.tx)
      if (!entry) throw new Error(`no open transaction ${m.tx}`)
      entry.finish(m.type === 'commit')
      try {
        await entry.closed
      } catch (error) {
        if (!(error instanceof Rollback)) throw error
      } finally {
        open.delete(m.tx)
      }
      return reply(m.id, null)
    }
    case 'listen':
      await pglite.listen(m.channel, (payload) => port.postMessage({ notify: m.channel, payload }))
      return reply(m.id, null)
    case 'close':
      await pglite.close()
      return reply(m.id, null)
  }
}

port.on('message', (m: Request) => void handle(m).catch((error: unknown) => fail(m.id, error)))
pglite.waitReady.then(
  () => port.postMessage({ ready: true }),
  (error: unknown) => port.postMessage({ ready: false, error: plain(error) }),
)
