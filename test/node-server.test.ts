// The Node entry as a real process: first start, persistence across restarts, shutdown, limits on the wire, logs.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { freePort } from './support/server.js'

// Each test starts real processes (the embedded database takes seconds to open).
vi.setConfig({ testTimeout: 240_000 })

type Running = { child: ChildProcess; port: number; output: () => string; exited: Promise<number | null> }

async function start(env: Record<string, string>): Promise<Running> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const running = { child, port, output: () => out, exited }
  for (let i = 0; i < 900; i++) {
    if (child.exitCode !== null) return running
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return running
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`server did not become healthy:\n${out}`)
}

async function stop(r: Running): Promise<number | null> {
  if (r.child.exitCode !== null) return r.child.exitCode
  r.child.kill('SIGTERM')
  return r.exited
}

const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-test-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const post = (port: number, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`http://127.0.0.1:${port}/api/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

describe('the Node server with the embedded database', () => {
  it('makes and prints the admin token once, and keeps comments across restarts', async () => {
    const dataDir = tempDir()
    const env = { DATA_DIR: dataDir, LOG_REQUESTS: 'false' }
    const first = await start(env)
    const token = /ADMIN_TOKEN=(\S+)/.exec(first.output())?.[1]
    expect(token, first.output()).toBeTruthy()
    // The first-start message names the console (issue 16: newcomers never learned of /admin).
    expect(first.output()).toContain(`Sign in with it to the moderator console: http://localhost:${first.port}/admin`)
    const res = await post(first.port, { article: '/restart', author: 'Ann', email: 'ann@example.com', content: 'Still here?' })
    expect(res.status).toBe(201)
    const { comment } = await res.json()
    const approve = await fetch(`http://127.0.0.1:${first.port}/api/admin/comments/${comment.id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'approved' }),
    })
    expect(approve.status).toBe(200)
    expect(await stop(first)).toBe(0)

    const second = await start(env)
    expect(second.output()).not.toContain('ADMIN_TOKEN=')
    const list = await (await fetch(`http://127.0.0.1:${second.port}/api/comments?article=/restart`)).json()
    expect(list.comments.map((c: { content: string }) => c.content)).toEqual(['Still here?'])
    const again = await fetch(`http://127.0.0.1:${second.port}/api/admin/comments/${comment.id}`, {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(again.status).toBe(200)
    expect((await again.json()).email).toBe('ann@example.com')
    expect(await stop(second)).toBe(0)
  })

  it('finishes a request in flight on SIGTERM, stores it, and exits 0 within 10 s', async () => {
    const dataDir = tempDir()
    const env = { DATA_DIR: dataDir, ADMIN_TOKEN: 'shutdown-admin-token-123', SECRET_KEY: 'x'.repeat(40), LOG_REQUESTS: 'false' }
    const server = await start(env)
    const body = JSON.stringify({ article: '/shutdown', author: 'Late', email: 'late@example.com', content: 'Sent while stopping' })
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/comments',
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = ''
          res.on('data', (d) => (text += d))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
        },
      )
      req.on('error', reject)
      req.write(body.slice(0, 20))
      // The body's rest arrives after the signal: the request is in flight when shutdown begins.
      setTimeout(() => {
        server.child.kill('SIGTERM')
        setTimeout(() => req.end(body.slice(20)), 300)
      }, 200)
    })
    const started = Date.now()
    const { status } = await answer
    expect(status).toBe(201)
    expect(await server.exited).toBe(0)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(server.output()).toContain('"msg":"stopped"')

    const restarted = await start(env)
    const queue = await (
      await fetch(`http://127.0.0.1:${restarted.port}/api/admin/comments?article=/shutdown`, {
        headers: { Authorization: 'Bearer shutdown-admin-token-123' },
      })
    ).json()
    expect(queue.comments.map((c: { content: string }) => c.content)).toEqual(['Sent while stopping'])
    await stop(restarted)
  })

  it('413 for a chunked body over 64 KiB without reading it whole; one log line per request, without email or IP', async () => {
    const server = await start({ DATA_DIR: tempDir(), ADMIN_TOKEN: 'log-admin-token-12345', SECRET_KEY: 'y'.repeat(40), LOG_REQUESTS: 'true' })
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/comments',
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', () => {}) // the server may stop reading once it has answered
      req.write('{"content":"')
      let sent = 0
      const chunk = 'x'.repeat(16 * 1024)
      const pump = () => {
        // Far more than 64 KiB, in chunks: the answer must come before it is all sent.
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length
          if (!req.write(chunk)) return req.once('drain', pump)
        }
        req.end('"}')
      }
      pump()
      setTimeout(() => reject(new Error('no answer')), 15_000)
    })
    expect(status).toBe(413)

    // With a declared length over the limit, the answer comes from the length alone.
    const big = (length: number) => ({ article: '/big', author: 'Big', email: 'big@example.com', content: 'x'.repeat(length) })
    const declared = await post(server.port, big(70_000))
    expect(declared.status).toBe(413)
    expect((await declared.json()).error.code).toBe('payload_too_large')
    // Just under it, the body is read (and judged on its content).
    const under = await post(server.port, big(60_000))
    expect(under.status).toBe(400)
    expect((await under.json()).error.code).toBe('validation_failed')

    const email = 'logged.reader@example.com'
    const res = await post(server.port, { article: '/logs', author: 'Logged', email, content: 'Log me' }, { 'X-Request-Id': 'req-for-log-test' })
    expect(res.status).toBe(201)
    await stop(server)
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.includes('"msg":"request"'))
    const line = lines.map((l) => JSON.parse(l)).find((l) => l.requestId === 'req-for-log-test')
    expect(line).toMatchObject({ method: 'POST', path: '/api/comments', status: 201, requestId: 'req-for-log-test' })
    expect(typeof line.ms).toBe('number')
    expect(server.output()).not.toContain(email)
    expect(server.output()).not.toContain('127.0.0.1:')
  })
})

