// Drives one workload with autocannon (closed loop): a warm-up that is not counted, then the measured run.
// Every response goes through the workload's check; only ok answers count towards req/s.
import autocannon, { type Request, type Result } from 'autocannon'
import type { Check } from './checks.js'

export type LoadSpec = {
  url: string
  connections: number
  warmupSeconds: number
  durationSeconds: number
  request: Request
  check: Check
}

export type Phase = {
  seconds: number
  ok: number
  failed: number
  /** Socket errors and timeouts: requests that got no answer at all. */
  errors: number
  reqPerSec: number
  p50: number
  p99: number
  /** Why answers failed their check, with counts (first few reasons). */
  failures: Record<string, number>
}

export type LoadResult = Phase & {
  /** The measured phase on the monotonic clock, in µs (the clock V8's CPU profiles use). */
  window: { startUs: number; endUs: number }
  /** Ids the server answered 201 for, warm-up included (W1's nothing-lost check). */
  ids: string[]
  warmup: Phase
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index]!
}

async function phase(spec: LoadSpec, seconds: number, ids: string[]): Promise<Phase> {
  let ok = 0
  let failed = 0
  const failures: Record<string, number> = {}
  let latencies = new Float64Array(1 << 16)
  let count = 0
  const request: Request = {
    ...spec.request,
    onResponse: (status, body) => {
      const verdict = spec.check(status, body)
      if (verdict.ok) {
        ok++
        if (verdict.id) ids.push(verdict.id)
      } else {
        failed++
        if (Object.keys(failures).length < 8 || verdict.reason in failures) {
          failures[verdict.reason] = (failures[verdict.reason] ?? 0) + 1
        }
      }
    },
  }
  const result = await new Promise<Result>((resolve, reject) => {
    const instance = autocannon(
      { url: spec.url, connections: spec.connections, duration: seconds, timeout: 10, requests: [request] },
      (error, res) => (error ? reject(error) : resolve(res)),
    )
    // autocannon's own histogram has 1 ms steps; keep every latency to report sub-millisecond percentiles.
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      if (count === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2)
        bigger.set(latencies)
        latencies = bigger
      }
      latencies[count++] = ms
    })
  })
  const sorted = latencies.slice(0, count).sort()
  const measured = result.duration > 0 ? result.duration : seconds
  return {
    seconds: measured,
    ok,
    failed,
    errors: result.errors + result.timeouts,
    reqPerSec: ok / measured,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    failures,
  }
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const ids: string[] = []
  const warmup = spec.warmupSeconds > 0 ? await phase(spec, spec.warmupSeconds, ids) : emptyPhase()
  const startUs = Number(process.hrtime.bigint() / 1000n)
  const measured = await phase(spec, spec.durationSeconds, ids)
  const endUs = Number(process.hrtime.bigint() / 1000n)
  return { ...measured, ids, warmup, window: { startUs, endUs } }
}

function emptyPhase(): Phase {
  return { seconds: 0, ok: 0, failed: 0, errors: 0, reqPerSec: 0, p50: NaN, p99: NaN, failures: {} }
}
