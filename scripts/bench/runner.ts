import { build } from 'esbuild'
// One repetition: a fresh database, seeded; Parley started on it; W2, W3, W1 driven at each concurrency,
// each W2/W3 run next to the bare Hono ceiling's run of the same workload (so the two share the machine's
// state of that moment; which goes first alternates); then, with Parley stopped, the pgbench ceiling.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { parseConfig } from '../../src/config.js'
import { openEmbedded } from '../../src/node/embedded.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { openPostgres } from '../../src/db/postgres.js'
import type { Database } from '../../src/db/schema.js'
import { buildDeps } from '../../src/deps.js'
import { childEnv, freePort, ROOT, sampleMemory, startChild, type Child, type MemorySample } from './child.js'
import { clientIp, email } from './data.js'
import { runLoad, type Phase } from './load.js'
import { runWrk } from './wrk.js'
import type { Options } from './options.js'
import { insertCeiling, loadSchema, type PgbenchResult } from './pgbench.js'
import { createDatabase, dropDatabase, seedBackground, seedLarge, seedThroughApp } from './seed.js'
import { w1, w1Prefix, w2, w3, W2_PATH, W3_PATH, type Workload, type WorkloadId } from './workloads.js'

export type Stored = { acked: number; rows: number; lost: number; extra: number }
export type Run = {
  workload: WorkloadId
  connections: number
  phase: Phase
  memory: MemorySample
  stored?: Stored
  /** When the measured phase ran (µs, monotonic), to cut a CPU profile to it. */
  window: { startUs: number; endUs: number }
}
export type Ceilings = {
  hono: Record<'W2' | 'W3', Record<number, Phase>>
  honoMemory: MemorySample
  pgbench: Record<number, PgbenchResult>
}
/** A start of the embedded server on a new, empty DATA_DIR: to a healthy /healthz, and its memory. */
export type FirstStart = { coldStartMs: number; peakRssMb: number; idleRssMb: number }
export type Rep = {
  database: 'postgres' | 'embedded' | 'postgres-large'
  coldStartMs: number
  /** Embedded only: the server's RSS once healthy, before any request. */
  idleRssMb?: number
  /** The 1-minute load average when the repetition started (other jobs on the machine). */
  loadAverage?: number
  seedMs: number
  bodyBytes: Record<'W2' | 'W3', number>
  runs: Run[]
  ceilings?: Ceilings
  limiter?: string
  /** W2/W3 at the first concurrency level under the old harness (autocannon in the bench's process), beside wrk's. */
  oldHarness?: OldHarness
}
export type OldHarness = { parley: Partial<Record<'W2' | 'W3', Phase>>; hono: Partial<Record<'W2' | 'W3', Phase>> }

const ADMIN_TOKEN = randomBytes(18).toString('base64url')
const SECRET_KEY = randomBytes(32).toString('base64url')
const RUN_ID = Date.now().toString(36)
/** Each W1 run posts from its own address space (0–46; 47 is the limiter probe's, 48 the seed's). */
let nextSpace = 0

export const log = (line: string) => console.log(line)

function parleyConfig(databaseUrl?: string) {
  return parseConfig({ ADMIN_TOKEN, SECRET_KEY, TRUST_PROXY: 'true', LOG_REQUESTS: 'false', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) })
}

/** The node flags `npm start` uses (package.json's start script), so the bench runs what operators run. */
function startFlags(): string[] {
  return startScript().flags
}

/** What `npm start` runs, as the report shows it: its environment words, node, its flags, the server. */
export function startCommand(): string {
  const { env, flags } = startScript()
  return [...Object.entries(env).map(([name, value]) => `${name}=${value}`), 'node', ...flags, 'dist/server.mjs'].join(' ')
}

/** The environment `npm start` sets before node (VAR=value words), e.g. glibc's malloc settings. */
function startEnv(): Record<string, string> {
  return startScript().env
}

function startScript(): { flags: string[]; env: Record<string, string> } {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
  const words = pkg.scripts.start.split(/\s+/)
  const env: Record<string, string> = {}
  for (const word of words.slice(0, words.indexOf('node'))) {
    const [name, value] = word.split('=')
    if (name && value !== undefined) env[name] = value
  }
  return { flags: words.filter((word) => word.startsWith('--')), env }
}

/**
 * Where the server and the load generator run: with wrk on a machine of two or more cores, the servers
 * (Parley, bare Hono) on all but the last core and wrk on the last (taskset); PostgreSQL is not pinned.
 * The in-process harness (autocannon) is never pinned, as before.
 */
