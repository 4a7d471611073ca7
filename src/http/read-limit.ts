// Public reads per client address: a list page can be ~512 KiB for a ~150-byte request, so one address may not ask
// for an unbounded number of them (security review I4). Counted in this process's memory, in one-minute windows:
// no store round trip, so a cached answer stays as cheap as it was.
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.js'
import { AppError } from '../errors.js'
import { limitPrefix } from '../privacy/ip.js'
import { clientIp, header } from './request-header.js'

const WINDOW_MS = 60_000
/** Addresses counted at once; past it the window starts over (an attacker with that many addresses is not slowed by any per-address count). */
const MAX_TRACKED = 100_000

export type ReadLimit = {
  /** Counts one read from `c`'s client: seconds to wait when it is over the limit, else undefined. */
  count: (c: Context<AppEnv>) => number | undefined
}

/** RATE_READS_PER_MINUTE reads per IPv4 address or IPv6 /64 (the address as TRUST_PROXY defines it); 0: no limit. */
export function readLimit(perMinute: number, now: () => number = Date.now): ReadLimit {
  const counts = new Map<string, number>()
  let windowEnd = 0
  // Parsing an address costs more than a cached answer (~50–80 µs for an IPv6 or IPv4-mapped one, measured):
  // the key is remembered by what clientIp reads, the peer and the one header TRUST_PROXY names, a map of the
  // latter per peer (the peer's string is the socket's own, hashed once; a joined string would be hashed per read).
  const keys = new Map<string, Map<string, string | null>>()
  let remembered = 0
  const keyOf = (c: Context<AppEnv>): string | null => {
    const deps = c.get('deps')
    const trust = deps.config.trustProxy.kind
    const told = trust === 'none' ? '' : (header(c, trust === 'cloudflare' ? 'cf-connecting-ip' : 'x-forwarded-for') ?? '')
    const peer = deps.remoteAddress?.(c) ?? ''
    let byTold = keys.get(peer)
    let key = byTold?.get(told)
    if (key === undefined) {
      const ip = clientIp(c)
      key = ip === null ? null : limitPrefix(ip)
      if (peer.length + told.length <= 256) {
        if (remembered >= MAX_TRACKED) {
          keys.clear()
          remembered = 0
          byTold = undefined
        }
        if (!byTold) keys.set(peer, (byTold = new Map<string, string | null>()))
        byTold.set(told, key)
        remembered++
      }
    }
    return key
  }
  return {
    count(c) {
      if (perMinute === 0) return undefined
      const key = keyOf(c)
      if (key === null) return undefined
      const time = now()
      if (time >= windowEnd) {
        counts.clear()
        windowEnd = time + WINDOW_MS
      } else if (counts.size >= MAX_TRACKED && !counts.has(key)) counts.clear()
      const used = (counts.get(key) ?? 0) + 1
      counts.set(key, used)
      return used > perMinute ? Math.max(1, Math.ceil((windowEnd - time) / 1000)) : undefined
    },
  }
}

export function readLimited(seconds: number): AppError {
  return new AppError('rate_limited', `Too many requests from your address. Please try again in ${seconds} seconds.`, {
    headers: { 'Retry-After': String(seconds) },
  })
}

/** The limit on the public read routes (GET and HEAD; posting has its own limits). */
export function readLimitMiddleware(limit: ReadLimit) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') {
      const wait = limit.count(c)
      if (wait !== undefined) throw readLimited(wait)
    }
    await next()
  })
}
