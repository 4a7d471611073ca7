import { Hono } from 'hono'
import type { AppEnv } from '../env.js'
import { openApiDocument } from '../openapi.js'

// GET /openapi.json — the API's own description, with `servers` naming the service that answered.
export const openApiRoutes = new Hono<AppEnv>().get('/openapi.json', (c) => {
  c.header('Cache-Control', 'public, max-age=300')
  // Readable by API tools on any origin: it says nothing a request to the API would not.
  c.header('Access-Control-Allow-Origin', '*')
  return c.json({ ...openApiDocument, servers: [{ url: c.var.baseUrl }] })
})
