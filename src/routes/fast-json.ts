import type { Context } from 'hono'
import type { AppEnv } from '../env.js'

const complete = new WeakSet<Response>()

/** True for an answer made by fastJson: it already carries the request id, Vary and CORS headers. */
export const isComplete = (response: Response): boolean => complete.has(response)

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
