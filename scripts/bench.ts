// npm run bench — Parley's W1–W3 against the machine's ceilings (WORKLOADS.md), written to BENCHMARKS.md.
// `npm run bench -- --help` lists the flags; `--quick` for development.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { ROOT } from './bench/child.js'
import { parseOptions, type Options } from './bench/options.js'
import { PGBENCH } from './bench/pgbench.js'
import { WRK } from './bench/wrk.js'
import { renderProfile, summarizeProfile } from './bench/profile.js'
import { mergeReport, renderReport } from './bench/report.js'
import {
  dropEmbeddedTemplate,
  dropTemplate,
  embeddedRep,
  firstStart,
  largeReps,
  log,
  placementOf,
  postgresRep,
  profileRun,
  startCommand,
  useOptions,
  type FirstStart,
  type Rep,
} from './bench/runner.js'
import { dropStaleDatabases } from './bench/seed.js'
import { checksCost, embedSize, machine, workerSize, type Machine } from './bench/sizes.js'

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  useOptions(options)
  const started = performance.now()
  if (options.load === 'wrk' && !existsSync(WRK))
    throw new Error(`wrk not found at ${WRK} (apt-get install wrk, or set WRK; --load autocannon runs the old in-process harness)`)
  const place = placementOf(options)
  log(`load: ${options.load}${place.load ? ` pinned to CPU ${place.load}, servers to CPU ${place.server}` : ' (not pinned)'}`)
  if (!existsSync(PGBENCH)) log(`pgbench not found at ${PGBENCH} (set PGBENCH): the INSERT ceiling is measured through pg from Node instead`)
  const host = await machine(options.serverUrl)
  const stale = await dropStaleDatabases(options.serverUrl)
  if (stale.length) log(`dropped databases of interrupted bench runs: ${stale.join(', ')}`)
  log(`Parley bench: ${host.cpus} cores, Node ${host.node}, PostgreSQL ${host.postgres}, commit ${host.commit}`)

  try {
    await bench(options, host, started)
  } finally {
    await dropTemplate(options)
    dropEmbeddedTemplate()
  }
}

async function bench(options: Options, host: Machine, started: number): Promise<void> {
  if (options.profile) {
    const files = await profileRun(options)
    for (const [id, { file, window }] of Object.entries(files)) {
      if (!existsSync(file)) {
        log(`no profile written for ${id} (${file})`)
        continue
      }
      const title = `${id} @${options.connections[0]} connections, measured phase only`
      log(`\n${renderProfile(title, summarizeProfile(file, window))}\n(profile: ${file})`)
    }
    return
  }

  const [embed, worker, checks] = [await embedSize(), await workerSize(), await checksCost()]
  const reps: Rep[] = []
  for (let rep = 1; rep <= options.repetitions && !options.onlyEmbedded; rep++) {
    log(`repetition ${rep} of ${options.repetitions} (server PostgreSQL, fresh database)`)
    reps.push(await postgresRep(options, rep))
  }
  let embedded: { reps: Rep[]; firstStarts: FirstStart[] } | undefined
  if (options.embedded || options.onlyEmbedded) {
    embedded = { reps: [], firstStarts: [] }
    for (let rep = 1; rep <= options.repetitions; rep++) {
      log(`embedded database (PGlite), repetition ${rep} of ${options.repetitions}`)
      embedded.firstStarts.push(await firstStart())
      embedded.reps.push(await embeddedRep(options, rep))
    }
  }
  if (options.onlyEmbedded) {
    log(`\n--only-embedded: nothing written to ${options.out}`)
    return
  }
  let large: Rep[] | undefined
  if (options.large) {
    log(`--large: ${options.largeComments} comments over ${options.largeArticles} articles`)
    large = await largeReps(options)
  }

  // The command as pgbench ran it (at the first concurrency level), for the report.
  const ran = reps[0]?.ceilings?.pgbench[options.connections[0]!]?.command ?? 'pgbench (not run)'
  const pgbenchCommand = ran.replace(ROOT, '').replace(/ parley_bench_\S+$/, ' <scratch database>')
  const generated = renderReport({
    options,
    machine: host,
    reps,
    ...(embedded ? { embedded } : {}),
    ...(large ? { large } : {}),
    embed,
    worker,
    checks,
    pgbenchCommand,
    startCommand: startCommand(),
    placement: placementOf(options),
    wallSeconds: (performance.now() - started) / 1000,
    loadAverageEnd: loadavg()[0]!,
  })
  const file = options.out.startsWith('/') ? options.out : ROOT + options.out
  writeFileSync(file, mergeReport(existsSync(file) ? readFileSync(file, 'utf8') : undefined, generated))
  log(`\nwrote ${options.out}`)
}

main().catch((error) => {
  console.error('bench failed:', error instanceof Error ? (error.stack ?? error.message) : error)
  process.exit(1)
})
