import { sql, type Kysely, type Transaction } from 'kysely'
import { touchArticle } from './articles.js'
import { createBatcher, type BatchScope } from '../batch.js'
import type { CommentRow, Database, NewComment, Status } from './schema.js'

type Handle = Kysely<Database> | Transaction<Database>

/** The columns a public answer may use: no email, hash, IP or user agent can be read through this. */
export const publicColumns = ['id', 'parent_id', 'author', 'url', 'avatar', 'content', 'html', 'created_at', 'by_moderator'] as const
export type PublicRow = Pick<CommentRow, (typeof publicColumns)[number]>

export type AdminRow = CommentRow & { article: string }

/**
 * Approved comments of an article, oldest first, after an id cursor. With maxBytes, rows stop at the first
 * one that brings the text (content and html) past it: the database never hands over more than one row
 * beyond the budget, so a page of long comments costs what it may, not 200 times 100 KB.
 */
export async function listApproved(
  db: Handle,
  articleId: number,
  page: { afterId: number | null; limit: number; maxBytes?: number },
): Promise<PublicRow[]> {
  let sized = db
    .selectFrom('comments')
    .select('id')
    .select(
      sql<number>`sum(octet_length(content) + octet_length(html)) over (order by id) - (octet_length(content) + octet_length(html))`.as('before'),
    )
    .where('article_id', '=', articleId)
    .where('status', '=', 'approved')
  if (page.afterId !== null) sized = sized.where('id', '>', page.afterId)
  const ids = sized.orderBy('id', 'asc').limit(page.limit)
  return db
    .selectFrom('comments')
    .select(publicColumns)
    .where(
      'id',
      'in',
      db
        .selectFrom(ids.as('page'))
        .select('page.id')
        .where('page.before', '<', page.maxBytes ?? Number.MAX_SAFE_INTEGER),
    )
    .orderBy('id', 'asc')
    .execute()
}

export async function findParent(db: Handle, id: number): Promise<Pick<CommentRow, 'id' | 'article_id' | 'status' | 'depth'> | undefined> {
  return db.selectFrom('comments').select(['id', 'article_id', 'status', 'depth']).where('id', '=', id).executeTakeFirst()
}

export async function insertComment(db: Handle, values: NewComment): Promise<Pick<CommentRow, 'id' | 'created_at'>> {
  return db.insertInto('comments').values(values).returning(['id', 'created_at']).executeTakeFirstOrThrow()
}

/**
 * True when this author has an approved comment anywhere: the same keyed email hash under the same name
 * (as WordPress matches them), so an address alone cannot publish under any name.
 */
export async function hasApprovedComment(db: Handle, emailHash: string, author: string): Promise<boolean> {
  const row = await db
    .selectFrom('comments')
    .select('id')
    .where('email_hash', '=', emailHash)
    .where('author', '=', author)
    .where('status', '=', 'approved')
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

/** The earlier comment this post would repeat (same article, author's keyed email hash and text), with its stored /24 or /48. */
export async function findDuplicate(
  db: Handle,
  articleId: number,
  emailHash: string,
  contentHash: string,
): Promise<Pick<CommentRow, 'id' | 'ip'> | undefined> {
  return db
    .selectFrom('comments')
    .select(['id', 'ip'])
    .where('article_id', '=', articleId)
    .where('email_hash', '=', emailHash)
    .where('content_hash', '=', contentHash)
    .executeTakeFirst()
}

/** The one query for a comment with its article: every column of the comment, and the article's key as `article`. */
export function commentsWithArticle(db: Handle) {
  return db.selectFrom('comments').innerJoin('articles', 'articles.id', 'comments.article_id').selectAll('comments').select('articles.key as article')
}

/** Email subscriptions joined to their article, with its key as `article` (the personal-data export, the email drain). */
export function subscriptionsWithArticle(db: Handle) {
  return db
    .selectFrom('email_subscriptions')
    .innerJoin('articles', 'articles.id', 'email_subscriptions.article_id')
    .selectAll('email_subscriptions')
    .select('articles.key as article')
}

export async function findComment(db: Handle, id: number): Promise<AdminRow | undefined> {
  return commentsWithArticle(db).where('comments.id', '=', id).executeTakeFirst()
}

/**
 * Moves a comment to a status, remembering the one it leaves, and keeps the article's
 * approved count and list version in step, all in one transaction. Undefined when the id is unknown.
 */
export async function setStatus(
  db: Kysely<Database>,
  id: number,
  status: Status,
  /** Runs in the same transaction after a real change (the email outbox writes what the change causes). */
  onChange?: (tx: Transaction<Database>, change: { id: number; from: Status; to: Status }) => Promise<void>,
): Promise<Status | undefined> {
  return db.transaction().execute(async (tx) => {
    const current = await tx.selectFrom('comments').select(['status', 'article_id']).where('id', '=', id).forUpdate().executeTakeFirst()
    if (!current) return undefined
    if (current.status === status) return current.status
    await tx.updateTable('comments').set({ status, previous_status: current.status, updated_at: new Date() }).where('id', '=', id).execute()
    const delta = (status === 'approved' ? 1 : 0) - (current.status === 'approved' ? 1 : 0)
    if (delta !== 0) await touchArticle(tx, current.article_id, delta)
    if (onChange) await onChange(tx, { id, from: current.status, to: status })
    return current.status
  })
}

/** Removes a comment for good; its replies stay, moved up to the top level. False when unknown. */
export async function deleteComment(db: Kysely<Database>, id: number): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    // Public replies lose their parent (on delete set null): then the public list changes even when this one was not
    // public. Otherwise a non-public comment's deletion changes nothing public, and the list's version (its ETag) stays.
    const publicReply = await tx
      .selectFrom('comments')
      .select('id')
      .where('parent_id', '=', id)
      .where('status', '=', 'approved')
      .limit(1)
      .executeTakeFirst()
    const gone = await tx.deleteFrom('comments').where('id', '=', id).returning(['status', 'article_id']).executeTakeFirst()
    if (!gone) return false
    if (gone.status === 'approved' || publicReply) await touchArticle(tx, gone.article_id, gone.status === 'approved' ? -1 : 0)
    return true
  })
}

