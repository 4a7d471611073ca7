import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { isComplete } from '../http/fast-json.js'

type Csp = NonNullable<Parameters<typeof secureHeaders>[0]>['contentSecurityPolicy']

/**
 * The security headers every HTML page Parley serves carries (hono/secure-headers): a strict CSP (nothing
 * runs or loads unless the page names it; no framing, no <base>, forms post only to Parley), nosniff,
 * no referrer, no framing, its own browsing context group.
 */
export function secureHtml(csp: Csp): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"], frameAncestors: ["'none'"], ...csp },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
  })
}

/** secureHtml for a route that answers JSON as a rule and a page now and then (a refused no-JavaScript post). */
export function secureHtmlAnswers(csp: Csp): MiddlewareHandler {
  const apply = secureHtml(csp)
  return async (c, next) => {
    await next()
    // JSON answers are left untouched (setting headers on them after the fact costs a rebuilt response).
    if (!isComplete(c.res) && c.res.headers.get('Content-Type')?.startsWith('text/html')) await apply(c, async () => {})
  }
}