type Placement = { server?: string; load?: string }
let placement: Placement | undefined
function placeOf(options: Options): Placement {
  if (placement) return placement
  const n = cpus().length
  const can = options.load === 'wrk' && options.pin && n >= 2 && ['/usr/bin/taskset', '/bin/taskset'].some((f) => existsSync(f))
  placement = can ? { server: n === 2 ? '0' : `0-${n - 2}`, load: String(n - 1) } : {}
  return placement
}
export const placementOf = (options: Options): Placement => placeOf(options)

let benchOptions: Options | undefined
export const useOptions = (options: Options) => void (benchOptions = options)

async function startParley(vars: Record<string, string>, extraArgs: string[] = []): Promise<Child> {
  const nodeArgs = [...startFlags(), ...extraArgs]
  const port = await freePort()
  const cpus = benchOptions ? placeOf(benchOptions).server : undefined
  return startChild({
    script: 'dist/server.mjs',
    // The read limit is counted (its cost is measured) but far above what the load sends from its one address.
    env: childEnv({
      ...startEnv(),
      ADMIN_TOKEN,
      SECRET_KEY,
      TRUST_PROXY: 'true',
      LOG_REQUESTS: 'false',
      RATE_READS_PER_MINUTE: '1000000000',
      PORT: String(port),
      ...vars,
    }),
    port,
    healthPath: '/healthz',
    nodeArgs,
    ...(cpus ? { cpus } : {}),
  })
}

async function bodyOf(url: string): Promise<string> {
  const res = await fetch(url)
  const text = await res.text()
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 300)}`)
  return text
}

/** Runs one workload at one concurrency, sampling the server's memory while it runs. */
async function drive(
  options: Options,
  child: Child,
  workload: Workload,
  connections: number,
  label: string = workload.id,
  generator: Options['load'] = options.load,
): Promise<Run> {
  const memory = sampleMemory(child.pid)
  const load = placeOf(options).load
  const spec = { url: child.url, connections, warmupSeconds: options.warmupSeconds, durationSeconds: options.durationSeconds }
  if (generator === 'wrk' && !workload.wrk) throw new Error(`${workload.id} has no wrk script (a GET needs its reference answer)`)
  const result =
    generator === 'wrk'
      ? await runWrk({ ...spec, workload: workload.wrk!, ...(load ? { cpus: load } : {}) })
      : await runLoad({ ...spec, request: workload.request, check: workload.check })
  const sample = memory.stop()
  const { ids: _ids, warmup, window, ...phase } = result
  const failures = Object.entries(phase.failures)
    .map(([r, n]) => `${n}× ${r}`)
    .join(', ')
  log(
    `  ${label} @${connections}: ${phase.reqPerSec.toFixed(0)} ok/s, p50 ${phase.p50.toFixed(2)} ms, p99 ${phase.p99.toFixed(2)} ms, ` +
      `failed ${phase.failed + warmup.failed}, no answer ${phase.errors + warmup.errors}, RSS peak ${sample.peakRssMb.toFixed(0)} MB` +
      (failures ? ` (${failures})` : ''),
  )
  const run: Run = { workload: workload.id, connections, phase, memory: sample, window }
  if (workload.id === 'W1') (run as Run & { ids: string[] }).ids = result.ids
  return run
}

/** W1's nothing-lost check: every id answered 201 is stored; rows beyond them were in flight at the stop. */
async function countStored(db: Kysely<Database>, runs: Array<Run & { ids?: string[]; tag?: string }>): Promise<void> {
  for (const run of runs) {
    if (!run.ids || !run.tag) continue
    const rows = await db
      .selectFrom('comments')
      .innerJoin('articles', 'articles.id', 'comments.article_id')
      .select('comments.id')
      .where('articles.key', 'like', `${w1Prefix(run.tag)}%`)
      .execute()
    const stored = new Set(rows.map((r) => String(r.id)))
    const acked = new Set(run.ids)
    let lost = 0
    for (const id of acked) if (!stored.has(id)) lost++
    run.stored = { acked: acked.size, rows: stored.size, lost, extra: stored.size - (acked.size - lost) }
    log(`  W1 @${run.connections}: ${acked.size} answered 201, ${stored.size} rows stored, ${lost} lost, ${run.stored.extra} in flight at the stop`)
    delete run.ids
  }
}

/** Posts from one client address until the limiter answers 429 (or 8 posts pass): is it on? */
async function probeLimiter(url: string): Promise<string> {
  const tag = `${RUN_ID}-probe`
  for (let i = 0; i < 8; i++) {
    const res = await fetch(`${url}/api/comments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': clientIp(47, 1) },
      body: JSON.stringify({ article: `/bench/probe/${tag}`, author: 'Probe', email: email(tag, i), content: `Probe comment number ${i}.` }),
    })
    await res.arrayBuffer()
    if (res.status === 429) return `on: post ${i + 1} of 8 from one client address got 429 (Retry-After: ${res.headers.get('Retry-After')})`
  }
  return 'NOT on: 8 posts from one client address all passed (no rate limiter wired into the server yet)'
}

