import { sql, type Kysely } from 'kysely'
import { ALL_ARTICLES, ARTICLE_CHANNEL } from './article-channel.js'
import type { Database } from './schema.js'

/**
 * Copies a whole Parley database into another one, table by table, keeping every id: from the embedded
 * PostgreSQL to a server one when a site outgrows one machine (or back, to look at production data locally).
 * Both must be migrated to the same version; the target must hold no comments, articles, moderators or
 * audit entries yet (what its migrations seeded is replaced). All of it lands in one transaction, or none;
 * instances on the target wait while it runs (stop them, or start them after).
 * Emails stay encrypted as they are: the new deployment needs the same SECRET_KEY.
 */
export type CopyReport = { tables: Record<string, number> }

/** Not copied: the migration bookkeeping (the target has its own) and rate-limit counters (minutes old at most). */
const SKIP = new Set(['kysely_migration', 'kysely_migration_lock', 'rate_limits'])
/** The target must not hold any of these: copying would merge two sites' data. */
const MUST_BE_EMPTY = ['articles', 'comments', 'moderators', 'audit_log']
/** Rows per INSERT, at most; fewer for wide tables, so a statement stays under PostgreSQL's 65,535 parameters. */
const BATCH = 500
const MAX_PARAMETERS = 65_535

type Column = { name: string; type: string; identity: boolean }
type Row = Record<string, unknown>

export class CopyRefused extends Error {}

const ident = (name: string) => sql.id(name)

