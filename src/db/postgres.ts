import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from './schema.js'

const INT8 = 20
/** pg hands int8 back as strings; PGlite as numbers. One representation, chosen here: numbers. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8
      ? (value: string) => Number(value)
      : (pg.types.getTypeParser(oid, format) as (value: string) => unknown)) as typeof pg.types.getTypeParser,
}
/** For pools built elsewhere (the Worker's per-request pools), so every pg pool parses the same way. */
export { types as pgTypeParsers }

/**
 * Bounds on every wait for a server PostgreSQL that serves requests: a server that refuses is known at
 * once, but one that hangs (frozen, partitioned, out of connections) would hold a request for as long
 * as it hangs. A statement the server works on longer is cancelled there; one it never answers is given
 * up here a little later. Long jobs (the admin CLI's copy and import) open their pools without them.
 */
export const REQUEST_TIMEOUTS = {
  connectionTimeoutMillis: 2_000,
  statement_timeout: 5_000,
  query_timeout: 6_000,
  keepAlive: true,
} as const satisfies pg.PoolConfig

export type PostgresOptions = {
  connectionString: string
  max?: number
  /** REQUEST_TIMEOUTS (or others) for pools that serve requests; unset, statements may run as long as they take. */
  timeouts?: Partial<typeof REQUEST_TIMEOUTS>
  /** Told when a connection of the pool fails (idle or checked out); the pool itself replaces it. */
  onConnectionError?: (error: Error) => void
}

/**
 * A connection's death must never end the process. pg-pool listens for errors of idle clients only: a
 * client checked out (Kysely holds one between the statements of a transaction, or while a result is
 * read) that loses its server emits 'error' with no listener, which Node turns into an exit. Every
 * client of `pool` gets a listener for its whole life; the failed statement rejects as usual, and the
 * pool drops the dead client when it is released and connects a new one on the next checkout.
 */
export function guardPool(pool: pg.Pool, onError: (error: Error) => void = () => {}): pg.Pool {
  pool.on('error', onError)
  pool.on('connect', (client) => client.on('error', onError))
  return pool
}

/** A pg Pool with the app's type parsers, every client guarded (see guardPool). */
export function createPool(options: PostgresOptions & { options?: string }): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    types,
    ...options.timeouts,
    ...(options.options ? { options: options.options } : {}),
  })
  return guardPool(pool, options.onConnectionError)
}

/** A server PostgreSQL (or Hyperdrive) through a pg Pool. */
export function openPostgres(options: PostgresOptions): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPool(options) }) })
}
