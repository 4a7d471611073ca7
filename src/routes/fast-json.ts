import type { Context } from 'hono'
import type { AppEnv } from '../env.js'

const complete = new WeakSet<Response>()

/** True for an answer made by fastJson: it already carries the request id, Vary and CORS headers. */
export const isComplete = (response: Response): boolean => complete.has(response)

/** The headers of a counts answer (route and app.ts's cached fast path alike). */
export function countsHeaders(requestId: string, cors: Record<string, string> | undefined): Record<string, string> {
  return { 'Content-Type': 'application/json', 'X-Request-Id': requestId, Vary: 'Origin', ...cors, 'Cache-Control': 'no-cache' }
}

/** A plain 200 JSON answer with exactly these headers, marked complete. */
export function plainJson(body: string, headers: Record<string, string>): Response {
  const response = new Response(body, { status: 200, headers })
  complete.add(response)
  return response
}

/**
 * A JSON answer for the hot public routes, built as a plain Response with plain headers. Headers set
 * through c.header() live in a Headers object (made per request) that the Node adapter must convert on
 * every answer; here the few headers these routes send (request id, Vary, CORS) are written out directly,
 * and the app's middleware, seeing the answer complete, adds nothing.
 */
export function fastJson(c: Context<AppEnv>, body: string, headers: Record<string, string>, status: 200 | 201 = 200): Response {
  const response = new Response(body, {
    status,
    headers: {
      'Content-Type': 'application/json',
      'X-Request-Id': c.get('requestId'),
      Vary: 'Origin',
      ...c.get('corsHeaders'),
      ...headers,
    },
  })
  complete.add(response)
  return response
}
