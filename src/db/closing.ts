import { sql, type Kysely, type RawBuilder } from 'kysely'
import { ARTICLE_CHANNEL } from './article-channel.js'
import { ensureArticle, findArticle } from './articles.js'
import type { Database } from './schema.js'

export type ArticleState = { article: string; closedAt: Date | null; approvedCount: number }

/** Closes comments on an article now (an article never commented on is created, so it starts closed). */
export async function closeArticle(db: Kysely<Database>, key: string, now: Date): Promise<ArticleState & { wasClosed: boolean }> {
  const article = await ensureArticle(db, key)
  const wasClosed = article.closed_at !== null && article.closed_at <= now
  const row = await changeAndAnnounce(db, article.id, sql`closed_at = ${wasClosed ? article.closed_at : now}`)
  return { article: row.key, closedAt: row.closed_at, approvedCount: row.approved_count, wasClosed }
}

/** Reopens an article, and keeps auto-close from closing it again. Undefined for an unknown key. */
export async function reopenArticle(db: Kysely<Database>, key: string, now: Date): Promise<(ArticleState & { wasClosed: boolean }) | undefined> {
  const article = await findArticle(db, key)
  if (!article) return undefined
  const wasClosed = article.closed_at !== null && article.closed_at <= now
  const row = await changeAndAnnounce(db, article.id, sql`closed_at = null, reopened_at = ${now}`)
  return { article: row.key, closedAt: row.closed_at, approvedCount: row.approved_count, wasClosed }
}

export async function articleState(db: Kysely<Database>, key: string): Promise<ArticleState | undefined> {
  const article = await findArticle(db, key)
  return article && { article: article.key, closedAt: article.closed_at, approvedCount: article.approved_count }
}

/**
 * Changes an article's closing columns and announces it in one statement (the NOTIFY goes out at its
 * commit): posting reads the closing time from each instance's cache, so the two must not come apart.
 */
async function changeAndAnnounce(db: Kysely<Database>, id: number, assignments: RawBuilder<unknown>) {
  const result = await sql<{ key: string; closed_at: Date | null; approved_count: number }>`
    with changed as (update articles set ${assignments} where id = ${id} returning key, closed_at, approved_count)
    select key, closed_at, approved_count, pg_notify(${ARTICLE_CHANNEL}, key)::text as announced from changed`.execute(db)
  const row = result.rows[0]
  if (!row) throw new Error('article row vanished during the change')
  return row
}
