import type { Context, Hono } from 'hono'
import type { PublicCache } from '../cache/public-cache.js'
import type { AppEnv, Deps } from '../env.js'
import { requestHeader } from './request-header.js'
import { countsHeaders, plainJson } from './fast-json.js'
import type { CorsHeaders } from './cors.js'
import type { ReadLimit } from './read-limit.js'
import { logRequest } from './request-context.js'

const COUNTS_PATH = '/api/counts'

/**
 * A cached counts answer (the most frequent request of a page with comment counts) is sent before routing: the same
 * bytes and headers as the counts route's cache hit (test/public-cache.test.ts compares the two), without the router
 * and the middleware around it. Anything else, or a miss, goes through the app as usual.
 */
export function answerCachedCountsFirst(
  app: Hono<AppEnv>,
  deps: Deps,
  cache: PublicCache,
  tools: { requestId: (given: string | undefined) => string; corsHeaders: CorsHeaders; reads: ReadLimit },
): void {
  const routed = app.fetch
  const cachedCounts = (request: Request, env: unknown): Response | undefined => {
    if (request.method !== 'GET') return undefined
    // The path and query only, where the runtime tells them; else the full URL, whose path starts after its host.
    const url = deps.requestTarget?.(env) ?? request.url
    const path = url.startsWith('/') ? 0 : url.indexOf('/', url.indexOf('//') + 2)
    const query = url.indexOf('?', path)
    if (query - path !== COUNTS_PATH.length || !url.startsWith(COUNTS_PATH, path)) return undefined
    const started = deps.config.logRequests ? performance.now() : 0
    const body = cache.answer(url.slice(query + 1), Date.now())
    if (body === undefined) return undefined
    // The read limit counts cached answers too (an over-limit client goes the routed way, which answers 429).
    if (deps.config.checks.rateReadsPerMinute > 0) {
      const view = { env, req: { raw: request, header: (name: string) => request.headers.get(name) ?? undefined }, get: () => deps }
      if (tools.reads.count(view as unknown as Context<AppEnv>) !== undefined) return undefined
    }
    const requestId = tools.requestId(requestHeader(deps, request, env, 'x-request-id'))
    const response = plainJson(body, countsHeaders(requestId, tools.corsHeaders(requestHeader(deps, request, env, 'origin'))))
    if (deps.config.logRequests) logRequest(deps, 'GET', COUNTS_PATH, 200, started, requestId)
    return response
  }
  app.fetch = (request, env, ctx) => cachedCounts(request, env) ?? routed(request, env, ctx)
}
