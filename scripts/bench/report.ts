// Turns the runs into BENCHMARKS.md's generated section: medians, ratios to the ceilings, targets met or not.
import type { Phase } from './load.js'
import type { Options } from './options.js'
import type { Machine, Size } from './sizes.js'
import type { FirstStart, Rep, Run } from './runner.js'
import type { WorkloadId } from './workloads.js'

export const BEGIN = '<!-- bench:begin (written by `npm run bench`; everything up to bench:end is replaced on each run) -->'
export const END = '<!-- bench:end -->'

export type Report = {
  options: Options
  machine: Machine
  reps: Rep[]
  embedded?: { reps: Rep[]; firstStarts: FirstStart[] }
  large?: Rep[]
  /** Where the servers and wrk ran (CPU lists for taskset), when pinned. */
  placement: { server?: string; load?: string }
  embed: Size
  worker: Size
  checks: { ms: number; output: string } | { missing: string }
  pgbenchCommand: string
  /** What `npm start` runs (package.json), with which Parley is started. */
  startCommand: string
  wallSeconds: number
  /** The 1-minute load average when the bench ended. */
  loadAverageEnd: number
}

export function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (v.length === 0) return NaN
  const mid = v.length >> 1
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2
}

const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—')
const ms = (x: number) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x.toFixed(1)) : '—')
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(0)}%` : '—')
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
const size = (s: Size) => ('missing' in s ? `not measured (${s.missing})` : `${kib(s.gzip)} gzipped (${kib(s.raw)} raw)`)

function runOf(rep: Rep, workload: WorkloadId, connections: number): Run | undefined {
  return rep.runs.find((r) => r.workload === workload && r.connections === connections)
}

/** The ceiling a workload is compared with in the same repetition. */
function ceilingOf(rep: Rep, workload: WorkloadId, connections: number): { reqPerSec: number; p50: number; p99: number } | undefined {
  const c = rep.ceilings
  if (!c) return undefined
  if (workload === 'W1') {
    const pg = c.pgbench[connections]
    return pg ? { reqPerSec: pg.tps, p50: NaN, p99: NaN } : undefined
  }
  const hono: Phase | undefined = c.hono[workload][connections]
  return hono ? { reqPerSec: hono.reqPerSec, p50: hono.p50, p99: hono.p99 } : undefined
}

type Row = { rps: number; ceiling: number; ratio: number; p50: number; p99: number; cp50: number; cp99: number; failed: number; rss: number }

function summarize(reps: Rep[], workload: WorkloadId, connections: number): Row | undefined {
  const pairs = reps.map((rep) => ({ run: runOf(rep, workload, connections), ceiling: ceilingOf(rep, workload, connections) }))
  const runs = pairs.filter((p) => p.run)
  if (runs.length === 0) return undefined
  return {
    rps: median(runs.map((p) => p.run!.phase.reqPerSec)),
    ceiling: median(runs.map((p) => p.ceiling?.reqPerSec ?? NaN)),
    // Ratios are taken within a repetition (same machine state), then the median of those.
    ratio: median(runs.map((p) => (p.ceiling ? p.run!.phase.reqPerSec / p.ceiling.reqPerSec : NaN))),
    p50: median(runs.map((p) => p.run!.phase.p50)),
    p99: median(runs.map((p) => p.run!.phase.p99)),
    cp50: median(runs.map((p) => p.ceiling?.p50 ?? NaN)),
    cp99: median(runs.map((p) => p.ceiling?.p99 ?? NaN)),
    failed: runs.reduce((n, p) => n + p.run!.phase.failed + p.run!.phase.errors, 0),
    rss: Math.max(...runs.map((p) => p.run!.memory.peakRssMb)),
  }
}

const ceilingName: Record<WorkloadId, string> = { W1: 'pgbench INSERT tps', W2: 'bare Hono, same body', W3: 'bare Hono, same body' }
const workloadName: Record<WorkloadId, string> = {
  W1: 'W1 post a comment',
  W2: 'W2 list 100 approved',
  W3: 'W3 counts for 20 articles',
}

function mainTable(reps: Rep[], levels: number[]): string {
  const lines = [
    '| workload | conns | Parley ok req/s | ceiling req/s | ratio | Parley p50 / p99 ms | ceiling p50 / p99 ms | failed or unanswered | RSS peak MB |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const workload of ['W1', 'W2', 'W3'] as const) {
    for (const c of levels) {
      const row = summarize(reps, workload, c)
      if (!row) continue
      lines.push(
        `| ${workloadName[workload]} | ${c} | ${int(row.rps)} | ${int(row.ceiling)} (${ceilingName[workload]}) | ${pct(row.ratio)}${row.ratio > 1 && workload === 'W1' ? ' (suspect)' : ''} | ` +
          `${ms(row.p50)} / ${ms(row.p99)} | ${workload === 'W1' ? 'n/a' : `${ms(row.cp50)} / ${ms(row.cp99)}`} | ${row.failed} | ${int(row.rss)} |`,
      )
    }
  }
  return lines.join('\n')
}

type Target = { name: string; measured: string; met: boolean | undefined }

type HarnessRatios = { wrk: number; old: number; wrkRps: number; wrkCeiling: number; oldRps: number; oldCeiling: number }

/** Parley's ratio to bare Hono under wrk and under the old harness beside it, in one repetition. */
function harnessRatios(rep: Rep, workload: 'W2' | 'W3', connections: number): HarnessRatios | undefined {
  const wrk = runOf(rep, workload, connections)?.phase
  const wrkCeiling = rep.ceilings?.hono[workload][connections]
  const old = rep.oldHarness?.parley[workload]
  const oldCeiling = rep.oldHarness?.hono[workload]
  if (!wrk || !wrkCeiling || !old || !oldCeiling) return undefined
  return {
    wrk: wrk.reqPerSec / wrkCeiling.reqPerSec,
    old: old.reqPerSec / oldCeiling.reqPerSec,
    wrkRps: wrk.reqPerSec,
    wrkCeiling: wrkCeiling.reqPerSec,
    oldRps: old.reqPerSec,
    oldCeiling: oldCeiling.reqPerSec,
  }
}

/** Issue 20: the ratio under wrk no worse than under the old harness, medians of the per-repetition ratios. */
export function harnessTarget(reps: Rep[], workload: 'W2' | 'W3', connections: number): Target {
  const name = `${workload} @${connections}: ratio to bare Hono under wrk no worse than under the old harness beside it (autocannon in the bench's process)`
  const each = reps.map((rep) => harnessRatios(rep, workload, connections)).filter((r) => r !== undefined)
  if (each.length === 0) return { name, measured: 'not run (--no-old-harness, or --load autocannon)', met: undefined }
  const wrk = median(each.map((r) => r.wrk))
  const old = median(each.map((r) => r.old))
  const pair = (rps: number, ceiling: number) => `${int(rps)} vs ${int(ceiling)}`
  return {
    name,
    measured:
      `wrk ${pct(wrk)} (${pair(median(each.map((r) => r.wrkRps)), median(each.map((r) => r.wrkCeiling)))}), ` +
      `old harness ${pct(old)} (${pair(median(each.map((r) => r.oldRps)), median(each.map((r) => r.oldCeiling)))})`,
    met: wrk >= old,
  }
}

