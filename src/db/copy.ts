import { sql, type Kysely } from 'kysely'
import { ALL_ARTICLES, ARTICLE_CHANNEL } from '../cache/public-cache.js'
import type { Database } from './schema.js'

/**
 * Copies a whole Parley database into another one, table by table, keeping every id: from the embedded
 * PostgreSQL to a server one when a site outgrows one machine (or back, to look at production data locally).
 * Both must be migrated to the same version; the target must hold no comments, articles, moderators or
 * audit entries yet (what its migrations seeded is replaced). All of it lands in one transaction, or none.
 * Emails stay encrypted as they are: the new deployment needs the same SECRET_KEY.
 */
export type CopyReport = { tables: Record<string, number> }

/** Not copied: the migration bookkeeping (the target has its own) and rate-limit counters (minutes old at most). */
const SKIP = new Set(['kysely_migration', 'kysely_migration_lock', 'rate_limits'])
/** Copied first, in this order: what other tables' foreign keys point at. */
const FIRST = ['articles', 'comments']
/** The target must not hold any of these: copying would merge two sites' data. */
const MUST_BE_EMPTY = ['articles', 'comments', 'moderators', 'audit_log']
/** Rows per INSERT: 500 rows of a comment's 20-odd columns stay far below PostgreSQL's 65,535 parameters. */
const BATCH = 500

type Column = { name: string; type: string; identity: 'ALWAYS' | 'BY DEFAULT' | null }
type Row = Record<string, unknown>

export class CopyRefused extends Error {}

const ident = (name: string) => sql.id(name)

async function tables(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)
  const names = rows.map((r) => r.name).filter((n) => !SKIP.has(n))
  return [...FIRST.filter((n) => names.includes(n)), ...names.filter((n) => !FIRST.includes(n)).sort()]
}

async function columns(db: Kysely<Database>, table: string): Promise<Column[]> {
  const { rows } = await sql<{ name: string; type: string; identity: string | null }>`
    select column_name as name, data_type as type, identity_generation as identity
    from information_schema.columns
    where table_schema = current_schema() and table_name = ${table}
    order by ordinal_position`.execute(db)
  return rows.map((r) => ({ name: r.name, type: r.type, identity: r.identity === 'ALWAYS' || r.identity === 'BY DEFAULT' ? r.identity : null }))
}

async function primaryKey(db: Kysely<Database>, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select k.column_name as name
    from information_schema.table_constraints c
    join information_schema.key_column_usage k
      on k.constraint_name = c.constraint_name and k.table_schema = c.table_schema and k.table_name = c.table_name
    where c.table_schema = current_schema() and c.table_name = ${table} and c.constraint_type = 'PRIMARY KEY'
    order by k.ordinal_position`.execute(db)
  return rows.map((r) => r.name)
}

async function migrationNames(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)
  return rows.map((r) => r.name).join(', ')
}

async function count(db: Kysely<Database>, table: string): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`select count(*) as n from ${ident(table)}`.execute(db)
  return Number(rows[0]!.n)
}

/** Reads a table in primary-key order, a batch at a time (keyset paging on a one-column key; small tables whole). */
async function* read(db: Kysely<Database>, table: string, key: string[], batch: number): AsyncGenerator<Row[]> {
  if (key.length !== 1) {
    yield (await sql<Row>`select * from ${ident(table)}`.execute(db)).rows
    return
  }
  const k = key[0]!
  let after: unknown = null
  for (;;) {
    const { rows } =
      after === null
        ? await sql<Row>`select * from ${ident(table)} order by ${ident(k)} limit ${batch}`.execute(db)
        : await sql<Row>`select * from ${ident(table)} where ${ident(k)} > ${after} order by ${ident(k)} limit ${batch}`.execute(db)
    if (rows.length === 0) return
    yield rows
    after = rows[rows.length - 1]![k]
    if (rows.length < batch) return
  }
}

/** A value as the target takes it: JSON columns as JSON text (a driver would send a JS array as a PostgreSQL array). */
function value(column: Column, v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (column.type === 'json' || column.type === 'jsonb') return typeof v === 'string' ? v : JSON.stringify(v)
  return v
}

async function insert(db: Kysely<Database>, table: string, cols: Column[], rows: Row[]): Promise<void> {
  if (rows.length === 0) return
  const overriding = cols.some((c) => c.identity === 'ALWAYS') ? sql`overriding system value` : sql``
  const values = rows.map((row) => sql`(${sql.join(cols.map((c) => sql`${value(c, row[c.name])}`))})`)
  await sql`insert into ${ident(table)} (${sql.join(cols.map((c) => ident(c.name)))}) ${overriding} values ${sql.join(values)}`.execute(db)
}

export type CopyOptions = { log?: (line: string) => void; /** rows per read and INSERT (tests) */ batch?: number }

export async function copyDatabase(from: Kysely<Database>, to: Kysely<Database>, options: CopyOptions = {}): Promise<CopyReport> {
  const { log = () => {}, batch = BATCH } = options
  const [source, target] = [await migrationNames(from), await migrationNames(to)]
  if (source !== target) {
    throw new CopyRefused(`The two databases are at different migrations (from: ${source || 'none'}; to: ${target || 'none'}). Run \`npm run migrate\` on both with the same release.`)
  }
  const names = await tables(from)
  const targetNames = new Set(await tables(to))
  const missing = names.filter((name) => !targetNames.has(name))
  if (missing.length > 0) throw new CopyRefused(`The target has no table ${missing.join(', ')}.`)
  for (const name of MUST_BE_EMPTY) {
    if (targetNames.has(name) && (await count(to, name)) > 0) {
      throw new CopyRefused(`The target already holds data (table ${name} is not empty): copy only into a new, migrated database.`)
    }
  }
  const report: CopyReport = { tables: {} }
  await to.transaction().execute(async (tx) => {
    // What the target's migrations seeded (one-row state, lists) gives way to the source's.
    for (const name of [...names].reverse()) await sql`delete from ${ident(name)}`.execute(tx)
    for (const name of names) {
      const cols = await columns(from, name)
      let copied = 0
      // A reply refers to its parent; one whose parent comes later in id order (an import can do that)
      // is written without it first, and the link is set once the parent is there.
      const later: Array<{ id: unknown; parent: unknown }> = []
      for await (const rows of read(from, name, await primaryKey(from, name), batch)) {
        const now =
          name === 'comments'
            ? rows.map((row) => {
                if (row.parent_id == null || BigInt(row.parent_id as string) < BigInt(row.id as string)) return row
                later.push({ id: row.id, parent: row.parent_id })
                return { ...row, parent_id: null }
              })
            : rows
        await insert(tx, name, cols, now)
        copied += rows.length
      }
      for (const { id, parent } of later) {
        await sql`update comments set parent_id = ${parent} where id = ${id}`.execute(tx)
      }
      report.tables[name] = copied
      log(`  ${name}: ${copied} rows`)
      // New rows continue after the copied ids.
      for (const c of cols.filter((c) => c.identity !== null)) {
        await sql`select setval(pg_get_serial_sequence(${name}, ${c.name}), coalesce((select max(${ident(c.name)}) from ${ident(name)}), 0) + 1, false)`.execute(tx)
      }
    }
    // Running instances on the target drop their cached public answers.
    await sql`select pg_notify(${ARTICLE_CHANNEL}, ${ALL_ARTICLES})`.execute(tx)
  })
  return report
}
