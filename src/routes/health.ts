import { Hono } from 'hono'
import { sql } from 'kysely'
import type { AppEnv } from '../env.js'

// GET /healthz — 200 when the database answers, 503 when it does not.
export const healthRoutes = new Hono<AppEnv>().get('/', async (c) => {
  c.header('Cache-Control', 'no-store')
  try {
    await sql`select 1`.execute(c.var.deps.db)
    return c.json({ ok: true })
  } catch {
    return c.json({ ok: false, error: { code: 'unavailable', message: 'The database does not answer.' } }, 503)
  }
})
