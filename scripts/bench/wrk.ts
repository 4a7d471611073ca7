// Drives one workload with wrk, a load generator in its own process (pinned to its own core where the
// machine has two or more), through the Lua scripts in scripts/bench/wrk/: each checks every answer
// (status and body) and counts it; W1's script writes each id answered 201, for the nothing-lost check.
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ROOT } from './child.js'
import type { LoadResult, Phase } from './load.js'

export const WRK = process.env.WRK ?? '/usr/bin/wrk'

/** What wrk runs: a GET whose every answer must equal `reference` (but the form token), or W1's posts. */
export type WrkWorkload = { script: 'get'; path: string; reference: string } | { script: 'post'; tag: string; space: number }

export type WrkSpec = {
  url: string
  connections: number
  warmupSeconds: number
  durationSeconds: number
  workload: WrkWorkload
  /** CPU list for taskset (the server's are the others), or undefined to let the kernel place it. */
  cpus?: string
}

type WrkOutput = {
  durationUs: number
  requests: number
  ok: number
  failed: number
  errors: number
  p50Us: number
  p99Us: number
  failures: Array<Record<string, number>>
}

/** The measured phase's first W1 request number; the warm-up's requests are numbered below it. */
const MEASURED_FIRST = 100_000

async function phase(spec: WrkSpec, seconds: number, dir: string, name: string, first: number): Promise<Phase> {
  const idsDir = join(dir, name)
  mkdirSync(idsDir)
  const threads = spec.connections > 1 && !spec.cpus?.match(/^\d+$/) ? 2 : 1
  const { workload } = spec
  const scriptArgs =
    workload.script === 'get' ? [join(dir, 'reference')] : [workload.tag, String(workload.space), String(first), idsDir, String(threads)]
  const args = [
    ...(spec.cpus ? ['-c', spec.cpus, WRK] : []),
    '-t',
    String(threads),
    '-c',
    String(spec.connections),
    '-d',
    `${seconds}s`,
    '--timeout',
    '10s',
    '-s',
    join(ROOT, 'scripts/bench/wrk', `${workload.script}.lua`),
    spec.url + (workload.script === 'get' ? workload.path : '/api/comments'),
    '--',
    ...scriptArgs,
  ]
  const { stdout } = await promisify(execFile)(spec.cpus ? 'taskset' : WRK, args, { maxBuffer: 1 << 20 })
  const line = /^WRK_RESULT (.*)$/m.exec(stdout)?.[1]
  if (!line) throw new Error(`wrk printed no result:\n${stdout.slice(-2000)}`)
  const out = JSON.parse(line) as WrkOutput
  const failures: Record<string, number> = {}
  for (const part of out.failures) for (const [reason, n] of Object.entries(part)) failures[reason] = (failures[reason] ?? 0) + n
  const measured = out.durationUs / 1e6
  return {
    seconds: measured,
    ok: out.ok,
    failed: out.failed,
    errors: out.errors,
    reqPerSec: out.ok / measured,
    p50: out.p50Us / 1000,
    p99: out.p99Us / 1000,
    failures,
  }
}

export async function runWrk(spec: WrkSpec): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-wrk-'))
  try {
    if (spec.workload.script === 'get') writeFileSync(join(dir, 'reference'), spec.workload.reference)
    const warmup = spec.warmupSeconds > 0 ? await phase(spec, spec.warmupSeconds, dir, 'warmup', 0) : undefined
    const startUs = Number(process.hrtime.bigint() / 1000n)
    const measured = await phase(spec, spec.durationSeconds, dir, 'measured', MEASURED_FIRST)
    const endUs = Number(process.hrtime.bigint() / 1000n)
    const ids: string[] = []
    for (const name of ['warmup', 'measured']) {
      const idsDir = join(dir, name)
      if (!existsSync(idsDir)) continue
      for (const file of readdirSync(idsDir)) for (const id of readFileSync(join(idsDir, file), 'utf8').split('\n')) if (id) ids.push(id)
    }
    const empty: Phase = { seconds: 0, ok: 0, failed: 0, errors: 0, reqPerSec: 0, p50: NaN, p99: NaN, failures: {} }
    return { ...measured, ids, warmup: warmup ?? empty, window: { startUs, endUs } }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
