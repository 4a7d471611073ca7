import { Hono } from 'hono'
import type { Config } from '../config.js'
import type { AppEnv } from '../env.js'

/**
 * GET /openapi.json — the API's own description (made in src/api from the schemas that validate, with this
 * deployment's limits), with `servers` naming the service that answered. The document comes in from createApp,
 * so routes/ does not import api/ (which imports the routes' schemas).
 */
export const openApiRoutes = (document: (config: Config) => object) =>
  new Hono<AppEnv>().get('/openapi.json', (c) => {
    c.header('Cache-Control', 'public, max-age=300')
    // Readable by API tools on any origin: it says nothing a request to the API would not.
    c.header('Access-Control-Allow-Origin', '*')
    return c.json({ ...document(c.var.deps.config), servers: [{ url: c.var.baseUrl }] })
  })
