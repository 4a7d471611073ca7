import { cors } from 'hono/cors'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.js'
import { header } from './request-header.js'
import { isComplete } from './fast-json.js'

export type CorsHeaders = (origin: string | undefined) => Record<string, string> | undefined

/**
 * CORS for the public API (ALLOWED_ORIGINS; `*` allows any). Preflights go to hono/cors. For the requests themselves
 * the same headers are set here: hono/cors touches c.res before the handler and appends Vary after it, and either
 * makes Hono rebuild every response as a full web Response (measured: a quarter of W2's CPU spent re-encoding the body).
 */
export function publicCors(allowedOrigins: string[]) {
  const allowed = (origin: string) => allowedOrigins.includes('*') || allowedOrigins.includes(origin)
  const headersFor: CorsHeaders = (origin) =>
    origin && allowed(origin) ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'ETag,Retry-After' } : undefined
  const preflight = cors({
    origin: (origin) => (allowed(origin) ? origin : null),
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['Content-Type', 'If-None-Match'],
    exposeHeaders: ['ETag', 'Retry-After'],
    maxAge: 86_400,
  })
  const middleware = createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next)
    const headers = headersFor(header(c, 'origin'))
    if (headers) c.set('corsHeaders', headers)
    await next()
    // fastJson answers carry these already; set on the others after the handler.
    if (isComplete(c.res)) return
    const vary = c.res.headers.get('Vary')
    if (!vary) c.res.headers.set('Vary', 'Origin')
    else if (!/(^|,)\s*origin\s*(,|$)/i.test(vary)) c.res.headers.set('Vary', `${vary}, Origin`)
    for (const [name, value] of Object.entries(headers ?? {})) c.res.headers.set(name, value)
  })
  return { middleware, headersFor }
}
