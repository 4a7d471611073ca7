import { Hono } from 'hono'
import { openApiDocument } from '../api/document.js'
import type { AppEnv } from '../env.js'

// GET /openapi.json — the API's own description, made from the schemas that validate (api/), with this deployment's
// limits and `servers` naming the service that answered.
export const openApiRoutes = new Hono<AppEnv>().get('/openapi.json', (c) => {
  c.header('Cache-Control', 'public, max-age=300')
  // Readable by API tools on any origin: it says nothing a request to the API would not.
  c.header('Access-Control-Allow-Origin', '*')
  return c.json({ ...openApiDocument(c.var.deps.config), servers: [{ url: c.var.baseUrl }] })
})
