import { Hono } from 'hono'
import { sql } from 'kysely'
import type { AppEnv } from '../env.js'

/** A health check that waits longer than this for the database answers 503: a hung database is not a healthy one. */
export const HEALTH_TIMEOUT_MS = 1_000
/** After a statement failed for want of disk space (or of a writable server), this long of 503s. */
export const WRITE_FAILURE_MS = 10_000
/** Less free space than this where the embedded database lives, and the instance is not ready. */
export const MIN_FREE_BYTES = 8 * 1024 * 1024

const unavailable = (message: string) => ({ ok: false, error: { code: 'unavailable', message } })

// GET /healthz — readiness: 200 when the database answers within a second and can write, else 503.
export const healthRoutes = (state: { writeFailedAt: () => number; answered: () => void }) =>
  new Hono<AppEnv>().get('/', async (c) => {
    c.header('Cache-Control', 'no-store')
    const { db, freeBytes } = c.var.deps
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), HEALTH_TIMEOUT_MS)))
    try {
      const answer = await Promise.race([sql`select 1`.execute(db), late])
      if (answer === 'late') return c.json(unavailable('The database does not answer.'), 503)
    } catch {
      return c.json(unavailable('The database does not answer.'), 503)
    } finally {
      clearTimeout(timer)
    }
    state.answered()
    if (Date.now() - state.writeFailedAt() < WRITE_FAILURE_MS) return c.json(unavailable('The database cannot write.'), 503)
    const free = await freeBytes?.().catch(() => undefined)
    if (free !== undefined && free < MIN_FREE_BYTES) return c.json(unavailable('The disk of the data directory is full.'), 503)
    return c.json({ ok: true })
  })
