import type { Context } from 'hono'
import type { AppEnv } from '../env.js'

// A mark on the answer itself: a WeakSet of every answer costs the garbage collector an ephemeron per request.
const COMPLETE = Symbol('complete')
type Marked = Response & { [COMPLETE]?: true }

/** True for an answer made here: it already carries the request id, Vary and CORS headers. */
export const isComplete = (response: Response): boolean => (response as Marked)[COMPLETE] === true

/** The headers every public JSON answer carries, then the route's own. */
export function publicHeaders(requestId: string, cors: Record<string, string> | undefined, extra: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Request-Id': requestId, Vary: 'Origin' }
  // Copied in, not spread: the cached counts answer makes these per request.
  if (cors) Object.assign(headers, cors)
  return Object.assign(headers, extra)
}

/** A JSON answer with exactly these plain headers, marked complete so the middleware adds nothing. */
export function plainJson(body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string>, status: 200 | 201 = 200): Response {
  const response: Marked = new Response(body, { status, headers })
  response[COMPLETE] = true
  return response
}

/** A counts answer's headers (the route and app.ts's cached fast path alike). */
const COUNTS_EXTRA = { 'Cache-Control': 'no-cache' }
export const countsHeaders = (requestId: string, cors: Record<string, string> | undefined) => publicHeaders(requestId, cors, COUNTS_EXTRA)

/**
 * A JSON answer for the hot public routes, built as a plain Response with plain headers. Headers set
 * through c.header() live in a Headers object (made per request) that the Node adapter must convert on
 * every answer; here the few headers these routes send (request id, Vary, CORS) are written out directly.
 */
export function fastJson(
  c: Context<AppEnv>,
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string>,
  status: 200 | 201 = 200,
): Response {
  return plainJson(body, publicHeaders(c.get('requestId'), c.get('corsHeaders'), headers), status)
}