/**
 * Ceiling (a): bare Hono answering Parley's own W2 or W3 body, one process per body, started before the
 * runs and idle until its turn. Each of its runs follows Parley's run of the same workload and concurrency.
 */
type HonoCeiling = { children: Record<'W2' | 'W3', Child>; phases: Ceilings['hono']; memory: MemorySample; dir: string }

async function startHonoCeiling(bodies: Record<'W2' | 'W3', string>): Promise<HonoCeiling> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'))
  const script = await bareHonoScript()
  const children = {} as HonoCeiling['children']
  try {
    for (const id of ['W2', 'W3'] as const) {
      const file = join(dir, `${id}.json`)
      writeFileSync(file, bodies[id])
      const port = await freePort()
      const cpus = benchOptions ? placeOf(benchOptions).server : undefined
      children[id] = await startChild({
        script,
        env: childEnv({ PORT: String(port), PAYLOAD_FILE: file }),
        port,
        healthPath: '/',
        ...(cpus ? { cpus } : {}),
      })
    }
  } catch (error) {
    await Promise.all(Object.values(children).map((c) => c.stop()))
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return { children, phases: { W2: {}, W3: {} }, memory: { peakRssMb: 0, hwmMb: 0, samples: 0 }, dir }
}

async function stopHonoCeiling(hono: HonoCeiling): Promise<void> {
  await Promise.all(Object.values(hono.children).map((c) => c.stop()))
  rmSync(hono.dir, { recursive: true, force: true })
}

/** One ceiling run, driven and checked exactly as Parley's run of the same workload. */
async function driveHono(options: Options, hono: HonoCeiling, workload: Workload & { id: 'W2' | 'W3' }, connections: number): Promise<void> {
  const { phase, memory } = await drive(options, hono.children[workload.id], workload, connections, `bare Hono (${workload.id} body)`)
  if (memory.peakRssMb > hono.memory.peakRssMb) hono.memory = memory
  hono.phases[workload.id][connections] = phase
}

/**
 * The same pair under the old harness: autocannon inside this process (not pinned, as before 2026-12-04), against the
 * same two servers, in the same order as the pair just driven by wrk.
 */
async function driveOldHarness(
  options: Options,
  child: Child,
  hono: HonoCeiling,
  workload: Workload & { id: 'W2' | 'W3' },
  connections: number,
  honoFirst: boolean,
  old: OldHarness,
): Promise<void> {
  const parley = () => drive(options, child, workload, connections, `old harness: ${workload.id}`, 'autocannon')
  const ceiling = () =>
    drive(options, hono.children[workload.id], workload, connections, `old harness: bare Hono (${workload.id} body)`, 'autocannon')
  if (honoFirst) old.hono[workload.id] = (await ceiling()).phase
  old.parley[workload.id] = (await parley()).phase
  if (!honoFirst) old.hono[workload.id] = (await ceiling()).phase
}

async function workloadsOn(
  options: Options,
  child: Child,
  expected: Record<string, number>,
  bodies: Record<'W2' | 'W3', string>,
  levels: number[],
  withW1: boolean,
  tagBase: string,
  hono?: HonoCeiling,
  rep = 0,
  old?: OldHarness,
) {
  const runs: Array<Run & { ids?: string[]; tag?: string }> = []
  // Which of a pair runs first alternates from pair to pair and, for the same pair, from repetition to
  // repetition, so neither always meets the machine as the other left it.
  let pair = rep
  for (const workload of [w2(bodies.W2), w3(expected, bodies.W3)]) {
    for (const c of levels) {
      const honoFirst = hono !== undefined && pair++ % 2 === 1
      if (honoFirst) await driveHono(options, hono, workload as Workload & { id: 'W2' | 'W3' }, c)
      runs.push(await drive(options, child, workload, c))
      if (hono && !honoFirst) await driveHono(options, hono, workload as Workload & { id: 'W2' | 'W3' }, c)
      if (hono && old && c === levels[0]) await driveOldHarness(options, child, hono, workload as Workload & { id: 'W2' | 'W3' }, c, honoFirst, old)
    }
  }
  if (withW1) {
    for (const c of levels) {
      const tag = `${tagBase}-c${c}`
      const run: Run & { tag?: string } = await drive(options, child, w1(tag, nextSpace++ % 47), c)
      run.tag = tag
      runs.push(run)
    }
  }
  return runs
}

