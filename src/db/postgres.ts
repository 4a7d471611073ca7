import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from './schema.js'

const INT8 = 20
/** pg hands int8 back as strings; PGlite as numbers. One representation, chosen here: numbers. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (value: string) => Number(value) : (pg.types.getTypeParser(oid, format) as (value: string) => unknown)) as typeof pg.types.getTypeParser,
}
/** For pools built elsewhere (the Worker's per-request pools), so every pg pool parses the same way. */
export { types as pgTypeParsers }

export type PostgresOptions = { connectionString: string; max?: number }

/** A server PostgreSQL (or Hyperdrive) through a pg Pool. */
export function openPostgres(options: PostgresOptions): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    types,
  })
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}