function harnessTable(reps: Rep[], connections: number): string {
  const head = ['repetition', 'load average']
  for (const w of ['W2', 'W3']) head.push(`${w} wrk: Parley / Hono`, `${w} wrk ratio`, `${w} old: Parley / Hono`, `${w} old ratio`)
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---:').join(' | ')} |`]
  reps.forEach((rep, i) => {
    const cells = [String(i + 1), rep.loadAverage?.toFixed(1) ?? '—']
    for (const w of ['W2', 'W3'] as const) {
      const r = harnessRatios(rep, w, connections)
      cells.push(
        r ? `${int(r.wrkRps)} / ${int(r.wrkCeiling)}` : '—',
        r ? pct(r.wrk) : '—',
        r ? `${int(r.oldRps)} / ${int(r.oldCeiling)}` : '—',
        r ? pct(r.old) : '—',
      )
    }
    lines.push(`| ${cells.join(' | ')} |`)
  })
  return lines.join('\n')
}

/** A ceiling below the thing it bounds means the machine was disturbed while it ran: no verdict from it. */
const SUSPECT = ' — ceiling suspect (below Parley: the machine was disturbed while it ran; re-run)'
/**
 * Above an HTTP ceiling is possible: bare Hono serializes its JSON on every request, Parley serves bodies
 * serialized once (cached until the list changes). Above the INSERT ceiling is not, so that is suspect.
 */
