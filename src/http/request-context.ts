import { createMiddleware } from 'hono/factory'
import type { AppEnv, Deps } from '../env.js'
import { header } from './request-header.js'
import { isComplete } from './fast-json.js'

/** Ids drawn at once; each is 16 hex digits of a batch's random bytes. */
const BATCH = 256
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

/**
 * Request ids: random, drawn BATCH at a time and written out as hex once per batch (a random draw, or even the hex of
 * one, per request costs more than the rest of a cached answer; a counter would tell clients how busy the instance
 * is). A client's X-Request-Id (a proxy's, as a rule) is kept for log correlation only when it is a plain token.
 */
export function createRequestIds(): (given: string | undefined) => string {
  const bytes = new Uint8Array(BATCH * 8)
  let ids = ''
  let next = BATCH
  return (given) => {
    if (given !== undefined && /^[A-Za-z0-9._:-]{1,64}$/.test(given)) return given
    if (next === BATCH) {
      crypto.getRandomValues(bytes)
      let hex = ''
      for (const byte of bytes) hex += HEX[byte]!
      ids = hex
      next = 0
    }
    const start = 16 * next++
    return ids.slice(start, start + 16)
  }
}

/** One request log line (when LOG_REQUESTS is on). */
export function logRequest(deps: Deps, method: string, path: string, status: number, started: number, requestId: string): void {
  // Path only: query strings can carry article keys or, for the moderator export, an email.
  deps.log({ msg: 'request', method, path: loggedPath(path), status, ms: Math.round((performance.now() - started) * 10) / 10, requestId })
}

/** Every request: its deps, id, base URL for links, the X-Request-Id answer header and the log line. */
export function requestContext(deps: Deps, requestId: (given: string | undefined) => string) {
  const { config } = deps
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now()
    c.set('deps', deps)
    const id = requestId(header(c, 'x-request-id'))
    c.set('requestId', id)
    c.set('baseUrl', config.publicUrl ?? originOf(c.req.url))
    await next()
    // Hot answers (fastJson) carry it already; the rest get it here (c.header before the handler would
    // make a Headers object for every request).
    if (!isComplete(c.res)) c.res.headers.set('X-Request-Id', id)
    if (config.logRequests) logRequest(deps, c.req.method, c.req.path, c.res.status, started, id)
  })
}

/** The path as logged: a one-click link's token is a capability, so its route is logged, not the token. */
function loggedPath(path: string): string {
  return path.startsWith('/admin/act/') ? '/admin/act/:token' : path
}

/** scheme://host[:port] of an absolute URL, without a full URL parse on every request. */
function originOf(url: string): string {
  const slash = url.indexOf('/', url.indexOf('//') + 2)
  return slash === -1 ? url : url.slice(0, slash)
}