/** Ceiling (b): pgbench's one-row INSERT, in a database of its own, with Parley stopped. */
async function measurePgbench(options: Options, serverUrl: string, rep: number): Promise<Ceilings['pgbench']> {
  const name = `parley_bench_${process.pid}_pgbench${rep}`
  const url = await createDatabase(serverUrl, name)
  const results: Record<number, PgbenchResult> = {}
  try {
    await loadSchema(url)
    for (const c of options.connections) {
      results[c] = await insertCeiling(url, c, options.durationSeconds)
      log(`  pgbench INSERT @${c}: ${results[c].tps.toFixed(0)} tps, latency ${results[c].latencyMs} ms`)
    }
  } finally {
    await dropDatabase(serverUrl, name)
  }
  return results
}

let template: Promise<string> | undefined
/**
 * The migrated schema with the 10,000 background comments, built once per bench run; each repetition
 * starts from a copy (CREATE DATABASE … TEMPLATE), which is the same fresh state in a second instead of a minute.
 */
function backgroundTemplate(options: Options): Promise<string> {
  template ??= (async () => {
    const name = `parley_bench_${process.pid}_template`
    const started = performance.now()
    const url = await createDatabase(options.serverUrl, name)
    const db = openPostgres({ connectionString: url, max: 8 })
    try {
      await migrateToLatest(db)
      const deps = await buildDeps({ config: parleyConfig(url), db, log: () => {} })
      await seedBackground(db, deps.keys, deps.moderation, { comments: 10_000, articles: 500 })
    } finally {
      await db.destroy()
    }
    log(`  background (10,000 comments) seeded in bulk into a template database: ${((performance.now() - started) / 1000).toFixed(1)} s`)
    return name
  })()
  return template
}

export async function dropTemplate(options: Options): Promise<void> {
  if (template) await dropDatabase(options.serverUrl, await template)
}

/** A repetition on the server PostgreSQL, in a fresh database that is dropped afterwards. */
export async function postgresRep(options: Options, rep: number): Promise<Rep> {
  const loadAverage = loadavg()[0]!
  const name = `parley_bench_${process.pid}_${rep}`
  const url = await createDatabase(options.serverUrl, name, await backgroundTemplate(options))
  const db = openPostgres({ connectionString: url, max: 4 })
  let child: Child | undefined
  let hono: HonoCeiling | undefined
  try {
    const seedStart = performance.now()
    child = await startParley({ DATABASE_URL: url })
    const coldStartMs = child.coldStartMs
    log(`  cold start to a healthy /healthz: ${coldStartMs.toFixed(0)} ms`)
    const appStart = performance.now()
    const expected = await seedThroughApp(child.url, ADMIN_TOKEN)
    log(`  seeded through the app: ${((performance.now() - appStart) / 1000).toFixed(1)} s`)
    const seedMs = performance.now() - seedStart - coldStartMs
    const bodies = { W2: await bodyOf(child.url + W2_PATH), W3: await bodyOf(child.url + W3_PATH) }
    hono = await startHonoCeiling(bodies)
    const old: OldHarness | undefined = options.oldHarness ? { parley: {}, hono: {} } : undefined
    const runs = await workloadsOn(options, child, expected, bodies, options.connections, true, `${RUN_ID}-r${rep}`, hono, rep, old)
    await stopHonoCeiling(hono)
    const { phases, memory: honoMemory } = hono
    hono = undefined
    const limiter = rep === 1 ? await probeLimiter(child.url) : undefined
    if (limiter) log(`  rate limiter ${limiter}`)
    await child.stop()
    child = undefined
    await countStored(db, runs)
    const ceilings: Ceilings = { hono: phases, honoMemory, pgbench: await measurePgbench(options, options.serverUrl, rep) }
    return {
      database: 'postgres',
      loadAverage,
      coldStartMs,
      seedMs,
      bodyBytes: { W2: Buffer.byteLength(bodies.W2), W3: Buffer.byteLength(bodies.W3) },
      runs,
      ceilings,
      ...(limiter ? { limiter } : {}),
      ...(old ? { oldHarness: old } : {}),
    }
  } finally {
    if (hono) await stopHonoCeiling(hono)
    await child?.stop()
    await db.destroy()
    await dropDatabase(options.serverUrl, name)
  }
}