const ABOVE_HTTP = ' — above the ceiling: Parley sends a body serialized once, bare Hono serializes it per request'
function ratioTarget(name: string, row: Row | undefined, goal: number, canExceed = false): Target {
  if (!row) return { name, measured: '—', met: undefined }
  const measured = `${pct(row.ratio)} (${int(row.rps)} vs ${int(row.ceiling)})`
  if (row.ratio > 1) return canExceed ? { name, measured: measured + ABOVE_HTTP, met: true } : { name, measured: measured + SUSPECT, met: undefined }
  return { name, measured, met: row.ratio >= goal }
}

function targets(report: Report): Target[] {
  const { reps } = report
  const c = report.options.connections[0]!
  const w1 = summarize(reps, 'W1', c)
  const w2 = summarize(reps, 'W2', c)
  const w3 = summarize(reps, 'W3', c)
  const rss = Math.max(...reps.flatMap((r) => r.runs.map((x) => x.memory.peakRssMb)))
  const cold = median(reps.map((r) => r.coldStartMs))
  const all = [...reps, ...(report.embedded?.reps ?? [])].flatMap((r) => r.runs)
  const lost = all.reduce((n, r) => n + (r.stored?.lost ?? 0), 0)
  const failed = all.reduce((n, r) => n + r.phase.failed + r.phase.errors, 0)
  const list: Target[] = [
    ratioTarget(`W1 @${c} ≥ 25% of the pgbench INSERT ceiling`, w1, 0.25),
    ratioTarget(`W2 @${c} ≥ 60% of bare Hono with the same body`, w2, 0.6, true),
    { name: `W2 @${c} p99 < 25 ms`, measured: w2 ? `${ms(w2.p99)} ms` : '—', met: w2 ? w2.p99 < 25 : undefined },
    ratioTarget(`W3 @${c} ≥ 60% of bare Hono with the same body`, w3, 0.6, true),
    ...(report.options.load === 'wrk' ? [harnessTarget(reps, 'W2', c), harnessTarget(reps, 'W3', c)] : []),
    { name: 'Peak RSS under load ≤ 150 MB (highest sample of any run)', measured: `${int(rss)} MB`, met: rss <= 150 },
    { name: 'Cold start on the server PostgreSQL < 1 s (to a healthy /healthz)', measured: `${int(cold)} ms`, met: cold < 1000 },
    { name: 'W1: every 201 is stored (nothing lost)', measured: `${lost} lost`, met: lost === 0 },
    { name: 'Every answer passed its check', measured: `${failed} failed or unanswered`, met: failed === 0 },
  ]
  const embedded = report.embedded
  if (embedded) {
    const peak = (workloads: WorkloadId[]) =>
      Math.max(...embedded.reps.flatMap((r) => r.runs.filter((x) => workloads.includes(x.workload)).map((x) => x.memory.peakRssMb)))
    const w1Peak = peak(['W1'])
    const readPeak = peak(['W2', 'W3'])
    const firstPeak = Math.max(...embedded.firstStarts.map((f) => f.peakRssMb))
    const embeddedCold = median(embedded.reps.map((r) => r.coldStartMs))
    const firstCold = median(embedded.firstStarts.map((f) => f.coldStartMs))
    list.push(
      { name: 'Embedded: peak RSS under W1 ≤ 256 MB (highest sample of any run)', measured: `${int(w1Peak)} MB`, met: w1Peak <= 256 },
      { name: 'Embedded: peak RSS under W2/W3 ≤ 200 MB', measured: `${int(readPeak)} MB`, met: readPeak <= 200 },
      {
        name: 'Embedded: peak RSS at the first start on a new DATA_DIR ≤ 200 MB (VmHWM once healthy)',
        measured: `${int(firstPeak)} MB`,
        met: firstPeak <= 200,
      },
      {
        name: 'Embedded: cold start < 1.5 s (to a healthy /healthz, median)',
        measured: `${int(embeddedCold)} ms (first start on a new DATA_DIR: ${int(firstCold)} ms)`,
        met: embeddedCold < 1500,
      },
    )
  }
  for (const workload of ['W2', 'W3'] as const) {
    const normal = summarize(reps, workload, c)
    const large = report.large ? summarize(report.large, workload, c) : undefined
    const ratio = normal && large ? large.rps / normal.rps : NaN
    list.push({
      name: `${workload} @${c} at --large within 20% of the normal size`,
      measured: large && normal ? `${pct(ratio)} of normal (${int(large.rps)} vs ${int(normal.rps)} req/s)` : 'not run (needs --large)',
      met: large ? ratio >= 0.8 : undefined,
    })
  }
  return list
}