describe('the Node server answers cached counts from the request target', () => {
  it('gives the same counts, headers and read limit through the cached path as through the routes', async () => {
    const server = await start({
      DATA_DIR: tempDir(),
      ADMIN_TOKEN: 'cached-counts-admin-token-7f3a9c21',
      SECRET_KEY: 'cached-counts-secret-key-0b8e4d6a1c5f2e9d7a3b',
      RATE_READS_PER_MINUTE: '4',
    })
    try {
      const url = `http://127.0.0.1:${server.port}/api/counts?article=%2Fposts%2F1&article=%2Fposts%2F2`
      const answers = []
      for (let i = 0; i < 3; i++) {
        const r = await fetch(url, { headers: { Origin: 'https://blog.example' } })
        answers.push({ status: r.status, body: await r.text(), type: r.headers.get('content-type') })
      }
      // The first is routed and cached; the next two are found by the raw target (percent signs and all).
      expect(answers[0]).toEqual({ status: 200, body: '{"counts":{"/posts/1":0,"/posts/2":0}}', type: 'application/json' })
      expect(answers[1]).toEqual(answers[0])
      expect(answers[2]).toEqual(answers[0])
      // The read limit still counts the cached answers: the fifth read in the minute is refused.
      expect((await fetch(url)).status).toBe(200)
      expect((await fetch(url)).status).toBe(429)
    } finally {
      await stop(server)
    }
  })
})

describe('the Node server with DATABASE_URL', () => {
  it('stops with a clear message when ADMIN_TOKEN or SECRET_KEY is missing', async () => {
    const server = await start({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres', SECRET_KEY: 'z'.repeat(40) })
    expect(await server.exited).toBe(1)
    expect(server.output()).toMatch(/ADMIN_TOKEN: is required/)
    expect(server.output()).not.toMatch(/at .*\.ts:\d+/)
  })
})
