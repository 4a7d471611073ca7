import type { Kysely } from 'kysely'
import { announceArticle, ensureArticle, findArticle } from './articles.js'
import { withModeratorTables } from './moderator-schema.js'
import type { Database } from './schema.js'

export type ArticleState = { article: string; closedAt: Date | null; approvedCount: number }

/** Closes comments on an article now (an article never commented on is created, so it starts closed). */
export async function closeArticle(db: Kysely<Database>, key: string, now: Date): Promise<ArticleState & { wasClosed: boolean }> {
  const article = await ensureArticle(db, key)
  const wasClosed = article.closed_at !== null && article.closed_at <= now
  const row = await db
    .updateTable('articles')
    .set({ closed_at: wasClosed ? article.closed_at : now })
    .where('id', '=', article.id)
    .returning(['key', 'closed_at', 'approved_count'])
    .executeTakeFirstOrThrow()
  // Posting reads the closing time from each instance's cache: tell them all.
  await announceArticle(db, row.key)
  return { article: row.key, closedAt: row.closed_at, approvedCount: row.approved_count, wasClosed }
}

/** Reopens an article, and keeps auto-close from closing it again. Undefined for an unknown key. */
export async function reopenArticle(
  db: Kysely<Database>,
  key: string,
  now: Date,
): Promise<(ArticleState & { wasClosed: boolean }) | undefined> {
  const article = await findArticle(db, key)
  if (!article) return undefined
  const wasClosed = article.closed_at !== null && article.closed_at <= now
  const row = await withModeratorTables(db)
    .updateTable('articles')
    .set({ closed_at: null, reopened_at: now })
    .where('id', '=', article.id)
    .returning(['key', 'closed_at', 'approved_count'])
    .executeTakeFirstOrThrow()
  await announceArticle(db, row.key)
  return { article: row.key, closedAt: row.closed_at, approvedCount: row.approved_count, wasClosed }
}

export async function articleState(db: Kysely<Database>, key: string): Promise<ArticleState | undefined> {
  const article = await findArticle(db, key)
  return article && { article: article.key, closedAt: article.closed_at, approvedCount: article.approved_count }
}
