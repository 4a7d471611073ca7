// Gives the heap's spare pages back to the operating system once the server falls quiet after a burst.
//
// V8 (Node 24) keeps the pages a garbage collection frees in a pool, resident, for the heap to reuse; only a
// memory-reducing collection releases them, and V8 starts one by itself only after seconds of low allocation,
// which a server that is never quite idle rarely has. So a burst's high-water mark stayed in the RSS for good
// (BENCHMARKS.md, issue 20: 20–35 MB of pooled pages after the bench's seed, --trace-gc's "pooled"). Here, when
// no request came for a whole tick and none is in flight, and the RSS grew by `minGrowthBytes` since the last
// trim, one full collection that releases the pool runs (globalThis.gc, `npm start` passes --expose-gc; without
// it this does nothing; --no-flush-bytecode keeps it from discarding compiled code). It pauses the process
// (80–600 ms measured on a busy 2-core machine), which is why it waits for a quiet moment.

export type IdleTrimOptions = {
  /** A count that moves with every request (the server's request events). */
  activity: () => number
  /** True while requests are in flight: no pause then, even if none arrived this tick. */
  busy: () => boolean
  /** How much the RSS must have grown since the last trim (or the start) to be worth a pause. */
  minGrowthBytes?: number
  /** The collection that releases V8's pooled pages (default: globalThis.gc's last-resort flavour, if exposed). */
  collect?: () => void
  rss?: () => number
  /** How often to look (default 1 s); a trim needs one whole tick without a new request. */
  everyMs?: number
  /** Told of each trim: the RSS before and after (MB) and how long the pause took (ms). */
  onTrim?: (trim: { rssBeforeMb: number; rssAfterMb: number; pauseMs: number }) => void
}

export type IdleTrim = {
  /** One look: trims if the server went quiet since the last look after some activity. True when it trimmed. */
  tick: () => boolean
  /** How many trims ran. */
  readonly trims: number
  stop: () => void
}

export const TRIM_MIN_GROWTH_BYTES = 8 * 1024 * 1024

const lastResortGc = (): (() => void) | undefined => {
  const gc = globalThis.gc
  return gc ? () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' }) : undefined
}

/** Starts the idle trim (a timer that never holds the process open); a no-op object when no collection is available. */
export function trimWhenIdle(options: IdleTrimOptions): IdleTrim {
  const collect = options.collect ?? lastResortGc()
  const rss = options.rss ?? (() => process.memoryUsage.rss())
  const minGrowth = options.minGrowthBytes ?? TRIM_MIN_GROWTH_BYTES
  let seen = options.activity()
  // Activity since the last trim that has not been looked at while quiet yet.
  let pending = false
  let baseline = rss()
  let trims = 0
  const tick = (): boolean => {
    const now = options.activity()
    if (now !== seen) {
      seen = now
      pending = true
      return false
    }
    if (!pending || !collect || options.busy()) return false
    pending = false
    const before = rss()
    if (before - baseline < minGrowth) return false
    const started = performance.now()
    collect()
    const pauseMs = performance.now() - started
    trims++
    baseline = rss()
    const mb = (bytes: number) => Math.round(bytes / 1048576)
    options.onTrim?.({ rssBeforeMb: mb(before), rssAfterMb: mb(baseline), pauseMs: Math.round(pauseMs) })
    return true
  }
  const timer = collect ? setInterval(tick, options.everyMs ?? 1_000) : undefined
  timer?.unref()
  return {
    tick,
    get trims() {
      return trims
    },
    stop: () => clearInterval(timer),
  }
}