/** The tables to copy, each after the tables its foreign keys point at. */
async function tables(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name`.execute(db)
  const names = rows.map((r) => r.name).filter((n) => !SKIP.has(n))
  const { rows: links } = await sql<{ child: string; parent: string }>`
    select distinct tc.table_name as child, ccu.table_name as parent
    from information_schema.table_constraints tc
    join information_schema.constraint_column_usage ccu
      on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
    where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()`.execute(db)
  const ordered: string[] = []
  const visit = (name: string, path: string[]) => {
    if (ordered.includes(name) || path.includes(name)) return
    for (const l of links) if (l.child === name && l.parent !== name && names.includes(l.parent)) visit(l.parent, [...path, name])
    ordered.push(name)
  }
  for (const name of names) visit(name, [])
  return ordered
}

async function columns(db: Kysely<Database>, table: string): Promise<Column[]> {
  const { rows } = await sql<{ name: string; type: string; identity: string | null }>`
    select column_name as name, data_type as type, identity_generation as identity
    from information_schema.columns
    where table_schema = current_schema() and table_name = ${table}
    order by ordinal_position`.execute(db)
  return rows.map((r) => ({ name: r.name, type: r.type, identity: r.identity !== null }))
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

/**
 * Values that a JS number or Date would not hold exactly (64-bit integers, microsecond timestamps) are
 * read as their text, which the target parses back into the same column type.
 */
const asText = (c: Column) => c.type === 'bigint' || c.type.startsWith('timestamp') || c.type === 'numeric'

/** Reads a table in primary-key order, a batch at a time (keyset paging on a one-column key; other tables whole). */
async function* read(db: Kysely<Database>, table: string, cols: Column[], key: string[], batch: number): AsyncGenerator<Row[]> {
  const list = sql.join(cols.map((c) => (asText(c) ? sql`${ident(c.name)}::text as ${ident(c.name)}` : ident(c.name))))
  if (key.length !== 1) {
    yield (await sql<Row>`select ${list} from ${ident(table)}`.execute(db)).rows
    return
  }
  const k = ident(key[0]!)
  let after: unknown = null
  for (;;) {
    const { rows } =
      after === null
        ? await sql<Row>`select ${list} from ${ident(table)} order by ${k} limit ${batch}`.execute(db)
        : await sql<Row>`select ${list} from ${ident(table)} where ${k} > ${after} order by ${k} limit ${batch}`.execute(db)
    if (rows.length === 0) return
    yield rows
    after = rows[rows.length - 1]![key[0]!]
    if (rows.length < batch) return
  }
}

/** A value as the target takes it: JSON columns as JSON text (drivers parse them, and would send a JS array as a PostgreSQL array). */
function value(column: Column, v: unknown): unknown {
  if (v === null || v === undefined) return null
  return column.type === 'json' || column.type === 'jsonb' ? JSON.stringify(v) : v
}

async function insert(db: Kysely<Database>, table: string, cols: Column[], rows: Row[]): Promise<void> {
  if (rows.length === 0) return
  const overriding = cols.some((c) => c.identity) ? sql`overriding system value` : sql``
  const values = rows.map((row) => sql`(${sql.join(cols.map((c) => sql`${value(c, row[c.name])}`))})`)
  await sql`insert into ${ident(table)} (${sql.join(cols.map((c) => ident(c.name)))}) ${overriding} values ${sql.join(values)}`.execute(db)
}

export type CopyOptions = { log?: (line: string) => void; /** rows per read and INSERT (tests) */ batch?: number }

/**
 * The source is read in one repeatable-read, read-only transaction (one consistent moment, even while
 * its site keeps running); the target is written in one transaction that first locks every table it
 * writes, so nothing posted there meanwhile can be lost or collide with a copied id.
 */
export async function copyDatabase(from: Kysely<Database>, to: Kysely<Database>, options: CopyOptions = {}): Promise<CopyReport> {
  const { log = () => {} } = options
  const report: CopyReport = { tables: {} }
  await from.transaction().execute(async (src) => {
    await sql`set transaction isolation level repeatable read, read only`.execute(src)
    await to.transaction().execute(async (tx) => {
      const [source, target] = [await migrationNames(src), await migrationNames(tx)]
      if (source !== target) {
        throw new CopyRefused(
          `The two databases are at different migrations (from: ${source || 'none'}; to: ${target || 'none'}). Run \`npm run migrate\` on both with the same release.`,
        )
      }
      const names = await tables(src)
      const targetNames = new Set(await tables(tx))
      const missing = names.filter((name) => !targetNames.has(name))
      if (missing.length > 0) throw new CopyRefused(`The target has no table ${missing.join(', ')}.`)
      await sql`lock table ${sql.join(names.map(ident))} in exclusive mode`.execute(tx)
      for (const name of MUST_BE_EMPTY) {
        if (targetNames.has(name) && (await count(tx, name)) > 0) {
          throw new CopyRefused(`The target already holds data (table ${name} is not empty): copy only into a new, migrated database.`)
        }
      }
      // What the target's migrations seeded (one-row state, lists) gives way to the source's.
      for (const name of [...names].reverse()) await sql`delete from ${ident(name)}`.execute(tx)
      for (const name of names) {
        const cols = await columns(src, name)
        const batch = Math.max(1, Math.min(options.batch ?? BATCH, Math.floor(MAX_PARAMETERS / cols.length)))
        let copied = 0
        // A reply refers to its parent; one whose parent comes later in id order (an import can do that)
        // is written without it first, and the link is set once the parent is there.
        const later: Array<{ id: unknown; parent: unknown }> = []
        for await (const rows of read(src, name, cols, await primaryKey(src, name), batch)) {
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
        for (const { id, parent } of later) await sql`update comments set parent_id = ${parent} where id = ${id}`.execute(tx)
        report.tables[name] = copied
        log(`  ${name}: ${copied} rows`)
        // New rows continue after the copied ids.
        for (const c of cols.filter((c) => c.identity)) {
          await sql`select setval(pg_get_serial_sequence(${name}, ${c.name}), coalesce((select max(${ident(c.name)}) from ${ident(name)}), 0) + 1, false)`.execute(
            tx,
          )
        }
      }
      // Running instances on the target drop their cached public answers.
      await sql`select pg_notify(${ARTICLE_CHANNEL}, ${ALL_ARTICLES})`.execute(tx)
    })
  })
  return report
}
