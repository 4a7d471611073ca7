// A full disk under the embedded database (issue 12): posts got 500 while /healthz said 200. Now posts get
// 503 `unavailable` with Retry-After, /healthz says 503 until there is room again, and nothing answered 201
// is lost. The disk is a small tmpfs of our own: mounting needs root (CI runs as root); elsewhere it is skipped.
import { execFileSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { openEmbedded } from '../src/node/embedded.js'
import { FAULT_ADMIN_TOKEN, FAULT_SECRET_KEY, NO_LIMITS, pollHealth, spawnParley, startLoad, until, type Parley } from './support/faults.js'

vi.setConfig({ testTimeout: 400_000, hookTimeout: 300_000 })

const mountPoint = mkdtempSync(join(tmpdir(), 'parley-faults-disk-'))
const mounted = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m', 'tmpfs', mountPoint], { stdio: 'pipe' })
    return true
  } catch {
    return false
  }
})()
let parley: Parley | undefined
afterAll(() => {
  if (parley?.alive()) parley.child.kill('SIGKILL')
  if (mounted) execFileSync('umount', ['-l', mountPoint])
  rmSync(mountPoint, { recursive: true, force: true })
})

/** Writes zeros into `file` until the disk is full. */
function fill(file: string): void {
  const fd = openSync(file, 'w')
  const chunk = Buffer.alloc(256 * 1024)
  try {
    for (;;) writeSync(fd, chunk)
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error
  } finally {
    closeSync(fd)
  }
}

describe.skipIf(!mounted)('the embedded database on a full disk (a tmpfs of our own; needs root)', () => {
  it('posts get 503 with Retry-After, /healthz 503 until there is room, then both recover; every 201 stored', async () => {
    const dataDir = join(mountPoint, 'data')
    parley = await spawnParley({ DATA_DIR: dataDir, ADMIN_TOKEN: FAULT_ADMIN_TOKEN, SECRET_KEY: FAULT_SECRET_KEY, ...NO_LIMITS })
    const tag = `disk-${Date.now()}`
    const load = startLoad(parley.url, { workers: 4, tag })
    const health = pollHealth(parley.url, 200)
    await until(() => load.answers.filter((a) => a.status === 201).length >= 20, 60_000, 'posts before the disk fills')

    const filler = join(mountPoint, 'filler')
    const fullAt = Date.now()
    fill(filler)
    await until(() => load.answers.some((a) => a.sentAt > fullAt && a.status === 503), 30_000, 'a post refused for want of space')
    await until(() => health.answers.some((h) => h.sentAt > fullAt && h.status === 503), 30_000, '/healthz 503 while the disk is full')
    rmSync(filler)
    const roomAt = Date.now()
    await until(() => load.answers.some((a) => a.sentAt > roomAt && a.status === 201), 30_000, 'a 201 once there is room')
    await until(() => health.answers.some((h) => h.sentAt > roomAt && h.status === 200), 30_000, '/healthz 200 once there is room')
    const answers = await load.stop()
    await health.stop()

    expect(parley.alive(), parley.output().slice(-2000)).toBe(true)
    // Only 201s and JSON 503 `unavailable` with Retry-After: never a 500.
    const others = answers.filter((a) => a.status !== 201 && !(a.status === 503 && a.code === 'unavailable' && a.retryAfter === '5' && a.json))
    expect(others.map((a) => `${a.status} ${a.body}`)).toEqual([])
    console.log(
      `[faults] disk full: ${answers.filter((a) => a.status === 201).length} × 201, ${answers.filter((a) => a.status === 503).length} × 503`,
    )

    expect(await parley.stop()).toBe(0)
    const db = await openEmbedded(join(dataDir, 'pgdata'))
    try {
      const rows = await db.selectFrom('comments').select(['id', 'content']).where('content', 'like', `Fault ${tag} message %`).execute()
      const stored = new Map(rows.map((r) => [String(r.id), r.content]))
      expect(answers.filter((a) => a.status === 201 && stored.get(a.id!) !== load.content(a.n)).map((a) => a.id)).toEqual([])
    } finally {
      await db.destroy()
    }
  })
})