function w1Table(reps: Rep[]): string {
  const lines = [
    '| database | repetition | conns | 201s received | rows stored | lost | in flight at the stop |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  const index: Record<string, number> = {}
  for (const rep of reps) {
    const i = (index[rep.database] = (index[rep.database] ?? 0) + 1)
    for (const run of rep.runs) {
      if (!run.stored) continue
      const s = run.stored
      lines.push(`| ${rep.database} | ${i} | ${run.connections} | ${s.acked} | ${s.rows} | ${s.lost} | ${s.extra} |`)
    }
  }
  return lines.join('\n')
}

function perRepTable(reps: Rep[], levels: number[]): string {
  const head = [
    'repetition',
    'load average',
    'cold start ms',
    ...levels.flatMap((c) => [`W1 @${c}`, `pgbench @${c}`, `W2 @${c}`, `Hono W2 @${c}`, `W3 @${c}`, `Hono W3 @${c}`]),
  ]
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---:').join(' | ')} |`]
  reps.forEach((rep, i) => {
    const cells = [String(i + 1), rep.loadAverage?.toFixed(1) ?? '—', int(rep.coldStartMs)]
    for (const c of levels) {
      for (const w of ['W1', 'W2', 'W3'] as const) {
        cells.push(int(runOf(rep, w, c)?.phase.reqPerSec ?? NaN), int(ceilingOf(rep, w, c)?.reqPerSec ?? NaN))
      }
    }
    lines.push(`| ${cells.join(' | ')} |`)
  })
  return lines.join('\n')
}

function simpleTable(reps: Rep[], c: number, workloads: WorkloadId[]): string {
  const lines = ['| workload | conns | ok req/s | p50 / p99 ms | failed or unanswered | RSS peak MB |', '| --- | ---: | ---: | ---: | ---: | ---: |']
  for (const w of workloads) {
    const row = summarize(reps, w, c)
    if (row) lines.push(`| ${workloadName[w]} | ${c} | ${int(row.rps)} | ${ms(row.p50)} / ${ms(row.p99)} | ${row.failed} | ${int(row.rss)} |`)
  }
  return lines.join('\n')
}

function embeddedStarts(embedded: NonNullable<Report['embedded']>): string {
  const lines = [
    '| repetition | load average | first start ms (new DATA_DIR) | RSS high-water at it MB | idle RSS after it MB | cold start ms (seeded DATA_DIR) | idle RSS MB |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  embedded.reps.forEach((rep, i) => {
    const first = embedded.firstStarts[i]
    lines.push(
      `| ${i + 1} | ${rep.loadAverage?.toFixed(1) ?? '—'} | ${int(first?.coldStartMs ?? NaN)} | ${int(first?.peakRssMb ?? NaN)} | ${int(first?.idleRssMb ?? NaN)} | ` +
        `${int(rep.coldStartMs)} | ${int(rep.idleRssMb ?? NaN)} |`,
    )
  })
  return lines.join('\n')
}

function loadGenerator(report: Report): string {
  const { placement } = report
  if (report.options.load === 'autocannon') return 'load generator (autocannon 9, in the bench process), server and PostgreSQL share the cores'
  return placement.load
    ? `load generator wrk in its own process pinned to CPU ${placement.load} (taskset); Parley and bare Hono pinned to CPU ${placement.server}; PostgreSQL not pinned`
    : 'load generator wrk in its own process (not pinned), server and PostgreSQL share the cores'
}

