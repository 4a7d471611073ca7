// The bench's outside load generator (scripts/bench/wrk.ts with scripts/bench/wrk/*.lua), against a small
// server whose answers are sometimes wrong: every wrong answer must be counted as failed, never as ok,
// and W1's ids must be exactly those of the answers that passed. Skipped where wrk is not installed.
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runWrk, WRK } from '../scripts/bench/wrk.js'

const reference = JSON.stringify({ article: '/a', comments: [{ id: '1' }], total: 1, formToken: '1700000000.abc' })
let server: Server
let url = ''
let n = 0
const posted: Array<{ article: string; author: string; email: string; content: string }> = []
const forwarded = new Set<string>()

beforeAll(async () => {
  server = createServer((req, res) => {
    const i = n++
    if (req.method === 'GET') {
      // Every 4th answer is wrong (a comment missing), every 7th another status; the rest differ only by token.
      const body = i % 4 === 3 ? reference.replace('"total":1', '"total":2') : reference.replace('1700000000.abc', `${1700000000 + i}.xyz`)
      res.writeHead(i % 7 === 6 ? 503 : 200, { 'Content-Type': 'application/json' }).end(body)
      return
    }
    let text = ''
    req.on('data', (d) => (text += d))
    req.on('end', () => {
      posted.push(JSON.parse(text))
      forwarded.add(String(req.headers['x-forwarded-for']))
      // Every 5th post is answered as approved (not what W1 accepts), every 9th with 429.
      const status = i % 5 === 4 ? 'approved' : 'pending'
      const body = JSON.stringify({ comment: { id: String(i), article: '/x', status } })
      res.writeHead(i % 9 === 8 ? 429 : 201, { 'Content-Type': 'application/json' }).end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe.skipIf(!existsSync(WRK))('the wrk load generator', () => {
  it('counts an answer as ok only when it is the reference answer (but its form token), and every other as failed', async () => {
    n = 0
    const result = await runWrk({ url, connections: 4, warmupSeconds: 0, durationSeconds: 1, workload: { script: 'get', path: '/list', reference } })
    const answered = n
    expect(result.ok).toBeGreaterThan(10)
    expect(result.ok + result.failed).toBeGreaterThanOrEqual(answered - 4)
    expect(result.ok + result.failed).toBeLessThanOrEqual(answered)
    // About 3 in 7 answers are wrong (a 4th or a 7th): far from none, and never counted as ok.
    expect(result.failed / (result.ok + result.failed)).toBeGreaterThan(0.3)
    expect(Object.keys(result.failures).sort()).toEqual(['body differs from the reference', 'status 503'])
  })

  it('posts a distinct commenter each time and keeps the id of every answer that passed, and only those', async () => {
    n = 0
    posted.length = 0
    forwarded.clear()
    const result = await runWrk({ url, connections: 4, warmupSeconds: 1, durationSeconds: 1, workload: { script: 'post', tag: 't', space: 3 } })
    expect(result.ok).toBeGreaterThan(10)
    expect(result.failures).toMatchObject({ 'comment status not pending': expect.any(Number), 'status 429': expect.any(Number) })
    // The ids kept (warm-up included) are those the server answered 201 pending: never a 5th or a 9th.
    expect(result.ids.length).toBeGreaterThan(result.ok)
    expect(result.ids.every((id) => Number(id) % 5 !== 4 && Number(id) % 9 !== 8)).toBe(true)
    expect(new Set(result.ids).size).toBe(result.ids.length)
    // A distinct email and a distinct /24 per request, 12–36 words, articles of this run only.
    expect(new Set(posted.map((p) => p.email)).size).toBe(posted.length)
    expect(new Set([...forwarded].map((ip) => ip.split('.').slice(0, 3).join('.'))).size).toBe(forwarded.size)
    expect(forwarded.size).toBe(posted.length)
    for (const p of posted) {
      expect(p.article).toMatch(/^\/bench\/w1\/t\/a\d+$/)
      const words = p.content.split(' ').length
      expect(words).toBeGreaterThanOrEqual(12)
      expect(words).toBeLessThanOrEqual(36)
    }
  })
})
