import { CompiledQuery, type Kysely } from 'kysely'
import { RateLimiterPostgres } from 'rate-limiter-flexible'
import { createBatcher, type BatchScope } from '../batch.js'
import type { Counters } from '../moderation/rate-limit.js'
import type { Database } from './schema.js'

/** Anything with pg's `query({ text, values })` that answers `{ rows, rowCount }`: a pg Pool or Client. */
export type PgQueryable = { query(q: { text: string; values?: unknown[]; name?: string }): Promise<unknown> }

export const RATE_LIMIT_TABLE = 'rate_limits'

/** Makes a Kysely handle look like the pg client RateLimiterPostgres expects. */
function kyselyClient(db: Kysely<Database>): PgQueryable {
  return {
    async query(q) {
      const result = await db.executeQuery(CompiledQuery.raw(q.text, q.values ?? []))
      return { rows: result.rows, rowCount: result.rows.length || Number(result.numAffectedRows ?? 0) }
    },
  }
}

const SWEEP_CHANCE = 1 / 500

/**
 * The rate limiter's counters in PostgreSQL's rate_limits table (migration 0002), through a pg Pool (Workers
 * through Hyperdrive, Node with DATABASE_URL) or the app's Kysely handle (any dialect, PGlite included).
 * Counter writes go in batches (default; `batch: false`: each rule is its own query); `batchScope` says
 * which calls may share a batch (the Worker: one request's).
 */
export function postgresCounters(
  source: { postgres: PgQueryable } | { kysely: Kysely<Database> },
  options: { batch?: boolean; batchScope?: BatchScope } = {},
): Counters {
  const db = 'kysely' in source ? kyselyClient(source.kysely) : source.postgres
  const upsert = options.batch !== false ? batchedUpserts(db, options.batchScope) : undefined
  return {
    build(rule) {
      const settings = {
        ...rule,
        storeClient: db,
        storeType: 'kysely' in source ? 'client' : 'pool',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        clearExpiredByTimeout: false,
      }
      return upsert ? new BatchedRateLimiterPostgres(settings, upsert) : new RateLimiterPostgres(settings)
    },
    // Expired rows are reused by their key; now and then sweep the rest (no timers: Workers have none to spare).
    sweep: () => {
      if (Math.random() < SWEEP_CHANCE) sweep(db)
    },
  }
}

/**
 * Deletes counters expired over an hour ago, one statement for all rules (they share the table). It
 * skips rows another transaction holds: a sweep that waited on a batch's row lock while holding rows
 * the batch needs would deadlock with it. A failed sweep is left to a later one.
 */
function sweep(db: PgQueryable): void {
  db.query({
    text: `delete from ${RATE_LIMIT_TABLE} where key in (select key from ${RATE_LIMIT_TABLE} where expire < $1 for update skip locked)`,
    values: [Date.now() - 3_600_000],
  }).catch(() => {})
}

type UpsertRow = { points: number; expire: string | number | null }
/** What RateLimiterPostgres's `_upsert` resolves to, and its `_getRateLimiterRes` reads. */
type UpsertResult = { rows: UpsertRow[] }
type Upsert = (call: { key: string; points: number; expire: number | null }) => Promise<UpsertResult>

/**
 * RateLimiterPostgres with its counter upserts sent in batches: the rules of one post, and of all posts
 * arriving while a batch is in flight, become one statement instead of one each. rate-limiter-flexible
 * still does all the limiting (blocking, results, get/delete/penalty); only `_upsert`, the one store
 * write each consume makes, goes through the batch, with the same semantics as the library's own query
 * (test/rate-limit.test.ts runs the same sequences against both and compares).
 */
class BatchedRateLimiterPostgres extends RateLimiterPostgres {
  constructor(
    options: ConstructorParameters<typeof RateLimiterPostgres>[0],
    private readonly upsert: Upsert,
  ) {
    super(options)
  }

  _upsert(key: string, points: number, msDuration: number, forceExpire = false): Promise<UpsertResult> {
    // set() and block() force an expiry: rare, and left to the library's own query.
    if (forceExpire) {
      const library = RateLimiterPostgres.prototype as unknown as {
        _upsert: (this: unknown, ...args: [string, number, number, boolean]) => Promise<UpsertResult>
      }
      return library._upsert.call(this, key, points, msDuration, forceExpire)
    }
    return this.upsert({ key, points, expire: msDuration > 0 ? Date.now() + msDuration : null })
  }
}

/**
 * One INSERT … ON CONFLICT for a batch of counter increments. A key repeated in the batch is sent once
 * with its points summed, and each call gets back the count as it stood after its own increment; keys
 * are sent sorted so concurrent batches lock rows in one order (no deadlock).
 */
function batchedUpserts(db: PgQueryable, scope: BatchScope | undefined): Upsert {
  const table = RATE_LIMIT_TABLE
  const text = `
    insert into ${table} (key, points, expire)
    select * from unnest($1::varchar[], $2::integer[], $3::bigint[])
    on conflict (key) do update set
      points = case when ${table}.expire <= $4 then excluded.points else ${table}.points + excluded.points end,
      expire = case when ${table}.expire <= $4 then excluded.expire else ${table}.expire end
    returning key, points, expire`
  return createBatcher({
    maxInFlight: 2,
    scope,
    run: async (calls) => {
      const byKey = new Map<string, { points: number; expire: number | null }>()
      for (const call of calls) {
        const seen = byKey.get(call.key)
        if (seen) seen.points += call.points
        else byKey.set(call.key, { points: call.points, expire: call.expire })
      }
      const keys = [...byKey.keys()].sort()
      const send = () =>
        db.query({
          name: `${table}:batch-upsert`,
          text,
          values: [keys, keys.map((k) => byKey.get(k)!.points), keys.map((k) => byKey.get(k)!.expire), Date.now()],
        }) as Promise<{ rows: (UpsertRow & { key: string })[] }>
      // A deadlock victim (40P01) changed nothing: sent once more before the posts fail open.
      const result = await send().catch((error: unknown) => {
        if ((error as { code?: string } | null)?.code === '40P01') return send()
        throw error
      })
      const rows = new Map(result.rows.map((row) => [row.key, row]))
      // Walk back from the last call: each call's count is the total less what later calls of its key added.
      const later = new Map<string, number>()
      const settled = new Array<PromiseSettledResult<UpsertResult>>(calls.length)
      for (let i = calls.length - 1; i >= 0; i--) {
        const call = calls[i]!
        const row = rows.get(call.key)
        const after = later.get(call.key) ?? 0
        later.set(call.key, after + call.points)
        settled[i] = row
          ? { status: 'fulfilled', value: { rows: [{ points: row.points - after, expire: row.expire }] } }
          : { status: 'rejected', reason: new Error('rate limit counter missing from the batch answer') }
      }
      return settled
    },
  })
}