export function renderReport(report: Report): string {
  const { options, machine, reps } = report
  const c = options.connections[0]!
  const first = reps[0]!
  const out: string[] = [BEGIN, '']
  const n = reps.length
  out.push(`## Latest run: ${machine.date.slice(0, 10)}${options.quick ? ' (--quick: short runs, 1 repetition; indicative only)' : ''}`, '')
  out.push(
    `- Command: \`npm run bench${options.argv.length ? ` -- ${options.argv.join(' ')}` : ''}\` ` +
      `(${options.warmupSeconds} s warm-up + ${options.durationSeconds} s measured per run, ${n} repetition${n > 1 ? 's' : ''} on a fresh database each; ` +
      `the whole bench took ${Math.round(report.wallSeconds)} s)`,
    `- Machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGb} GiB; Node ${machine.node}; PostgreSQL ${machine.postgres} on 127.0.0.1; ` +
      loadGenerator(report) +
      `; load average (1 min) ${report.machine.loadAverage.map((x) => x.toFixed(1)).join(' / ')} at the start and ${report.loadAverageEnd.toFixed(1)} at the end (other jobs on the machine show here)`,
    `- Code: commit ${machine.commit}; measured ${machine.date}`,
    '',
    `### Targets (medians of ${n}; ratios taken within each repetition)`,
    '',
    '| target | measured | met? |',
    '| --- | --- | --- |',
    ...targets(report).map((t) => `| ${t.name} | ${t.measured} | ${t.met === undefined ? 'no verdict' : t.met ? 'met' : '**not met**'} |`),
    '',
    `### Server PostgreSQL: Parley against its ceilings (median of ${n})`,
    '',
    mainTable(reps, options.connections),
    '',
    `Bodies: W2 ${int(first.bodyBytes.W2)} bytes, W3 ${int(first.bodyBytes.W3)} bytes; the bare Hono ceiling answers Parley's own body, captured after seeding, ` +
      `and its answers go through the same check. Bare Hono's RSS peak under the same load: ${int(Math.max(...reps.map((r) => r.ceilings?.honoMemory.peakRssMb ?? NaN)))} MB. ` +
      (options.load === 'wrk'
        ? "Latencies are wrk's (its histogram of every answer, in µs)."
        : "Latencies are autocannon's per-request times (all answers), kept exactly rather than in its 1 ms histogram."),
    '',
    'Per repetition (ok req/s):',
    '',
    perRepTable(reps, options.connections),
    '',
    ...(reps.some((rep) => rep.oldHarness)
      ? [
          `Beside wrk, the old harness (autocannon 9 inside the bench's own process, not pinned; the servers as above) drove W2 and W3 @${c} ` +
            'against the same two servers in each repetition, right after their wrk runs and in the same order (ok req/s):',
          '',
          harnessTable(reps, c),
          '',
        ]
      : []),
    '### W1: nothing lost',
    '',
    "Ids answered 201 (warm-up included) against rows stored under the run's articles, counted after a graceful stop. " +
      'Rows beyond the 201s are requests in flight when the load generator stopped (at most one per connection for each of the warm-up and the measured phase).',
    '',
    w1Table([...reps, ...(report.embedded?.reps ?? [])]),
    '',
    `Rate limiter during W1: ${first.limiter ?? 'not probed'}.`,
    '',
  )
  if (report.embedded) {
    const e = report.embedded
    out.push(
      `### Embedded database (PGlite, no DATABASE_URL; median of ${e.reps.length}, RSS the highest sample)`,
      '',
      simpleTable(e.reps, c, ['W1', 'W2', 'W3']),
      '',
      'Starts (each repetition: the server on a new, empty DATA_DIR, stopped once healthy; then on a copy of the seeded one):',
      '',
      embeddedStarts(e),
      '',
    )
  }
  if (report.large) {
    const lr = report.large
    out.push(
      `### --large: ${options.largeComments.toLocaleString('en-US')} comments over ${options.largeArticles.toLocaleString('en-US')} articles (median of ${lr.length}, one seeded database)`,
      '',
      simpleTable(lr, c, ['W2', 'W3']),
      '',
      "The large background is generated inside PostgreSQL (generate_series) from pools built by the app's own functions: " +
        "3,000 authors (real AES-GCM email ciphertexts, keyed hashes, avatar seeds) and 1,000 texts (real HTML, content hashes, the checks' reasons), " +
        'so every value is one the app writes, but ciphertexts and hashes repeat across rows.',
      '',
    )
  }
  const checks = report.checks
  out.push(
    '### Sizes, costs, start',
    '',
    `| figure | value |`,
    `| --- | --- |`,
    `| embed script (dist/embed.js, \`npm run build:embed\`) | ${size(report.embed)} |`,
    `| Worker bundle (scripts/worker-size.mjs) | ${size(report.worker)} |`,
    `| the checks on a 5,000-character comment (scripts/bench-checks.ts, median) | ${'missing' in checks ? `not measured (${checks.missing})` : `${ms(checks.ms)} ms`} |`,
    `| cold start, server PostgreSQL (spawn to first 200 from /healthz, median) | ${int(median(reps.map((r) => r.coldStartMs)))} ms |`,
    `| seeding through the app, per repetition (median) | ${(median(reps.map((r) => r.seedMs)) / 1000).toFixed(1)} s |`,
    '',
    '### How it was measured',
    '',
    '- `npm run bench` (scripts/bench.ts). Per repetition: a fresh database `parley_bench_<pid>_<n>` on the server, migrated by the same ' +
      'migrateToLatest as `npm run migrate`; 10,000 background comments over `/bench/bg-0…499` (80% approved, 15% pending, 5% spam) written in bulk ' +
      "as the app writes them (encryptEmail, emailHash, avatarSeed, content hash, renderCommentHtml, anonymized IP, the checks' verdict, article counters); " +
      'then Parley built (`npm run build`) and started as `npm start` does (`' +
      report.startCommand +
      '`, read from package.json) with DATABASE_URL, ADMIN_TOKEN, SECRET_KEY, TRUST_PROXY=true, LOG_REQUESTS=false, PORT; ' +
      'the 100 comments of `/bench/article-0` and those of `/bench/count-1…20` (i approved, 2 pending, 1 spam) posted through `POST /api/comments` and ' +
      'decided through `PATCH /api/admin/comments/:id`. The database is dropped afterwards.',
    `- Load: ${
      options.load === 'wrk'
        ? 'wrk (scripts/bench/wrk.ts with the Lua scripts in scripts/bench/wrk/: each answer checked in Lua, status and body, W2/W3 against the reference answer but its form token, W1 201 with an id and status pending; the ids written to files and counted in the database afterwards)'
        : 'autocannon (programmatic, in the bench process)'
    }, closed loop, W2 then W3 then W1, each at ${options.connections.join(' and ')} connections, ` +
      `${options.warmupSeconds} s warm-up (not counted) then ${options.durationSeconds} s measured. Only answers that pass the workload's check count: ` +
      'W1 201 with status pending; W2 200 with all 100 comments; W3 200 with counts 1…20. W1 requests are each a distinct commenter ' +
      '(unique email over 4 domains, a new /24 in X-Forwarded-For, 26 names × 5,000 numbers, 4 user agents, 12–36 random words, articles ' +
      "`/bench/w1/<run>/a0…49`, no form token), so the service's own rate rules stay on without tripping.",
    "- RSS: the server's VmRSS from /proc/<pid>/status every 200 ms during each run; the peak sample is reported.",
    `- Ceilings: \`node dist/bench/bare-hono.mjs\` (scripts/bench/bare-hono.ts bundled by esbuild) (\`app.get('*', (c) => c.json(payload))\`, hono 4.13.19 on @hono/node-server), ` +
      "one process serving the W2 body and one the W3 body, each run driven like Parley next to Parley's run of the same workload and " +
      'concurrency (just before or just after it, alternately; idle otherwise), so a ratio compares two runs seconds apart; and, after Parley is stopped, in a scratch database loaded ' +
      `with scripts/bench/pgbench-schema.sql, \`${report.pgbenchCommand}\` (and the same at each concurrency level).`,
    "- Embedded: per repetition, the server started on a new, empty DATA_DIR (time to a healthy /healthz; VmHWM, the kernel's high-water mark of its RSS, at that moment; RSS a second later) and stopped; " +
      'then on a copy of a DATA_DIR seeded once (the background written in bulk before any server opened it, then the seed posted and decided through the app), no DATABASE_URL, W2, W3 and W1 at the first concurrency level.',
    '',
    END,
  )
  return out.join('\n')
}

/** The generated section replaces the previous one; notes written around it by people are kept. */
export function mergeReport(previous: string | undefined, generated: string): string {
  if (previous && previous.includes(BEGIN) && previous.includes(END)) {
    const before = previous.slice(0, previous.indexOf(BEGIN))
    const after = previous.slice(previous.indexOf(END) + END.length)
    return before + generated + after
  }
  return [
    '# Benchmarks',
    '',
    'Parley against the physical ceilings of its machine, with the workloads of `../shared/bench/WORKLOADS.md`: ',
    'W1 posting a comment, W2 listing 100 approved comments, W3 counts for 20 articles. Absolute figures drift between runs ',
    'on a shared machine; the ratios to ceilings measured in the same run are what to compare. Reproduce with `npm run bench` ',
    '(PostgreSQL up on 127.0.0.1:5432; `npm run bench -- --help` lists the flags).',
    '',
    generated,
    '',
    '## What each change bought',
    '',
    '(Notes kept across runs: add a line per optimization with the figures before and after.)',
    '',
  ].join('\n')
}
