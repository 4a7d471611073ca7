/**
 * Parley as a real process under load, for the fault tests (test/faults-*.test.ts): spawnParley runs
 * `node --import tsx src/server.ts` with the given environment; startLoad keeps N clients posting
 * comments (each with its own text, so every answered id can be looked up afterwards) and records
 * every answer; pollHealth records /healthz answers with their latency.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { Agent, request } from 'node:http'
import { freePort } from './server.js'

export const FAULT_ADMIN_TOKEN = 'faults-admin-token-0123456789'
export const FAULT_SECRET_KEY = 'faults-secret-key-0123456789abcdef0123456789'

/** Limits no load test reaches: these tests are about stores, not about the rate checks. */
export const NO_LIMITS = { RATE_IP_PER_MINUTE: '1000000', RATE_IP_PER_HOUR: '1000000', RATE_EMAIL_PER_HOUR: '1000', FLOOD_SECONDS: '0' }

const root = new URL('../../', import.meta.url).pathname
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export type Parley = {
  child: ChildProcess
  port: number
  url: string
  output: () => string
  /** Resolves with the exit code (null after a signal) once the process is gone. */
  exited: Promise<number | null>
  alive: () => boolean
  /** SIGTERM, then SIGKILL after 20 s; resolves with the exit code. */
  stop: () => Promise<number | null>
}

/** Starts Parley; resolves once /healthz says 200, or once the process has exited (see `alive`). */
export async function spawnParley(env: Record<string, string>, options: { port?: number; waitHealthy?: boolean } = {}): Promise<Parley> {
  const port = options.port ?? (await freePort())
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_REQUESTS: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const alive = () => child.exitCode === null && child.signalCode === null
  const parley: Parley = {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    exited,
    alive,
    stop: async () => {
      if (!alive()) return child.exitCode
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
  if (options.waitHealthy === false) return parley
  for (let i = 0; i < 3000 && alive(); i++) {
    const healthy = await fetch(`${parley.url}/healthz`).then(
      (r) => r.ok,
      () => false,
    )
    if (healthy) return parley
    await sleep(100)
  }
  if (alive()) {
    child.kill('SIGKILL')
    throw new Error(`Parley was not healthy within 300 s:\n${out}`)
  }
  return parley
}

export type Answer = {
  n: number
  sentAt: number
  doneAt: number
  /** 0: no HTTP answer (see `network`). */
  status: number
  network?: string
  code?: string
  retryAfter?: string | undefined
  id?: string
  /** The body was JSON (every answer of Parley's must be). */
  json: boolean
  body: string
}

export type Load = {
  answers: Answer[]
  content: (n: number) => string
  /** Stops sending and waits for the requests in flight. */
  stop: () => Promise<Answer[]>
}

/** A JSON POST over a kept-alive connection of `agent`, recorded as an Answer (never rejects). */
export function postComment(url: string, agent: Agent, body: unknown, n: number): Promise<Answer> {
  const text = JSON.stringify(body)
  const sentAt = Date.now()
  return new Promise((resolve) => {
    const req = request(
      `${url}/api/comments`,
      { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) } },
      (res) => {
        let data = ''
        res.setEncoding('utf8')
        res.on('data', (d) => (data += d))
        res.on('error', (error: NodeJS.ErrnoException) =>
          resolve({ n, sentAt, doneAt: Date.now(), status: 0, network: error.code ?? error.message, json: false, body: data }),
        )
        res.on('end', () => {
          let parsed: { comment?: { id?: string }; error?: { code?: string } } | undefined
          try {
            parsed = JSON.parse(data)
          } catch {
            parsed = undefined
          }
          resolve({
            n,
            sentAt,
            doneAt: Date.now(),
            status: res.statusCode ?? 0,
            ...(parsed?.error?.code ? { code: parsed.error.code } : {}),
            ...(parsed?.comment?.id ? { id: parsed.comment.id } : {}),
            retryAfter: res.headers['retry-after'],
            json: parsed !== undefined,
            body: data.slice(0, 500),
          })
        })
      },
    )
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ n, sentAt, doneAt: Date.now(), status: 0, network: error.code ?? error.message, json: false, body: '' }),
    )
    req.end(text)
  })
}

/** `workers` clients posting one comment after another (kept-alive connections) until stop(). */
export function startLoad(url: string, options: { workers: number; tag: string; pauseMs?: number }): Load {
  const agent = new Agent({ keepAlive: true, maxSockets: options.workers })
  const answers: Answer[] = []
  const content = (n: number) => `Fault ${options.tag} message ${n}.`
  let next = 0
  let stopped = false
  const worker = async () => {
    while (!stopped) {
      const n = next++
      const answer = await postComment(
        url,
        agent,
        { article: `/faults/${options.tag}`, author: 'Load', email: `load-${options.tag}-${n}@example.com`, content: content(n) },
        n,
      )
      answers.push(answer)
      // A refused connection answers at once: do not spin on it.
      if (answer.status === 0 || options.pauseMs) await sleep(answer.status === 0 ? 20 : options.pauseMs!)
    }
  }
  const running = Array.from({ length: options.workers }, worker)
  return {
    answers,
    content,
    stop: async () => {
      stopped = true
      await Promise.all(running)
      agent.destroy()
      return answers
    },
  }
}

export type HealthAnswer = { sentAt: number; doneAt: number; status: number }

/** Asks /healthz every `everyMs` (each ask on its own, so a hung one does not stop the next) until stop(). */
export function pollHealth(url: string, everyMs = 100): { answers: HealthAnswer[]; stop: () => Promise<HealthAnswer[]> } {
  const answers: HealthAnswer[] = []
  const pending = new Set<Promise<void>>()
  const timer = setInterval(() => {
    const sentAt = Date.now()
    const asked = fetch(`${url}/healthz`, { signal: AbortSignal.timeout(20_000) }).then(
      async (res) => {
        await res.arrayBuffer()
        answers.push({ sentAt, doneAt: Date.now(), status: res.status })
      },
      () => void answers.push({ sentAt, doneAt: Date.now(), status: 0 }),
    )
    pending.add(asked)
    void asked.finally(() => pending.delete(asked))
  }, everyMs)
  return {
    answers,
    stop: async () => {
      clearInterval(timer)
      await Promise.all(pending)
      return answers
    },
  }
}

/** Waits until `condition` holds, checking every 50 ms; throws after `ms` (a bound against hanging, not a speed test). */
export async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`)
    await sleep(50)
  }
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}
