// SIGTERM under kept-alive load (issue 12): before, kept-alive clients were served for the whole grace
// period, then the process exited 1, cut the requests in flight and left the database open. Now: stop
// accepting, `Connection: close` to every client, finish what is in flight, close the database, exit 0.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { openEmbedded } from '../src/node/embedded.js'
import { FAULT_ADMIN_TOKEN, FAULT_SECRET_KEY, NO_LIMITS, spawnParley, startLoad, until, type Parley } from './support/faults.js'

vi.setConfig({ testTimeout: 400_000, hookTimeout: 300_000 })

const dirs: string[] = []
const running: Parley[] = []
afterAll(() => {
  for (const p of running) if (p.alive()) p.child.kill('SIGKILL')
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})
const env = () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-faults-stop-'))
  dirs.push(dir)
  return { DATA_DIR: dir, ADMIN_TOKEN: FAULT_ADMIN_TOKEN, SECRET_KEY: FAULT_SECRET_KEY, ...NO_LIMITS }
}

describe('SIGTERM', () => {
  it('under kept-alive load: stops taking work, finishes what is in flight, closes the database, exits 0, every 201 stored', async () => {
    const settings = env()
    const parley = await spawnParley(settings)
    running.push(parley)
    const tag = `stop-${Date.now()}`
    // A closed loop over kept-alive connections: every client sends its next post the moment it has an answer.
    const load = startLoad(parley.url, { workers: 24, tag })
    await until(() => load.answers.filter((a) => a.status === 201).length >= 200, 60_000, '200 posts before the signal')
    const signalAt = Date.now()
    parley.child.kill('SIGTERM')
    const code = await parley.exited
    const exitedAt = Date.now()
    const answers = await load.stop()

    expect(code, parley.output().slice(-2000)).toBe(0)
    const log = parley.output()
    const stopped = log.split('\n').find((l) => l.includes('"msg":"stopped"'))
    expect(stopped, log.slice(-2000)).toBeDefined()
    expect(JSON.parse(stopped!)).toMatchObject({ databaseClosed: true, cut: 0 })
    expect(log).not.toContain('grace period over')
    // The database was closed (PGlite removes its pid file on close; a crash leaves it) and the lock let go.
    expect(existsSync(join(settings.DATA_DIR, 'pgdata', 'postmaster.pid'))).toBe(false)
    expect(existsSync(join(settings.DATA_DIR, 'pgdata.lock'))).toBe(false)

    // Nothing answered with an error: 201s, and after the signal refused connections (nothing was taken).
    expect(answers.filter((a) => a.status !== 0 && a.status !== 201).map((a) => a.body)).toEqual([])
    const after = answers.filter((a) => a.sentAt > signalAt && a.status === 201).length
    const network: Record<string, number> = {}
    for (const a of answers) if (a.status === 0) network[a.network ?? ''] = (network[a.network ?? ''] ?? 0) + 1
    console.log(
      `[faults] SIGTERM under load: exit 0 after ${exitedAt - signalAt} ms; ${answers.filter((a) => a.status === 201).length} × 201 ` +
        `(${after} sent after the signal); no answer: ${JSON.stringify(network)}`,
    )

    // No request was cut: a post either got its answer or found the port closed (never a reset connection).
    expect(Object.keys(network).filter((k) => k !== 'ECONNREFUSED')).toEqual([])

    // Every post answered 201 is stored.
    const db = await openEmbedded(join(settings.DATA_DIR, 'pgdata'))
    try {
      const rows = await db.selectFrom('comments').select(['id', 'content']).where('content', 'like', `Fault ${tag} message %`).execute()
      const stored = new Map(rows.map((r) => [String(r.id), r.content]))
      const ok = answers.filter((a) => a.status === 201)
      expect(ok.filter((a) => stored.get(a.id!) !== load.content(a.n)).map((a) => a.id)).toEqual([])
    } finally {
      await db.destroy()
    }
  })

  it('a second signal stops at once, without waiting for the request in flight', async () => {
    const parley = await spawnParley(env())
    running.push(parley)
    // A request whose body never finishes: it stays in flight through the grace period.
    const body = JSON.stringify({ article: '/stuck', author: 'Slow', email: 'slow@example.com', content: 'never finished' })
    const req = request(`${parley.url}/api/comments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    })
    req.on('error', () => {})
    req.write(body.slice(0, 10))
    await new Promise((r) => setTimeout(r, 300))
    parley.child.kill('SIGTERM')
    await until(() => parley.output().includes('"msg":"shutting down"'), 10_000, 'the first signal is heard')
    expect(parley.alive()).toBe(true) // still waiting for the request in flight
    parley.child.kill('SIGTERM')
    const code = await parley.exited
    expect(code).toBe(1)
    expect(parley.output()).toContain('"msg":"second signal; stopping at once"')
    expect(parley.output()).not.toContain('grace period over')
    req.destroy()
  })
})
