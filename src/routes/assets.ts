import { Hono } from 'hono'
import type { AppEnv } from '../env.js'
import { AppError } from '../errors.js'
import { identiconSvg } from '../views/identicon.js'

export const assetRoutes = new Hono<AppEnv>()
  // GET /avatar/:seed.svg — an identicon drawn from a keyed hash; the same seed always draws the same picture.
  .get('/avatar/:file{[0-9a-f]{20}\\.svg}', (c) => {
    const seed = c.req.param('file').slice(0, 20)
    c.header('Cache-Control', 'public, max-age=31536000, immutable')
    c.header('Access-Control-Allow-Origin', '*')
    return c.body(identiconSvg(seed), 200, { 'Content-Type': 'image/svg+xml' })
  })
  // GET /embed.js — the script sites put under their articles.
  .get('/embed.js', (c) => {
    const script = c.var.deps.assets?.embedJs
    if (!script) throw new AppError('not_found', 'The embed script has not been built (npm run build:embed).')
    c.header('Cache-Control', 'public, max-age=300')
    return c.body(script, 200, { 'Content-Type': 'text/javascript; charset=utf-8' })
  })
