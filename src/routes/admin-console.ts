import { Hono } from 'hono'
import { consolePage } from '../admin/page.js'
import { consoleJs } from '../admin/script.js'
import { consoleCss } from '../admin/style.js'
import type { AppEnv } from '../env.js'
import { adminLinkRoutes } from './admin-links.js'

/** The page itself holds nothing private (the token lives in the moderator's tab), so it is public. */
const security = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
}

// GET /admin — the moderator console; /admin/act/:token — one-click links from webhook notifications.
export const adminConsoleRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    await next()
    for (const [name, value] of Object.entries(security)) c.header(name, value)
  })
  .get('/', (c) => {
    c.header('Cache-Control', 'no-cache')
    return c.html(consolePage)
  })
  .get('/console.js', (c) => {
    c.header('Cache-Control', 'public, max-age=300')
    return c.body(consoleJs, 200, { 'Content-Type': 'text/javascript; charset=utf-8' })
  })
  .get('/console.css', (c) => {
    c.header('Cache-Control', 'public, max-age=300')
    return c.body(consoleCss, 200, { 'Content-Type': 'text/css; charset=utf-8' })
  })
  .route('/act', adminLinkRoutes)
