// The rate-limit store (Redis) stopped and frozen under concurrent posts (issue 12). README promises that a
// broken store fails open: posts are allowed (and still checked and held). Before, a frozen Redis held every
// post for the whole freeze, and a stopped one logged five lines per post. Now: posts are answered while
// Redis is away (frozen or not), the outage is logged once, and counting resumes once Redis is back.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { FAULT_ADMIN_TOKEN, FAULT_SECRET_KEY, NO_LIMITS, postComment, spawnParley, startLoad, until, type Parley } from './support/faults.js'
import { startRedis, type PrivateRedis } from './support/private-stores.js'
import { Agent } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 })

let redis: PrivateRedis
let parley: Parley
const dataDir = mkdtempSync(join(tmpdir(), 'parley-faults-redis-'))

beforeAll(async () => {
  redis = await startRedis()
  // One post per email per hour: a second post of one email is 429 while the limiter counts, 201 while it fails open.
  parley = await spawnParley({
    DATA_DIR: dataDir,
    ADMIN_TOKEN: FAULT_ADMIN_TOKEN,
    SECRET_KEY: FAULT_SECRET_KEY,
    ...NO_LIMITS,
    RATE_EMAIL_PER_HOUR: '1',
    REDIS_URL: redis.url,
  })
})

afterAll(async () => {
  await parley?.stop()
  await redis?.destroy()
  rmSync(dataDir, { recursive: true, force: true })
})

const agent = new Agent({ keepAlive: true })
let probes = 0
/** Two posts of one new email: [201, 429] while Redis counts, [201, 201] while the limiter fails open. */
async function probe(): Promise<[number, number]> {
  const n = probes++
  const body = { article: '/faults/redis-probe', author: 'Probe', email: `probe-${n}-${Date.now()}@example.com` }
  const first = await postComment(parley.url, agent, { ...body, content: `Probe ${n} first.` }, n)
  const second = await postComment(parley.url, agent, { ...body, content: `Probe ${n} second.` }, n)
  return [first.status, second.status]
}

const outageLines = () =>
  parley
    .output()
    .split('\n')
    .filter((l) => l.includes('"msg":"rate limiter store'))

const faults = [
  { name: 'stopped', down: () => redis.stop(), up: () => redis.start() },
  { name: 'frozen (SIGSTOP)', down: () => redis.freeze(), up: () => redis.thaw() },
]

describe('Parley with a Redis rate-limit store that fails under load', () => {
  it.each(faults)(
    'Redis $name: posts are answered and allowed (fail open), the outage is logged once, counting resumes',
    async ({ name, down, up }) => {
      expect(await probe()).toEqual([201, 429])
      const linesBefore = outageLines().length
      const load = startLoad(parley.url, { workers: 8, tag: `redis-${name.split(' ')[0]}-${Date.now()}` })
      await until(() => load.answers.length >= 40, 30_000, 'posts before the fault')

      const downAt = Date.now()
      await Promise.resolve(down())
      await new Promise((r) => setTimeout(r, 4_000))
      const during = await probe()
      const upAt = Date.now()
      await Promise.resolve(up())
      // Counting resumes: the probe's second post is refused again.
      let resumedAfter = -1
      for (let i = 0; i < 200; i++) {
        if ((await probe())[1] === 429) {
          resumedAfter = Date.now() - upAt
          break
        }
        await new Promise((r) => setTimeout(r, 50))
      }
      const answers = await load.stop()

      expect(parley.alive(), parley.output().slice(-2000)).toBe(true)
      // While Redis was away the limiter let posts through: the same email twice, both 201.
      expect(during).toEqual([201, 201])
      expect(resumedAfter, 'the limiter counts again once Redis is back').toBeGreaterThanOrEqual(0)
      // Every post got an answer, a 201, and many were answered while Redis was still away (none waited for its return).
      expect(answers.filter((a) => a.status !== 201).map((a) => a.body)).toEqual([])
      const answeredDuring = answers.filter((a) => a.sentAt > downAt + 500 && a.doneAt < upAt)
      expect(answeredDuring.length).toBeGreaterThan(20)
      // One line when the outage starts, one when it ends: not one per post.
      const lines = outageLines().slice(linesBefore)
      expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['rate limiter store unavailable', 'rate limiter store back'])
      const slowest = Math.max(...answeredDuring.map((a) => a.doneAt - a.sentAt))
      console.log(
        `[faults] Redis ${name}: ${answers.length} posts all 201, ${answeredDuring.length} answered during the outage (slowest ${slowest} ms); ` +
          `counting again ${resumedAfter} ms after Redis was back; outage log: ${lines.length} lines (${JSON.parse(lines[1]!).failures} posts let through)`,
      )
    },
  )
})