/**
 * The server on a new, empty DATA_DIR, as a first `npm start` meets it: time to a healthy /healthz, the
 * kernel's high-water mark of its RSS by then (VmHWM: the database's creation included), and its RSS a
 * second later, idle.
 */
export async function firstStart(): Promise<FirstStart> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-first-'))
  let child: Child | undefined
  try {
    child = await startParley({ DATA_DIR: dataDir })
    const atHealthy = sampleMemory(child.pid).stop()
    await new Promise((r) => setTimeout(r, 1_000))
    const idle = sampleMemory(child.pid).stop()
    log(
      `  first start on a new DATA_DIR: ${child.coldStartMs.toFixed(0)} ms, RSS high-water ${atHealthy.hwmMb.toFixed(0)} MB, idle ${idle.peakRssMb.toFixed(0)} MB`,
    )
    return { coldStartMs: child.coldStartMs, peakRssMb: atHealthy.hwmMb, idleRssMb: idle.peakRssMb }
  } finally {
    await child?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

let embeddedTemplate: { dir: string; expected: Record<string, number> } | undefined
/**
 * The background (10,000 comments, written in bulk) and the seed posted through the app, once, into an
 * embedded directory; each repetition starts on a copy of it.
 */
async function embeddedBackground(): Promise<{ dir: string; expected: Record<string, number> }> {
  if (embeddedTemplate) return embeddedTemplate
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-embedded-'))
  const started = performance.now()
  const db = await openEmbedded(join(dir, 'pgdata'))
  try {
    await migrateToLatest(db)
    const deps = await buildDeps({ config: parleyConfig(), db, log: () => {} })
    await seedBackground(db, deps.keys, deps.moderation, { comments: 10_000, articles: 500 })
  } finally {
    await db.destroy()
  }
  const child = await startParley({ DATA_DIR: dir })
  try {
    embeddedTemplate = { dir, expected: await seedThroughApp(child.url, ADMIN_TOKEN) }
  } finally {
    await child.stop()
  }
  log(`  embedded directory seeded (10,000 comments in bulk, then through the app): ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return embeddedTemplate
}

export function dropEmbeddedTemplate(): void {
  if (embeddedTemplate) rmSync(embeddedTemplate.dir, { recursive: true, force: true })
}

/** A repetition on the embedded database: a copy of the seeded directory, the server on it, W2, W3, W1. */
export async function embeddedRep(options: Options, rep: number): Promise<Rep> {
  const loadAverage = loadavg()[0]!
  const background = await embeddedBackground()
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-data-'))
  const pgdata = join(dataDir, 'pgdata')
  let child: Child | undefined
  try {
    cpSync(background.dir, dataDir, { recursive: true })
    const seedStart = performance.now()
    child = await startParley({ DATA_DIR: dataDir })
    const coldStartMs = child.coldStartMs
    const idleRssMb = sampleMemory(child.pid).stop().peakRssMb
    log(`  cold start to a healthy /healthz (embedded): ${coldStartMs.toFixed(0)} ms, RSS ${idleRssMb.toFixed(0)} MB`)
    const expected = background.expected
    const seedMs = performance.now() - seedStart - coldStartMs
    const bodies = { W2: await bodyOf(child.url + W2_PATH), W3: await bodyOf(child.url + W3_PATH) }
    const runs = await workloadsOn(options, child, expected, bodies, [options.connections[0]!], true, `${RUN_ID}-embedded${rep}`)
    await child.stop()
    child = undefined
    const db = await openEmbedded(pgdata)
    await countStored(db, runs)
    await db.destroy()
    return {
      database: 'embedded',
      loadAverage,
      coldStartMs,
      idleRssMb,
      seedMs,
      bodyBytes: { W2: Buffer.byteLength(bodies.W2), W3: Buffer.byteLength(bodies.W3) },
      runs,
    }
  } finally {
    await child?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** --large: one database with the large background, seeded once; W2/W3 at the first concurrency, `reps` times. */
export async function largeReps(options: Options): Promise<Rep[]> {
  const name = `parley_bench_${process.pid}_large`
  const url = await createDatabase(options.serverUrl, name)
  const db = openPostgres({ connectionString: url, max: 4 })
  let child: Child | undefined
  try {
    const seedStart = performance.now()
    await migrateToLatest(db)
    const deps = await buildDeps({ config: parleyConfig(url), db, log: () => {} })
    await seedLarge(db, deps.keys, deps.moderation, { comments: options.largeComments, articles: options.largeArticles, log })
    const total = await sql<{ n: number }>`select count(*)::int as n from comments`.execute(db)
    log(`  large seed done: ${total.rows[0]!.n} comments in ${((performance.now() - seedStart) / 1000).toFixed(0)} s`)
    const reps: Rep[] = []
    let expected: Record<string, number> | undefined
    let bodies: Record<'W2' | 'W3', string> | undefined
    for (let rep = 1; rep <= options.repetitions; rep++) {
      child = await startParley({ DATABASE_URL: url })
      const coldStartMs = child.coldStartMs
      expected ??= await seedThroughApp(child.url, ADMIN_TOKEN)
      bodies ??= { W2: await bodyOf(child.url + W2_PATH), W3: await bodyOf(child.url + W3_PATH) }
      log(`  large rep ${rep}: cold start ${coldStartMs.toFixed(0)} ms`)
      const runs = await workloadsOn(options, child, expected, bodies, [options.connections[0]!], false, `${RUN_ID}-large${rep}`)
      await child.stop()
      child = undefined
      reps.push({
        database: 'postgres-large',
        coldStartMs,
        seedMs: performance.now() - seedStart,
        bodyBytes: { W2: Buffer.byteLength(bodies.W2), W3: Buffer.byteLength(bodies.W3) },
        runs,
      })
    }
    return reps
  } finally {
    await child?.stop()
    await db.destroy()
    await dropDatabase(options.serverUrl, name)
  }
}

/** --profile: the server under `node --cpu-prof`, restarted per workload so each profile holds one workload. */
export async function profileRun(options: Options): Promise<Record<WorkloadId, { file: string; window: Run['window'] }>> {
  const name = `parley_bench_${process.pid}_profile`
  const url = await createDatabase(options.serverUrl, name, await backgroundTemplate(options))
  const db = openPostgres({ connectionString: url, max: 4 })
  const dir = mkdtempSync(join(tmpdir(), 'parley-profile-'))
  try {
    const seeder = await startParley({ DATABASE_URL: url })
    const expected = await seedThroughApp(seeder.url, ADMIN_TOKEN)
    const bodies = { W3: await bodyOf(seeder.url + W3_PATH) }
    await seeder.stop()
    const files = {} as Record<WorkloadId, { file: string; window: Run['window'] }>
    const c = options.connections[0]!
    for (const id of ['W2', 'W3', 'W1'] as const) {
      // Every thread writes its own profile (tsx's loader runs in one); the main thread's is CPU.<date>.<time>.<pid>.0.<n>.
      const into = join(dir, id)
      const child = await startParley({ DATABASE_URL: url }, ['--cpu-prof', `--cpu-prof-dir=${into}`])
      let run: Run
      try {
        // W2's reference from this server: its answer names the server's own address (avatar links), a new port each start.
        const workload = id === 'W2' ? w2(await bodyOf(child.url + W2_PATH)) : id === 'W3' ? w3(expected, bodies.W3) : w1(`${RUN_ID}-profile`, 46)
        run = await drive(options, child, workload, c)
      } finally {
        await child.stop()
      }
      const main = readdirSync(into).find((f) => /\.0\.\d+\.cpuprofile$/.test(f))
      files[id] = { file: join(into, main ?? 'missing.cpuprofile'), window: run.window }
    }
    return files
  } finally {
    await db.destroy()
    await dropDatabase(options.serverUrl, name)
  }
}

/** The bare Hono ceiling, bundled like Parley's own server so both run on plain node (no loader). */
async function bareHonoScript(): Promise<string> {
  const outfile = 'dist/bench/bare-hono.mjs'
  await build({
    entryPoints: ['scripts/bench/bare-hono.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: join(ROOT, outfile),
    logLevel: 'warning',
  })
  return outfile
}
