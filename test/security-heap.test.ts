// The built server under the review's memory attack (M5): a 128 MiB heap, a thread of 200 long approved comments,
// hundreds of sockets that ask for its pages and never read, and ordinary readers at the same time. The process
// must live through it and answer /healthz. Starts dist/server.mjs: run `npm run build` first.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from './support/server.js'

const root = new URL('../', import.meta.url).pathname
const ADMIN = 'heap-admin-token-0123456789abcdef'
const COMMENTS = 200
const STALLED = 300
/** GETs a stalled socket sends at once (pipelined) before reading anything: within and past the server's limit. */
const PIPELINED = [6, 20]
const READERS = 20

let child: ChildProcess
let out = ''
let base = ''
const dataDir = mkdtempSync(join(tmpdir(), 'parley-heap-'))
const sockets: Socket[] = []

beforeAll(async () => {
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  // As `npm start` runs it: the heap capped at 128 MiB.
  child = spawn(process.execPath, ['--max-semi-space-size=8', '--max-old-space-size=128', 'dist/server.mjs'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_TOKEN: ADMIN,
      SECRET_KEY: 'heap-secret-key-0123456789abcdef0123456789',
      MAX_CONTENT_LENGTH: '50000',
      LOG_REQUESTS: 'false',
      FLOOD_SECONDS: '0',
      RATE_IP_PER_MINUTE: '100000',
      RATE_IP_PER_HOUR: '100000',
      RATE_EMAIL_PER_HOUR: '100000',
      RATE_READS_PER_MINUTE: '1000000',
    },
  })
  child.stdout?.on('data', (d) => (out += d))
  child.stderr?.on('data', (d) => (out += d))
  for (let i = 0; i < 1500 && !(await healthy()); i++) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${out}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}, 200_000)

afterAll(() => {
  for (const s of sockets) s.destroy()
  child?.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

const healthy = () =>
  fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) }).then(
    (r) => r.ok,
    () => false,
  )

/** ~50,000 characters that HTML escaping makes about three times longer, different for each comment. */
const longText = (i: number) => `${i} ${'<a&b> "q" '.repeat(4_990)}`.slice(0, 50_000)

describe('the built server at a 128 MiB heap', () => {
  it('lives through non-reading sockets and concurrent readers of a heavy thread, and answers /healthz', async () => {
    const article = '/heavy-thread'
    const ids: string[] = []
    for (let i = 0; i < COMMENTS; i++) {
      const res = await fetch(`${base}/api/comments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ article, author: 'Heavy Writer', email: `w${i}@example.com`, content: longText(i) }),
      })
      expect(res.status, await res.clone().text()).toBe(201)
      ids.push((await res.json()).comment.id)
    }
    const approve = await fetch(`${base}/api/admin/comments/bulk`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids, status: 'approved' }),
    })
    expect(approve.status).toBe(200)
    const first = await (await fetch(`${base}/api/comments?article=${article}&limit=200`)).json()
    expect(first.total).toBe(COMMENTS)

    // Sockets that send their GET (different pages: many are not cached) and never read the answer.
    const path = (i: number) => `/api/comments?article=${article}&limit=${200 - (i % 150)}`
    for (let i = 0; i < STALLED; i++) {
      const socket = connect({ host: '127.0.0.1', port: Number(new URL(base).port) })
      socket.on('error', () => {})
      socket.pause()
      socket.write(Array.from({ length: PIPELINED[i % 2]! }, (_, j) => `GET ${path(i + j)} HTTP/1.1\r\nHost: x\r\n\r\n`).join(''))
      sockets.push(socket)
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 100))
    }
    // Ordinary readers at the same time, each reading whole pages for a while.
    const until = Date.now() + 15_000
    let read = 0
    let whole = 0
    await Promise.all(
      Array.from({ length: READERS }, async (_, r) => {
        while (Date.now() < until && child.exitCode === null) {
          const res = await fetch(`${base}${path(r * 7 + read)}`, { signal: AbortSignal.timeout(20_000) }).catch(() => undefined)
          if (res) {
            const body = await res.text().catch(() => '')
            read++
            if (res.status === 200 && body.endsWith('}')) whole++
            else expect([200, 503]).toContain(res.status)
          } else await new Promise((s) => setTimeout(s, 200))
        }
      }),
    )
    expect(child.exitCode, out.slice(-3000)).toBeNull()
    expect(child.signalCode, out.slice(-3000)).toBeNull()
    let ok = false
    for (let i = 0; i < 20 && !ok; i++) ok = await healthy()
    expect(ok, out.slice(-3000)).toBe(true)
    expect(read).toBeGreaterThan(0)
    // Once the stalled sockets are gone, their memory is free again: the heavy page is served whole.
    for (const s of sockets) s.destroy()
    let page = await fetch(`${base}${path(0)}`)
    for (let i = 0; i < 20 && page.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 500))
      page = await fetch(`${base}${path(0)}`)
    }
    expect(page.status).toBe(200)
    expect((await page.json()).comments.length).toBeGreaterThan(0)
    expect(whole).toBeGreaterThan(0)
  }, 400_000)
})
