// The idle trim (src/node/memory.ts): one memory-releasing collection once the server falls quiet after a burst
// that grew its RSS, never while requests arrive or are in flight, and not again until the next burst.
import { describe, expect, it } from 'vitest'
import { trimWhenIdle } from '../src/node/memory.js'

const MB = 1024 * 1024

function fixture(options: { growth?: number } = {}) {
  const state = { requests: 0, inFlight: 0, rss: 100 * MB, collections: 0 }
  const trim = trimWhenIdle({
    activity: () => state.requests,
    busy: () => state.inFlight > 0,
    rss: () => state.rss,
    collect: () => {
      state.collections++
      state.rss = 110 * MB
    },
    minGrowthBytes: (options.growth ?? 8) * MB,
    everyMs: 3_600_000,
  })
  /** A burst of one request that leaves the RSS at `rssMb`, seen by one tick. */
  const burst = (rssMb: number) => {
    state.requests++
    state.rss = rssMb * MB
    trim.tick()
  }
  return { state, trim, burst }
}

describe('trimWhenIdle', () => {
  it('collects once the requests stop after a burst that grew the RSS, and not again while quiet', () => {
    const { state, trim } = fixture()
    state.requests += 500
    state.rss = 150 * MB
    expect(trim.tick()).toBe(false) // requests came during this tick
    state.requests += 300
    expect(trim.tick()).toBe(false)
    expect(state.collections).toBe(0)
    expect(trim.tick()).toBe(true) // a whole tick without a request
    expect(state.collections).toBe(1)
    expect(trim.tick()).toBe(false)
    expect(trim.tick()).toBe(false)
    expect(trim.trims).toBe(1)
    trim.stop()
  })

  it('waits while a request is in flight, then collects', () => {
    const { state, trim, burst } = fixture()
    burst(150)
    state.inFlight = 1
    expect(trim.tick()).toBe(false)
    state.inFlight = 0
    expect(trim.tick()).toBe(true)
    trim.stop()
  })

  it('leaves a burst that did not grow the RSS by the threshold alone, and measures from the last trim', () => {
    const { state, trim, burst } = fixture()
    burst(105)
    expect(trim.tick()).toBe(false)
    expect(state.collections).toBe(0)
    // A bigger burst: trimmed (RSS back to 110 MB), then one that grows it by 5 MB from there is not worth a pause.
    burst(140)
    expect(trim.tick()).toBe(true)
    burst(115)
    expect(trim.tick()).toBe(false)
    expect(state.collections).toBe(1)
    trim.stop()
  })

  it('does nothing without a collection to run (node without --expose-gc)', () => {
    const exposed = globalThis.gc
    globalThis.gc = undefined
    try {
      let requests = 0
      let rss = 100 * MB
      const trim = trimWhenIdle({ activity: () => requests, busy: () => false, rss: () => rss })
      requests++
      rss = 200 * MB
      trim.tick()
      expect(trim.tick()).toBe(false)
      expect(trim.trims).toBe(0)
      trim.stop()
    } finally {
      globalThis.gc = exposed
    }
  })
})
