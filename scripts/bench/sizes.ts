// Figures beside the load runs: bundle sizes, the checks' cost, and the machine they were taken on.
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import pg from 'pg'
import { ROOT } from './child.js'

const run = promisify(execFile)

export type Size = { raw: number; gzip: number } | { missing: string }

/** `npm run build:embed`, then dist/embed.js raw and gzipped (level 9). */
export async function embedSize(): Promise<Size> {
  try {
    await run(process.execPath, ['scripts/build-embed.mjs'], { cwd: ROOT })
  } catch (error) {
    return { missing: `build:embed failed: ${(error as Error).message.split('\n')[0]}` }
  }
  const file = `${ROOT}dist/embed.js`
  if (!existsSync(file)) return { missing: 'dist/embed.js was not built' }
  const bytes = readFileSync(file)
  if (bytes.length < 200 && bytes.toString().includes('not built yet')) return { missing: 'src/embed/ not there yet (placeholder only)' }
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
}

/** scripts/worker-size.mjs prints {raw, gzip}; until it exists the figure is "not measured". */
export async function workerSize(): Promise<Size> {
  const script = `${ROOT}scripts/worker-size.mjs`
  if (!existsSync(script)) return { missing: 'scripts/worker-size.mjs not there yet' }
  try {
    const { stdout } = await run(process.execPath, [script], { cwd: ROOT, maxBuffer: 1 << 20 })
    const json = JSON.parse(stdout.trim().split('\n').pop()!)
    if (typeof json.raw !== 'number' || typeof json.gzip !== 'number') return { missing: `unexpected output: ${stdout.slice(0, 200)}` }
    return { raw: json.raw, gzip: json.gzip }
  } catch (error) {
    return { missing: `worker-size.mjs failed: ${(error as Error).message.split('\n')[0]}` }
  }
}

/** scripts/bench-checks.ts prints the checks' median ms on a 5,000-character comment. */
export async function checksCost(): Promise<{ ms: number; output: string } | { missing: string }> {
  const script = `${ROOT}scripts/bench-checks.ts`
  if (!existsSync(script)) return { missing: 'scripts/bench-checks.ts not there yet' }
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, maxBuffer: 1 << 20 })
    const last = stdout.trim().split('\n').pop() ?? ''
    let ms: number | undefined
    try {
      const json = JSON.parse(last)
      ms = typeof json === 'number' ? json : (json.medianMs ?? json.median ?? json.ms)
    } catch {
      ms = Number(/([\d.]+)\s*ms/.exec(stdout)?.[1] ?? /([\d.]+)/.exec(last)?.[1])
    }
    if (typeof ms !== 'number' || !Number.isFinite(ms)) return { missing: `could not read a figure from: ${stdout.slice(0, 200)}` }
    return { ms, output: stdout.trim() }
  } catch (error) {
    return { missing: `bench-checks.ts failed: ${(error as Error).message.split('\n')[0]}` }
  }
}

export type Machine = {
  cpus: number
  cpuModel: string
  memoryGb: number
  node: string
  postgres: string
  date: string
  commit: string
  /** 1, 5 and 15 minutes, at the start: other jobs on a shared machine show here. */
  loadAverage: number[]
}

export async function machine(serverUrl: string): Promise<Machine> {
  let postgres: string
  const client = new pg.Client({ connectionString: serverUrl })
  try {
    await client.connect()
    postgres = (await client.query('show server_version')).rows[0].server_version
  } finally {
    await client.end().catch(() => {})
  }
  let commit = 'unknown'
  try {
    commit = (await run('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT })).stdout.trim()
    const dirty = (await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT })).stdout.trim()
    if (dirty) commit += ' (with uncommitted changes)'
  } catch {
    // not a git checkout
  }
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres,
    date: new Date().toISOString(),
    commit,
    loadAverage: loadavg(),
  }
}
