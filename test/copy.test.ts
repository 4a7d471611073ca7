// Copying a whole site from one database to another (embedded → server, or back), every id kept.
import { randomUUID } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { Migrator } from 'kysely/migration'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrations } from '../migrations/index.js'
import { copyDatabase, CopyRefused } from '../src/db/copy.js'
import { openEmbedded } from '../src/node/embedded.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { createModerator } from '../src/db/moderators.js'
import { openPostgres } from '../src/db/postgres.js'
import type { Database } from '../src/db/schema.js'
import { recordFailure } from '../src/webhooks/failures.js'
import { makeApp, validComment, type TestApp } from './support/app.js'
import { serverUrl } from './support/db.js'

async function fresh(): Promise<Kysely<Database>> {
  const db = await openEmbedded()
  await migrateToLatest(db)
  return db
}

/** A new database on the test server (the shared test database is never empty); dropped in `drop`. */
async function freshServer(): Promise<{ db: Kysely<Database>; drop: () => Promise<void> }> {
  const admin = openPostgres({ connectionString: serverUrl!, max: 1 })
  const name = `parley_copy_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  await sql`create database ${sql.id(name)}`.execute(admin)
  const url = new URL(serverUrl!)
  url.pathname = `/${name}`
  const db = openPostgres({ connectionString: url.toString(), max: 4 })
  await migrateToLatest(db)
  return {
    db,
    drop: async () => {
      await db.destroy()
      await sql`drop database if exists ${sql.id(name)}`.execute(admin)
      await admin.destroy()
    },
  }
}

/** A small site with a bit of everything: threads, every status, reasons, a moderator, word lists, a learned decision, a failed webhook. */
async function populate(t: TestApp) {
  const article = `/copy/${randomUUID()}`
  const ids: string[] = []
  const emails: string[] = []
  for (let i = 0; i < 6; i++) {
    const comment = validComment(article, i === 5 ? { content: 'Visit https://a.example and https://b.example now' } : {})
    const res = await t.post(comment)
    expect(res.status).toBe(201)
    ids.push((await res.json()).comment.id)
    emails.push(comment.email)
  }
  for (const id of ids.slice(0, 3)) expect((await t.admin('PATCH', `/comments/${id}`, { status: 'approved' })).status).toBe(200)
  const child = await t.post(validComment(article, { parentId: ids[0] }))
  const childId = (await child.json()).comment.id
  expect((await t.admin('PATCH', `/comments/${childId}`, { status: 'approved' })).status).toBe(200)
  // A reply whose parent has a larger id (as an import can leave it): copied in id order, the parent comes second.
  await sql`update comments set parent_id = ${Number(childId)} where id = ${Number(ids[2])}`.execute(t.deps.db)
  expect((await t.admin('PATCH', `/comments/${ids[3]}`, { status: 'spam' })).status).toBe(200)
  expect((await t.admin('PATCH', `/comments/${ids[4]}`, { status: 'trash' })).status).toBe(200)
  expect((await t.admin('PUT', '/words', { disallowed: ['zorgblatt'], moderation: ['quibblefish'] })).status).toBe(200)
  const token = await createModerator(t.deps.db, 'alice')
  // A time with microseconds (a JS Date holds milliseconds only).
  await sql`update comments set created_at = '2026-01-02 03:04:05.123456+00' where id = ${Number(ids[4])}`.execute(t.deps.db)
  // JSON that drivers would mangle if passed through as JS values: an array, a bare string.
  await sql`insert into audit_log (moderator, action, detail) values ('admin', 'test.array', ${JSON.stringify(['a', 'b,"c"'])}), ('admin', 'test.string', ${JSON.stringify('just text')})`.execute(
    t.deps.db,
  )
  const result = { delivered: false, attempts: 4, status: 503, error: 'http_status' as const, firstAttemptAt: new Date() }
  await recordFailure(
    t.deps.db,
    { deliveryId: randomUUID(), event: 'comment.held', commentId: Number(ids[1]), url: 'https://hooks.example/x', result },
    new Date(),
  )
  return { article, ids: [...ids, childId], emails, token: token! }
}

/** Every copied table's rows as PostgreSQL prints them (microseconds, 64-bit integers and JSON exactly), in key order. */
async function rows(db: Kysely<Database>): Promise<Record<string, string[]>> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
      and table_name not in ('kysely_migration', 'kysely_migration_lock', 'rate_limits')
    order by table_name`.execute(db)
  const out: Record<string, string[]> = {}
  for (const { name } of tables) {
    const { rows: r } = await sql<{ row: string }>`select t::text as row from ${sql.id(name)} t order by 1`.execute(db)
    out[name] = r.map((x) => x.row)
  }
  return out
}