/** True for PostgreSQL's unique_violation on the duplicate-comment index (pg and PGlite alike). */
function isDuplicate(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string }
  return e?.code === '23505' && (e.constraint ?? e.message ?? '').includes('comments_no_duplicates')
}

/**
 * Stores a new comment. An approved one (auto-approval) moves its article's count in the same
 * transaction. Undefined when the same author already posted the same text on the article.
 */
export async function createComment(
  db: Kysely<Database>,
  values: NewComment,
  then?: AfterInsert,
): Promise<Pick<CommentRow, 'id' | 'created_at'> | undefined> {
  try {
    if (values.status !== 'approved' && !then) return await insertComment(db, values)
    return await db.transaction().execute(async (tx) => {
      const stored = await insertComment(tx, values)
      if (values.status === 'approved') await touchArticle(tx, values.article_id, 1)
      if (then) await then(tx, stored)
      return stored
    })
  } catch (error) {
    if (isDuplicate(error)) return undefined
    throw error
  }
}

export type StoredComment = Pick<CommentRow, 'id' | 'created_at'>
/** Work that must commit with the comment or not at all (the email outbox's rows). */
export type AfterInsert = (tx: Transaction<Database>, stored: StoredComment) => Promise<void>
/**
 * Stores a new comment; undefined when the same author already posted the same text on the article.
 * With `then`, the comment goes in its own transaction with that work (not batched).
 */
export type CommentWriter = (values: NewComment, then?: AfterInsert) => Promise<StoredComment | undefined>

/**
 * createComment, with held and spam comments written in batches (src/batch.ts): under load the posts
 * that arrive while a batch is in flight share one INSERT … ON CONFLICT DO NOTHING, and each post still
 * waits for its own row to be committed before it is answered. An auto-approved comment also moves its
 * article's count, so it goes on its own, in a transaction.
 */
export function commentWriter(db: Kysely<Database>, options: { batch?: boolean; scope?: BatchScope | undefined } = {}): CommentWriter {
  if (options.batch === false) return (values, then) => createComment(db, values, then)
  const insert = createBatcher<NewComment, StoredComment | undefined>({
    maxInFlight: 2,
    scope: options.scope,
    run: (rows) => insertSplitting(db, rows),
  })
  return (values, then) => (values.status === 'approved' || then ? createComment(db, values, then) : insert(values))
}

/** One statement for all rows; if it fails, halves are tried apart, so one bad row fails alone. */
async function insertSplitting(db: Kysely<Database>, rows: NewComment[]): Promise<PromiseSettledResult<StoredComment | undefined>[]> {
  try {
    return await insertBatch(db, rows)
  } catch (error) {
    // Only a row's own data (SQLSTATE classes 22 and 23) is worth retrying apart; after a lost connection
    // the statement may have committed, and a retry would call the stored comments duplicates.
    const sqlState = (error as { code?: unknown } | null)?.code
    const code = typeof sqlState === 'string' ? sqlState : ''
    if (rows.length === 1 || !/^2[23]/.test(code)) return rows.map(() => ({ status: 'rejected', reason: error }))
    const half = rows.length >> 1
    // In order: a row and its repeat split apart still leave the first one stored.
    return [...(await insertSplitting(db, rows.slice(0, half))), ...(await insertSplitting(db, rows.slice(half)))]
  }
}

async function insertBatch(db: Kysely<Database>, rows: NewComment[]): Promise<PromiseSettledResult<StoredComment | undefined>[]> {
  const keyOf = (r: { article_id: number; email_hash: string; content_hash: string }) => `${r.article_id}\u0000${r.email_hash}\u0000${r.content_hash}`
  // The same author, text and article twice in one batch: the first is stored, as if it had been sent first.
  const firstOf = new Map<string, number>()
  const unique: NewComment[] = []
  rows.forEach((row, i) => {
    const key = keyOf(row)
    if (firstOf.has(key)) return
    firstOf.set(key, i)
    unique.push(row)
  })
  const stored = await db
    .insertInto('comments')
    .values(unique)
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'created_at', 'article_id', 'email_hash', 'content_hash'])
    .execute()
  const byKey = new Map(stored.map((row) => [keyOf(row), row]))
  return rows.map((row, i) => {
    const key = keyOf(row)
    const hit = firstOf.get(key) === i ? byKey.get(key) : undefined
    return { status: 'fulfilled', value: hit && { id: hit.id, created_at: hit.created_at } }
  })
}
