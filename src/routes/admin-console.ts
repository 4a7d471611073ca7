import { Hono } from 'hono'
import { consolePage } from '../admin/page.js'
import { consoleCss } from '../admin/style.js'
import type { AppEnv } from '../env.js'
import { AppError } from '../errors.js'
import { adminLinkRoutes } from './admin-links.js'
import { secureHtml } from './secure-html.js'

/** The page itself holds nothing private (the token lives in the moderator's tab), so it is public. */
const security = secureHtml({ scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], connectSrc: ["'self'"] })

// GET /admin — the moderator console; /admin/act/:token — one-click links from webhook notifications.
export const adminConsoleRoutes = new Hono<AppEnv>()
  .use(security)
  .get('/', (c) => {
    c.header('Cache-Control', 'no-cache')
    return c.html(consolePage)
  })
  // GET /admin/console.js — the console's script, built from src/admin/console by npm run build:embed.
  .get('/console.js', (c) => {
    const script = c.var.deps.assets?.consoleJs
    if (!script) throw new AppError('not_found', 'The console script has not been built (npm run build:embed).')
    c.header('Cache-Control', 'public, max-age=300')
    return c.body(script, 200, { 'Content-Type': 'text/javascript; charset=utf-8' })
  })
  .get('/console.css', (c) => {
    c.header('Cache-Control', 'public, max-age=300')
    return c.body(consoleCss, 200, { 'Content-Type': 'text/css; charset=utf-8' })
  })
  .route('/act', adminLinkRoutes)
