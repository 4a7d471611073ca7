import { sql, type Kysely, type Transaction } from 'kysely'
import { ALL_ARTICLES, ARTICLE_CHANNEL } from './article-channel.js'
import type { ArticleRow, Database } from './schema.js'

type Handle = Kysely<Database> | Transaction<Database>

export async function findArticle(db: Handle, key: string): Promise<ArticleRow | undefined> {
  return db.selectFrom('articles').selectAll().where('key', '=', key).executeTakeFirst()
}

/** The article row for a key, created on first use. Never writes when it already exists. */
export async function ensureArticle(db: Handle, key: string): Promise<ArticleRow> {
  const existing = await findArticle(db, key)
  if (existing) return existing
  await db
    .insertInto('articles')
    .values({ key })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
  const created = await findArticle(db, key)
  if (!created) throw new Error('article row vanished after insert')
  return created
}

/**
 * Applies a change to an article's public list: moves the approved count by `delta`
 * and bumps the version that ETags and caches key on. Call it in the transaction that made the change.
 */
export async function touchArticle(db: Transaction<Database>, articleId: number, delta: number): Promise<void> {
  // One round trip: the update, and a NOTIFY (delivered at commit) that tells every instance's cache.
  await sql`
    with changed as (
      update articles set approved_count = approved_count + ${delta}, version = version + 1
      where id = ${articleId} returning key
    )
    select pg_notify(${ARTICLE_CHANNEL}, key) from changed`.execute(db)
}

/**
 * Tells every instance's cache that an article changed (its key) or that many did (no key). Delivered
 * when the surrounding transaction commits, or at once outside one.
 */
export async function announceArticle(db: Handle, key?: string): Promise<void> {
  await sql`select pg_notify(${ARTICLE_CHANNEL}, ${key ?? ALL_ARTICLES})`.execute(db)
}

/** Article rows (id, version, approved count, closing time) for many keys in one query. */
export async function findArticles(
  db: Handle,
  keys: readonly string[],
): Promise<Pick<ArticleRow, 'id' | 'key' | 'version' | 'approved_count' | 'closed_at'>[]> {
  return db
    .selectFrom('articles')
    .select(['id', 'key', 'version', 'approved_count', 'closed_at'])
    .where('key', '=', sql<string>`any(${sql.val(keys)}::text[])`)
    .execute()
}

export type ArticlePage = { title: string | null; url: string | null }

/**
 * Keeps the page title and URL the embed sent with a post, where the article has none yet: the first
 * post names the page, later ones (and readers' other claims) never overwrite it; moderators edit it.
 */
export async function rememberArticlePage(db: Handle, articleId: number, page: Partial<ArticlePage>): Promise<void> {
  const title = page.title ?? null
  const url = page.url ?? null
  if (title === null && url === null) return
  // Writes only when it fills a gap, so the usual post (page already named) changes no row.
  await sql`
    update articles set title = coalesce(title, ${title}::text), url = coalesce(url, ${url}::text)
    where id = ${articleId} and ((title is null and ${title}::text is not null) or (url is null and ${url}::text is not null))`.execute(db)
}

/** A moderator's edit of an article's title and URL (null clears one; undefined leaves it). Undefined when unknown. */
export async function setArticlePage(
  db: Handle,
  key: string,
  page: Partial<ArticlePage>,
): Promise<Pick<ArticleRow, 'key' | 'title' | 'url'> | undefined> {
  const changes = { ...(page.title !== undefined ? { title: page.title } : {}), ...(page.url !== undefined ? { url: page.url } : {}) }
  if (Object.keys(changes).length === 0) {
    return db.selectFrom('articles').select(['key', 'title', 'url']).where('key', '=', key).executeTakeFirst()
  }
  return db.updateTable('articles').set(changes).where('key', '=', key).returning(['key', 'title', 'url']).executeTakeFirst()
}
