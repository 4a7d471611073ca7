import { sql, type Kysely, type Transaction } from 'kysely'
import type { ArticleRow, Database } from './schema.js'

type Handle = Kysely<Database> | Transaction<Database>

export async function findArticle(db: Handle, key: string): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('key', '=', key).executeTakeFirst()
}

/** The article row for a key, created on first use. Never writes when it already exists. */
export async function ensureArticle(db: Handle, key: string): Promise<ArticleRow> {
  const existing = await findArticle(db, key)
  if (existing) return existing
  await db.insertInto('articles').values({ key }).onConflict((oc) => oc.column('key').doNothing()).execute()
  const created = await findArticle(db, key)
  if (!created) throw new Error('article row vanished after insert')
  return created
}

/** Approved comments per article key, for up to a hundred keys, in one query. Unknown keys count 0. */
export async function countApproved(db: Handle, keys: readonly string[]): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('articles')
    .select(['key', 'approved_count'])
    .where('key', '=', sql<string>`any(${sql.val(keys)}::text[])`)
    .execute()
  const counts: Record<string, number> = {}
  for (const key of keys) counts[key] = 0
  for (const row of rows) counts[row.key] = row.approved_count
  return counts
}

/**
 * Applies a change to an article's public list: moves the approved count by `delta`
 * and bumps the version that ETags and caches key on. Call it in the transaction that made the change.
 */
export async function touchArticle(db: Transaction<Database>, articleId: number, delta: number): Promise<void> {
  await db
    .updateTable('articles')
    .set({
      approved_count: sql`approved_count + ${delta}`,
      version: sql`version + 1`,
    })
    .where('id', '=', articleId)
    .execute()
}
