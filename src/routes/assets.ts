import { Hono } from 'hono'
import type { AppEnv, Deps } from '../env.js'
import { AppError } from '../errors.js'
import { identiconSvg } from '../views/identicon.js'
import { tables } from '../embed/lang/index.js'

const YEAR = 31_536_000
// One script per process (or isolate): its hash is computed once, even where deps are rebuilt per request.
let cached: { script: string; version: Promise<string> } | undefined

/** The embed script's version: the start of its SHA-256, computed once per bundled script. */
export function embedVersion(assets: Deps['assets']): Promise<string> | undefined {
  const script = assets?.embedJs
  if (!script) return undefined
  if (cached?.script !== script) {
    const version = crypto.subtle
      .digest('SHA-256', new TextEncoder().encode(script))
      .then((digest) => Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join(''))
    cached = { script, version }
  }
  return cached.version
}

export const assetRoutes = new Hono<AppEnv>()
  // GET /avatar/:seed.svg — an identicon drawn from a keyed hash; the same seed always draws the same picture.
  .get('/avatar/:file{[0-9a-f]{20}\\.svg}', (c) => {
    const seed = c.req.param('file').slice(0, 20)
    c.header('Cache-Control', `public, max-age=${YEAR}, immutable`)
    c.header('Access-Control-Allow-Origin', '*')
    c.header('Cross-Origin-Resource-Policy', 'cross-origin')
    return c.body(identiconSvg(seed), 200, { 'Content-Type': 'image/svg+xml' })
  })
  // GET /embed/lang/CODE.json — a language's strings, fetched by the embed on pages in that language.
  .get('/embed/lang/:file{[a-z]{2}\\.json}', (c) => {
    const table = tables[c.req.param('file').slice(0, 2)]
    if (!table) throw new AppError('not_found', 'Parley has no strings in this language.')
    c.header('Cache-Control', 'public, max-age=86400, stale-while-revalidate=604800')
    c.header('Access-Control-Allow-Origin', '*')
    c.header('Cross-Origin-Resource-Policy', 'cross-origin')
    c.header('X-Content-Type-Options', 'nosniff')
    return c.json(table)
  })
  // GET /embed.js[?v=VERSION] — the script sites put under their articles. With its current version in the URL
  // it is cached for a year; the plain URL that sites paste is cached for a day and revalidated by ETag.
  .get('/embed.js', async (c) => {
    const assets = c.var.deps.assets
    const version = await embedVersion(assets)
    if (!version || !assets?.embedJs) throw new AppError('not_found', 'The embed script has not been built (npm run build:embed).')
    const etag = `"${version}"`
    const pinned = c.req.query('v') === version
    c.header('ETag', etag)
    c.header('Cache-Control', pinned ? `public, max-age=${YEAR}, immutable` : 'public, max-age=86400, stale-while-revalidate=604800')
    c.header('Cross-Origin-Resource-Policy', 'cross-origin')
    c.header('X-Content-Type-Options', 'nosniff')
    if (
      c.req
        .header('If-None-Match')
        ?.split(/\s*,\s*/)
        .some((tag) => tag.replace(/^W\//, '') === etag)
    ) {
      return c.body(null, 304)
    }
    return c.body(assets.embedJs, 200, { 'Content-Type': 'text/javascript; charset=utf-8' })
  })
