// The main thread's side of PGlite in a worker thread (node/pglite-host.ts): an object with the part of
// PGlite's interface that Kysely's PGlite driver and openEmbedded use (query, transaction, listen, close).
// Rows cross as structured clones (Date, Uint8Array and bigint kept); errors as their fields (code,
// constraint, …), rebuilt into an Error so callers read them as before.
import { existsSync } from 'node:fs'
import { Worker } from 'node:worker_threads'

type Pending = { resolve: (value: any) => void; reject: (error: Error) => void }
type Results = { rows: Record<string, unknown>[]; affectedRows?: number }
export type WorkerPglite = {
  readonly ready: boolean
  readonly closed: boolean
  readonly waitReady: Promise<void>
  query(sql: string, params?: unknown[], options?: unknown): Promise<Results>
  transaction<T>(callback: (tx: { query: WorkerPglite['query'] }) => Promise<T>): Promise<T>
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>
  close(): Promise<void>
}

/** The host script, beside this module when run from src/ (tsx) or in dist/ when bundled. */
function hostScript(): URL {
  for (const candidate of ['../node/pglite-host.ts', '../pglite-host.mjs', './pglite-host.mjs']) {
    const url = new URL(candidate, import.meta.url)
    if (existsSync(url)) return url
  }
  throw new Error('the PGlite worker script (pglite-host) is missing: run npm run build')
}

const rebuild = (fields: Record<string, unknown>): Error => Object.assign(new Error(String(fields.message)), fields)

export function pgliteInWorker(dataDir: string, startParams: string[]): WorkerPglite {
  const worker = new Worker(hostScript(), {
    workerData: { dataDir, startParams },
    resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 48 },
  })
  const pending = new Map<number, Pending>()
  const listeners = new Map<string, Set<(payload: string) => void>>()
  let next = 0
  let ready = false
  let closed = false
  const waitReady = new Promise<void>((resolve, reject) => {
    worker.once('error', reject)
    worker.on(
      'message',
      (m: { id?: number; result?: unknown; error?: Record<string, unknown>; ready?: boolean; notify?: string; payload?: string }) => {
        if (m.ready !== undefined) return m.ready ? ((ready = true), resolve()) : reject(rebuild(m.error ?? {}))
        if (m.notify !== undefined) return void listeners.get(m.notify)?.forEach((f) => f(m.payload ?? ''))
        const call = pending.get(m.id!)
        pending.delete(m.id!)
        if (m.error) call?.reject(rebuild(m.error))
        else call?.resolve(m.result)
      },
    )
  })
  // A worker that dies takes every call in flight with it, each with the reason.
  worker.on('error', (error: Error) => {
    for (const call of pending.values()) call.reject(error)
    pending.clear()
  })
  worker.on('exit', () => {
    closed = true
    for (const call of pending.values()) call.reject(new Error('the embedded database worker stopped'))
    pending.clear()
  })
  const call = <T>(message: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (closed) return reject(new Error('the embedded database is closed'))
      const id = next++
      pending.set(id, { resolve, reject })
      worker.postMessage({ ...message, id })
    })
  let nextTx = 0

  return {
    get ready() {
      return ready
    },
    get closed() {
      return closed
    },
    waitReady,
    query: (sql, params = []) => call<Results>({ type: 'query', sql, params }),
    async transaction(callback) {
      const tx = nextTx++
      await call({ type: 'begin', tx })
      let result
      try {
        result = await callback({ query: (sql, params = []) => call<Results>({ type: 'query', sql, params, tx }) })
      } catch (error) {
        await call({ type: 'rollback', tx })
        throw error
      }
      await call({ type: 'commit', tx })
      return result
    },
    async listen(channel, onMessage) {
      if (!listeners.has(channel)) {
        listeners.set(channel, new Set())
        await call({ type: 'listen', channel })
      }
      listeners.get(channel)!.add(onMessage)
      return async () => void listeners.get(channel)?.delete(onMessage)
    },
    async close() {
      if (closed) return
      await call({ type: 'close' })
      closed = true
      await worker.terminate()
    },
  }
}
