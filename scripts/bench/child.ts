// Starts a Node server (Parley or the bare Hono ceiling) as a child process, times it to a healthy
// answer, samples its memory, and stops it with SIGTERM as an operator would.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

export const ROOT = new URL('../../', import.meta.url).pathname

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

export type Child = {
  pid: number
  url: string
  /** Milliseconds from spawn to the first 200 on the health path. */
  coldStartMs: number
  /** The last few KB the process printed, for a failure message. */
  output: () => string
  stop: () => Promise<void>
}

/** The environment a child gets: only what Node needs to run, plus the given variables (no stray config). */
export function childEnv(vars: Record<string, string>): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']
  const env: Record<string, string> = {}
  for (const key of keep) if (process.env[key] !== undefined) env[key] = process.env[key]!
  return { ...env, ...vars }
}

export async function startChild(options: {
  script: string
  env: Record<string, string>
  port: number
  healthPath: string
  nodeArgs?: string[]
  timeoutMs?: number
  /** CPU list to pin the process to (taskset, which execs node: the pid is node's). */
  cpus?: string
}): Promise<Child> {
  const url = `http://127.0.0.1:${options.port}`
  const started = performance.now()
  // Built JavaScript runs on plain node, as `npm start` runs it; TypeScript needs the tsx loader.
  const loader = options.script.endsWith('.ts') ? ['--import', 'tsx'] : []
  const argv = [...(options.nodeArgs ?? []), ...loader, options.script]
  const [command, args] = options.cpus ? ['taskset', ['-c', options.cpus, process.execPath, ...argv]] : [process.execPath, argv]
  const child = spawn(command, args, {
    cwd: ROOT,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let gone = false
  void exited.then(() => (gone = true))

  const deadline = started + (options.timeoutMs ?? 60_000)
  for (;;) {
    if (gone) throw new Error(`${options.script} exited before it was healthy:\n${output}`)
    if (performance.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`${options.script} was not healthy within ${options.timeoutMs ?? 60_000} ms:\n${output}`)
    }
    try {
      const res = await fetch(url + options.healthPath)
      await res.arrayBuffer()
      if (res.status === 200) break
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5))
  }
  const coldStartMs = performance.now() - started
  return {
    pid: child.pid!,
    url,
    coldStartMs,
    output: () => output,
    stop: () => stop(child, exited),
  }
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}

export type MemorySample = { peakRssMb: number; hwmMb: number; samples: number }

/** Samples VmRSS every `everyMs` until stopped; reports the peak sample and the kernel's high-water mark. */
export function sampleMemory(pid: number, everyMs = 200): { stop: () => MemorySample } {
  let peakKb = 0
  let hwmKb = 0
  let samples = 0
  const read = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8')
      const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
      hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? hwmKb)
      peakKb = Math.max(peakKb, rss)
      samples++
    } catch {
      // the process is gone
    }
  }
  read()
  const timer = setInterval(read, everyMs)
  return {
    stop: () => {
      clearInterval(timer)
      read()
      return { peakRssMb: peakKb / 1024, hwmMb: hwmKb / 1024, samples }
    },
  }
}
