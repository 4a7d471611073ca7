import type { Context } from 'hono'
import type { AppEnv } from '../env.js'

/**
 * A 200 JSON answer for the hot public reads, built as a plain Response with plain headers. Headers set
 * through c.header() live in a Headers object that the Node adapter must convert on every answer; here
 * the few headers these routes send (request id, Vary, CORS) are written out directly.
 */
export function fastJson(c: Context<AppEnv>, body: string, headers: Record<string, string>): Response {
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': 'application/json',
      'X-Request-Id': c.var.requestId,
      Vary: 'Origin',
      ...c.var.corsHeaders,
      ...headers,
    },
  })
}
