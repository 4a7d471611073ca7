import type { Context } from 'hono'
import type { TrustProxy } from '../config.js'
import type { AppEnv, Deps } from '../env.js'
import { inRanges, parseIp, type IpAddress } from '../privacy/ip.js'

/**
 * The client's address as the proxy chain defines it (TRUST_PROXY, config.ts), in canonical form; else the
 * connection's peer where the runtime knows it. A reported value that is not an address is not believed
 * (the peer is used). Read only where a route needs it (posting, failed moderator sign-ins).
 */
export function clientIp(c: Context<AppEnv>): string | null {
  const deps = c.get('deps')
  const peerText = deps.remoteAddress?.(c)
  const peer = peerText ? parseIp(peerText) : null
  const trust = deps.config.trustProxy
  let client = peer
  if (trust.kind === 'cloudflare') {
    client = parseIp(header(c, 'cf-connecting-ip') ?? '') ?? peer
  } else if (trust.kind !== 'none') {
    const forwarded = (header(c, 'x-forwarded-for') ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
    client = fromChain(forwarded, peer, trust) ?? peer
  }
  return client ? client.toString() : null
}

/** Walks X-Forwarded-For from the right, past the trusted proxies, to the entry the last of them added. */
function fromChain(forwarded: string[], peer: IpAddress | null, trust: Extract<TrustProxy, { kind: 'hops' | 'ranges' }>): IpAddress | null {
  if (trust.kind === 'hops') {
    // The chain as the last proxy saw it, the peer included: the client is `hops` from its right end.
    if (forwarded.length === 0) return null
    const entry = forwarded[Math.max(0, forwarded.length - trust.hops)]!
    return parseIp(entry)
  }
  // Ranges: only a trusted peer may speak for someone else.
  if (!peer || !inRanges(peer, trust.ranges)) return null
  for (let i = forwarded.length - 1; i >= 0; i--) {
    const address = parseIp(forwarded[i]!)
    if (!address) return null
    if (!inRanges(address, trust.ranges)) return address
  }
  return forwarded.length > 0 ? parseIp(forwarded[0]!) : null
}

/**
 * A request header by its lowercase name, the cheapest way the runtime allows: from the runtime's own
 * request where the entry knows how (Deps.readHeader), else from the web Request.
 */
export function requestHeader(deps: Deps, request: Request, env: unknown, name: Lowercase<string>): string | undefined {
  return deps.readHeader ? deps.readHeader(env, name) : (request.headers.get(name) ?? undefined)
}

/** requestHeader for a route or middleware. */
export function header(c: Context<AppEnv>, name: Lowercase<string>): string | undefined {
  return requestHeader(c.get('deps'), c.req.raw, c.env, name)
}
