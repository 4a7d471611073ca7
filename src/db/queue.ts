import { sql, type Kysely } from 'kysely'
import { commentsWithArticle, type AdminRow } from './comments.js'
import { statuses, type Database, type Status } from './schema.js'

export type QueueSort = 'newest' | 'score'

/** Where a page of the queue starts: after this id (newest), or after this (score, id) pair (score). */
export type QueueCursor = { id: number; score?: number }

export type QueueFilter = {
  status?: Status | undefined
  articleKey?: string | undefined
  /** `links` matches `links:3`; `moderation_word:casino` matches only itself. */
  reason?: string | undefined
  /** Words in the text, author or article; a whole address matches its author by keyed hash. */
  text?: string | undefined
  emailHash?: string | undefined
  sort: QueueSort
  after: QueueCursor | null
  limit: number
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`
/** Comments without a score sort after every scored one. */
const score = sql<number>`coalesce(comments.spam_score, -1::real)`

/** A queue row with its article's page title and URL, for the console's context line. */
export type QueueRow = AdminRow & { article_title: string | null; article_url: string | null }

/** The moderation queue with the console's filters: newest first, or most spam-like first. */
export async function listQueue(db: Kysely<Database>, filter: QueueFilter): Promise<QueueRow[]> {
  let query = commentsWithArticle(db).select(['articles.title as article_title', 'articles.url as article_url'])
  if (filter.status) query = query.where('comments.status', '=', filter.status)
  if (filter.articleKey !== undefined) query = query.where('articles.key', '=', filter.articleKey)
  if (filter.reason !== undefined) {
    const reason = filter.reason
    query = query.where(
      sql<boolean>`exists (select 1 from unnest(comments.reasons) as r(reason) where r.reason = ${reason} or split_part(r.reason, ':', 1) = ${reason})`,
    )
  }
  if (filter.text !== undefined) {
    const pattern = likePattern(filter.text)
    const hash = filter.emailHash
    query = query.where((eb) =>
      eb.or([
        eb('comments.content', 'ilike', pattern),
        eb('comments.author', 'ilike', pattern),
        eb('articles.key', 'ilike', pattern),
        ...(hash ? [eb('comments.email_hash', '=', hash)] : []),
      ]),
    )
  }
  if (filter.sort === 'score') {
    const after = filter.after
    if (after) query = query.where(sql<boolean>`(${score}, comments.id) < (${after.score ?? -1}::real, ${after.id})`)
    query = query.orderBy(score, 'desc').orderBy('comments.id', 'desc')
  } else {
    if (filter.after) query = query.where('comments.id', '<', filter.after.id)
    query = query.orderBy('comments.id', 'desc')
  }
  return query.limit(filter.limit).execute()
}

/** How many comments are in each status, for the console's tabs. */
export async function countByStatus(db: Kysely<Database>): Promise<Record<Status, number>> {
  const rows = await db
    .selectFrom('comments')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  const counts = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<Status, number>
  // pg returns count(*) as a string, PGlite as a number.
  for (const row of rows) counts[row.status] = Number(row.n)
  return counts
}

export type AuthorHistory = Record<Status, number>

/** Every author's comments per status, by keyed email hash (one grouped query for a page of the queue). */
export async function authorHistories(db: Kysely<Database>, hashes: readonly string[]): Promise<Map<string, AuthorHistory>> {
  const result = new Map<string, AuthorHistory>()
  if (hashes.length === 0) return result
  const rows = await db
    .selectFrom('comments')
    .select(['email_hash', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('email_hash', '=', sql<string>`any(${sql.val([...new Set(hashes)])}::text[])`)
    .groupBy(['email_hash', 'status'])
    .execute()
  for (const row of rows) {
    let counts = result.get(row.email_hash)
    if (!counts) result.set(row.email_hash, (counts = Object.fromEntries(statuses.map((s) => [s, 0])) as AuthorHistory))
    counts[row.status] = Number(row.n)
  }
  return result
}

/**
 * Claims held comments the webhook has not announced yet, newest first, marking them announced
 * in the same statement: concurrent requests (or instances) never claim one comment twice.
 * Only comments from the last day: a webhook configured later does not replay the whole queue.
 */
export async function claimUnnotified(db: Kysely<Database>, now: Date, limit: number): Promise<number[]> {
  const since = new Date(now.getTime() - 86_400_000)
  const rows = await sql<{ id: number }>`
    update comments set notified_at = ${now}
    where id in (
      select id from comments
      where status = 'pending' and notified_at is null and created_at > ${since}
      order by id desc limit ${limit}
      for update skip locked)
    returning id`.execute(db)
  return rows.rows.map((r) => Number(r.id))
}
