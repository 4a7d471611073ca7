import type { Context } from 'hono'
import type { AppEnv, Deps } from './env.js'

/**
 * The client's address: with TRUST_PROXY what the proxy reports (CF-Connecting-IP, else the first
 * X-Forwarded-For), otherwise the connection's peer where the runtime knows it. Read only where a route
 * needs it (posting), not for every request.
 */
export function clientIp(c: Context<AppEnv>): string | null {
  const deps = c.get('deps')
  if (deps.config.trustProxy) {
    const cf = header(c, 'cf-connecting-ip')?.trim()
    if (cf) return cf
    const forwarded = header(c, 'x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded
  }
  return deps.remoteAddress?.(c) ?? null
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
