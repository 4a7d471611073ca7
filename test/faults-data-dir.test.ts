// One server per embedded DATA_DIR (issue 12): two servers on one directory corrupted its indexes and lost
// comments. The second server, and the admin CLI, are refused in one line before they touch the database;
// a server on a taken port stops before it opens one; a lock left by a killed server does not block the next.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { FAULT_ADMIN_TOKEN, FAULT_SECRET_KEY, NO_LIMITS, spawnParley, until, type Parley } from './support/faults.js'

vi.setConfig({ testTimeout: 600_000, hookTimeout: 300_000 })

const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-faults-dir-'))
  dirs.push(dir)
  return dir
}
const running: Parley[] = []
afterAll(async () => {
  for (const p of running) if (p.alive()) p.child.kill('SIGKILL')
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const env = (dataDir: string) => ({ DATA_DIR: dataDir, ADMIN_TOKEN: FAULT_ADMIN_TOKEN, SECRET_KEY: FAULT_SECRET_KEY, ...NO_LIMITS })
const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '')
const post = (url: string, n: number) =>
  fetch(`${url}/api/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ article: '/one-dir', author: 'Dir', email: `dir-${n}@example.com`, content: `Only one server here, ${n}.` }),
  })

describe('the embedded data directory', () => {
  it('two servers started at once on one fresh DATA_DIR: one serves, the other is refused in one line; the CLI too; a killed server’s lock is stale', async () => {
    const dataDir = tempDir()
    const [a, b] = await Promise.all([spawnParley(env(dataDir), { waitHealthy: false }), spawnParley(env(dataDir), { waitHealthy: false })])
    running.push(a, b)
    await until(() => !a.alive() || !b.alive(), 300_000, 'one of the two servers stops')
    const [loser, winner] = a.alive() ? [b, a] : [a, b]
    expect(await loser.exited).toBe(1)
    // One line, naming the directory and the process that holds it; no stack, nothing opened or served.
    expect(lines(loser.output()), loser.output()).toHaveLength(1)
    expect(loser.output()).toMatch(
      new RegExp(`^Parley could not start: The embedded database in .* is in use by process ${winner.child.pid}: one process at a time can open it`),
    )
    expect(loser.output()).not.toContain('listening')

    await until(() => !winner.alive() || winner.output().includes('"msg":"listening"'), 300_000, 'the other one serves')
    expect(winner.alive(), winner.output()).toBe(true)
    const ids: string[] = []
    for (let n = 0; n < 10; n++) {
      const res = await post(winner.url, n)
      expect(res.status).toBe(201)
      ids.push((await res.json()).comment.id)
    }

    // The admin CLI is refused too while the server runs, in one line, and leaves the lock to the server.
    const cli = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', 'token', 'list'], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
    }).then(
      () => ({ code: 0, out: '' }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, out: error.stdout + error.stderr }),
    )
    expect(cli.code).toBe(1)
    expect(lines(cli.out), cli.out).toHaveLength(1)
    expect(cli.out).toMatch(/in use by process \d+: .*stop the Parley server first/)
    expect(JSON.parse(readFileSync(join(dataDir, 'pgdata.lock'), 'utf8')).pid).toBe(winner.child.pid)

    // A server on the winner's port with another (fresh) directory stops before it opens a database there.
    const otherDir = tempDir()
    const samePort = await spawnParley(env(otherDir), { port: winner.port, waitHealthy: false })
    running.push(samePort)
    expect(await samePort.exited).toBe(1)
    expect(lines(samePort.output())).toEqual([
      `Parley could not start: port ${winner.port} is in use (another Parley, or another program, listens there); set PORT to another one.`,
    ])
    expect(existsSync(join(otherDir, 'pgdata'))).toBe(false)
    expect(existsSync(join(otherDir, 'pgdata.lock'))).toBe(false)

    // Killed, the winner leaves its lock behind; the next server sees that its process is gone and starts.
    winner.child.kill('SIGKILL')
    await winner.exited
    expect(existsSync(join(dataDir, 'pgdata.lock'))).toBe(true)
    const next = await spawnParley(env(dataDir))
    running.push(next)
    expect(next.alive(), next.output()).toBe(true)
    for (const id of ids) {
      const res = await fetch(`${next.url}/api/admin/comments/${id}`, { headers: { Authorization: `Bearer ${FAULT_ADMIN_TOKEN}` } })
      expect(res.status).toBe(200)
    }
    expect(await next.stop()).toBe(0)
    expect(existsSync(join(dataDir, 'pgdata.lock'))).toBe(false)
  })
})
