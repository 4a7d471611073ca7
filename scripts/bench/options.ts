// Flags of `npm run bench -- …`.
import { parseArgs } from 'node:util'

export type Options = {
  warmupSeconds: number
  durationSeconds: number
  repetitions: number
  connections: number[]
  embedded: boolean
  large: boolean
  largeComments: number
  largeArticles: number
  profile: boolean
  out: string
  serverUrl: string
  quick: boolean
  /** The load generator: wrk in its own process (default), or autocannon inside the bench's process (the old harness). */
  load: 'wrk' | 'autocannon'
  /**
   * With wrk: also drive W2 and W3 at the first concurrency level with the old harness (autocannon in the bench's
   * process), Parley and bare Hono, beside the wrk runs of each repetition, for issue 20's comparison of the ratios.
   */
  oldHarness: boolean
  /** Pin the server and the load generator to different cores (taskset), where there are two or more. */
  pin: boolean
  /** Only the embedded database's runs (no server PostgreSQL repetitions, no ceilings). */
  onlyEmbedded: boolean
  argv: string[]
}

export const USAGE = `npm run bench -- [flags]
  --quick              1 s warm-up, 3 s measured, 1 repetition (for development)
  --reps N             repetitions on a fresh database each (default 3; the table shows medians)
  --warmup S           warm-up seconds per run (default 3)
  --duration S         measured seconds per run (default 10)
  --connections 50,1   concurrency levels (default 50,1)
  --load wrk|autocannon  the load generator: wrk in its own process, pinned to its own core (default), or
                       autocannon inside the bench's own process (the harness before 2026-12-04)
  --no-old-harness     with wrk, skip the old harness's W2/W3 runs beside it (by default each repetition also drives
                       W2 and W3 at the first concurrency level with autocannon in the bench's process, Parley and
                       bare Hono, and the targets compare the ratios of the two harnesses)
  --no-pin             do not pin the server and wrk to separate cores (taskset)
  --no-embedded        skip the runs on the embedded database
  --only-embedded      only the embedded database's runs (memory, starts, W1–W3; development)
  --large              also seed 1,000,000 comments over 50,000 articles and run W2/W3 there
  --large-comments N / --large-articles N   resize the large data set (development only)
  --profile            instead of the table: CPU-profile the server (node --cpu-prof) during W1/W2/W3 at the
                       first concurrency level and print the heaviest functions
  --out FILE           where the report goes (default BENCHMARKS.md)
  --server URL         the PostgreSQL server (default $BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres)`

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      reps: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      'no-embedded': { type: 'boolean', default: false },
      'only-embedded': { type: 'boolean', default: false },
      load: { type: 'string' },
      'no-pin': { type: 'boolean', default: false },
      'no-old-harness': { type: 'boolean', default: false },
      large: { type: 'boolean', default: false },
      'large-comments': { type: 'string' },
      'large-articles': { type: 'string' },
      profile: { type: 'boolean', default: false },
      out: { type: 'string' },
      server: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const number = (value: string | undefined, fallback: number, name: string) => {
    if (value === undefined) return fallback
    const n = Number(value)
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number, got ${value}`)
    return n
  }
  const quick = values.quick
  return {
    quick,
    warmupSeconds: number(values.warmup, quick ? 1 : 3, 'warmup'),
    durationSeconds: number(values.duration, quick ? 3 : 10, 'duration'),
    repetitions: Math.max(1, Math.round(number(values.reps, quick ? 1 : 3, 'reps'))),
    connections: (values.connections ?? '50,1').split(',').map((c) => Math.max(1, Math.round(Number(c)))),
    embedded: !values['no-embedded'],
    large: values.large,
    largeComments: number(values['large-comments'], 1_000_000, 'large-comments'),
    largeArticles: number(values['large-articles'], 50_000, 'large-articles'),
    profile: values.profile,
    out: values.out ?? 'BENCHMARKS.md',
    serverUrl: values.server ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    load: loadOf(values.load),
    oldHarness: loadOf(values.load) === 'wrk' && !values['no-old-harness'],
    pin: !values['no-pin'],
    onlyEmbedded: values['only-embedded'],
    argv,
  }
}

function loadOf(value: string | undefined): Options['load'] {
  if (value === undefined || value === 'wrk' || value === 'autocannon') return value ?? 'wrk'
  throw new Error(`--load must be wrk or autocannon, got ${value}`)
}