async function snapshot(t: TestApp, article: string, ids: string[]) {
  const list = await (await t.list(article)).json()
  const admin = await Promise.all(ids.map(async (id) => (await t.admin('GET', `/comments/${id}`)).json()))
  const counts = await (await t.request(`/api/counts?article=${encodeURIComponent(article)}`)).json()
  const words = await (await t.admin('GET', '/words')).json()
  const failed = await (await t.admin('GET', '/webhooks/failed')).json()
  const queue = await (await t.admin('GET', '/comments?status=pending')).json()
  const audit = await (await t.admin('GET', '/audit?limit=200')).json()
  expect(audit.entries.length).toBeGreaterThan(0)
  const { formToken: _token, ...page } = list
  return { page, admin, counts, words, failed, queue, audit }
}

describe('copying a site to another database', () => {
  let source: Kysely<Database>
  let t: TestApp
  let site: Awaited<ReturnType<typeof populate>>
  beforeAll(async () => {
    source = await fresh()
    t = await makeApp(source)
    site = await populate(t)
  }, 60_000)
  afterAll(async () => {
    await source?.destroy()
  })

  it('embedded → embedded: every answer the same, every id kept, new ids after the copied ones', async () => {
    const target = await fresh()
    try {
      // Two rows per batch: a parent with a larger id than its reply lands in a later INSERT.
      const report = await copyDatabase(source, target, { batch: 2 })
      expect(report.tables.comments).toBe(7)
      expect(report.tables.articles).toBeGreaterThanOrEqual(1)
      expect(report.tables).not.toHaveProperty('rate_limits')
      const copied = await rows(target)
      expect(copied).toEqual(await rows(source))
      expect(copied.comments!.join()).toContain('03:04:05.123456') // microseconds, kept
      const copy = await makeApp(target)
      const moved = await (await copy.admin('GET', `/comments/${site.ids[2]}`)).json()
      expect(moved.parentId).toBe(site.ids[site.ids.length - 1])
      expect(await snapshot(copy, site.article, site.ids)).toEqual(await snapshot(t, site.article, site.ids))
      // The decrypted email is the one posted: the same SECRET_KEY reads the copied ciphertext.
      const first = await (await copy.admin('GET', `/comments/${site.ids[0]}`)).json()
      expect(first.email).toBe(site.emails[0])
      // The moderator's token works on the copy.
      expect((await copy.admin('GET', '/comments?status=pending', undefined, site.token)).status).toBe(200)
      // New comments continue after the copied ids, and duplicates are still refused.
      const next = await copy.post(validComment(site.article))
      expect(Number((await next.json()).comment.id)).toBeGreaterThan(Math.max(...site.ids.map(Number)))
      const dup = await copy.post({
        ...validComment(site.article),
        email: site.emails[0],
        content: (await (await t.admin('GET', `/comments/${site.ids[0]}`)).json()).content,
      })
      expect(dup.status).toBe(409)
    } finally {
      await target.destroy()
    }
  })

  it('refuses a target that already holds a site, and changes nothing in it', async () => {
    const target = await fresh()
    try {
      const other = await makeApp(target)
      const res = await other.post(validComment('/already/here'))
      expect(res.status).toBe(201)
      await expect(copyDatabase(source, target)).rejects.toThrow(CopyRefused)
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from comments`.execute(target)
      expect(rows[0]!.n).toBe(1)
    } finally {
      await target.destroy()
    }
  })

  it('refuses databases at different migrations', async () => {
    const target = await openEmbedded()
    try {
      const migrator = new Migrator({ db: target, provider: { getMigrations: async () => migrations } })
      const names = Object.keys(migrations).sort()
      await migrator.migrateTo(names[names.length - 2]!)
      await expect(copyDatabase(source, target)).rejects.toThrow(/different migrations/)
    } finally {
      await target.destroy()
    }
  })

  it.skipIf(!serverUrl)('embedded → server PostgreSQL and back: the same answers on each', async () => {
    const server = await freshServer()
    const back = await fresh()
    try {
      await copyDatabase(source, server.db)
      expect(await rows(server.db)).toEqual(await rows(source))
      const onServer = await makeApp(server.db)
      const expected = await snapshot(t, site.article, site.ids)
      expect(await snapshot(onServer, site.article, site.ids)).toEqual(expected)
      await copyDatabase(server.db, back)
      expect(await rows(back)).toEqual(await rows(source))
      expect(await snapshot(await makeApp(back), site.article, site.ids)).toEqual(expected)
    } finally {
      await back.destroy()
      await server.drop()
    }
  })
})
