import { sql, type Kysely, type Transaction } from 'kysely'
import { toCommentRow } from './comment-row.js'
import { MAX_EXAMPLES, type Learner } from '../moderation/learner.js'
import type { Keys } from '../privacy/keys.js'
import { announceArticle, findArticles, touchArticle } from './articles.js'
import { recordAudit } from './audit.js'
import { closeArticle } from './closing.js'
import { statuses, type Database, type NewComment, type Status } from './schema.js'

/** A comment from another system, mapped and checked (valid email, text not empty), not yet stored. */
export type ImportedComment = {
  /** Unique within one import: how a reply names its parent. */
  ref: string
  parentRef: string | null
  article: string
  status: Status
  author: string
  /** In plain text only until it is stored: encrypted and hashed as a posted comment's. */
  email: string
  url: string | null
  /** As the other system kept it: anonymized here (/24, /48) before it is stored. */
  ip: string | null
  userAgent: string | null
  /** Plain text, as the reader wrote it; its HTML is made here, as for a posted comment. */
  content: string
  createdAt: Date
}

export type ImportOptions = {
  keys: Keys
  /** Teaches the spam model each approved and spam comment stored (a moderator's decision); absent: nothing learned. */
  learner?: Pick<Learner, 'learn'> | undefined
  /** The newest this many decisions are learned (a full training reads no more). */
  learnLimit?: number
  batchSize?: number
  /**
   * MAX_DEPTH (default 5): a reply that would be nested deeper is attached to the deepest ancestor that
   * keeps it within, as the embed answers a comment at the limit; otherwise no one could reply to it.
   */
  maxDepth?: number
  /** Who is named in the audit log, and the source (e.g. "wordpress"). */
  moderator?: string
  source?: string
}

export type ImportResult = {
  imported: Record<Status, number>
  /** Already stored (the same author, text and article): by an earlier import, a post, or earlier in this one. */
  alreadyPresent: number
  articlesCreated: number
  learned: number
  /** Replies attached higher up the thread to stay within maxDepth. */
  lifted: number
}

/** Closes comments on these articles (created if new), as they were on the old site; how many were open until now. */
export async function closeArticles(db: Kysely<Database>, keys: readonly string[], now: Date): Promise<number> {
  let closed = 0
  for (const key of keys) if (!(await closeArticle(db, key, now)).wasClosed) closed++
  return closed
}

/** The reason every imported comment carries, so moderators can tell and filter them. */
export const IMPORT_REASON = 'imported'

type Row = NewComment & { notified_at: Date }
/** Where a comment landed; `parent` where this run placed its parent too (a reply may have to move up). */
type Placed = { id: number; depth: number; parent?: Placed }
const keyOf = (r: { article_id: number; email_hash: string; content_hash: string }) => `${r.article_id}\u0000${r.email_hash}\u0000${r.content_hash}`

/**
 * Stores imported comments, in the given order (parents before their replies), a transaction per batch.
 * A comment already stored is left alone (ON CONFLICT DO NOTHING on the duplicate index), so importing the
 * same file twice adds nothing; a reply to it still finds it. Articles are created as needed, approved
 * counts move with the rows in the same transaction, and every instance is told to drop its cached answers.
 */
export async function importComments(db: Kysely<Database>, comments: ImportedComment[], options: ImportOptions): Promise<ImportResult> {
  const result: ImportResult = {
    imported: Object.fromEntries(statuses.map((s) => [s, 0])) as Record<Status, number>,
    alreadyPresent: 0,
    articlesCreated: 0,
    learned: 0,
    lifted: 0,
  }
  const { ids: articleIds, created } = await ensureArticles(db, comments)
  result.articlesCreated = created
  const placed = new Map<string, Placed>()
  const toLearn: ImportedComment[] = []
  const size = options.batchSize ?? 500
  const now = new Date()
  for (let start = 0; start < comments.length; start += size) {
    const batch = comments.slice(start, start + size)
    const rows = await Promise.all(batch.map((c) => toRow(options.keys, c, articleIds.get(c.article)!, now)))
    await db.transaction().execute(async (tx) => {
      const approved = new Map<number, number>()
      for (const run of runs(batch)) {
        const stored = await insertRun(
          tx,
          run.map((i) => ({ comment: batch[i]!, row: rows[i]! })),
          placed,
          options.maxDepth ?? 5,
          result,
        )
        for (const { comment, row, parent, id, depth, isNew } of stored) {
          if (id !== undefined) placed.set(comment.ref, { id, depth, parent })
          if (!isNew) {
            result.alreadyPresent++
            continue
          }
          result.imported[comment.status]++
          if (comment.status === 'approved') approved.set(row.article_id, (approved.get(row.article_id) ?? 0) + 1)
          if (comment.status === 'approved' || comment.status === 'spam') toLearn.push(comment)
        }
      }
      // The approved counts and list versions, with a NOTIFY per article at commit (db/articles.ts).
      for (const [articleId, count] of approved) await touchArticle(tx, articleId, count)
    })
  }

  if (options.learner) {
    // The newest decisions, taught oldest first, one at a time as a moderator's would be.
    const limit = options.learnLimit ?? MAX_EXAMPLES
    const newest = limit > 0 ? toLearn.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).slice(-limit) : []
    for (const c of newest) {
      await options.learner.learn({ author: c.author, content: c.content, url: c.url }, c.status)
      result.learned++
    }
  }
  const stored = statuses.reduce((n, s) => n + result.imported[s], 0)
  if (stored > 0) {
    // Every instance drops all its cached public answers (an empty payload), not one notice per article.
    await announceArticle(db)
    await recordAudit(db, [
      {
        moderator: options.moderator ?? 'import',
        action: `import${options.source ? `.${options.source}` : ''}`,
        detail: { imported: result.imported, alreadyPresent: result.alreadyPresent, articlesCreated: created, learned: result.learned },
      },
    ])
  }
  return result
}

/** The article of every key, created (dated by its oldest imported comment) when missing. */
async function ensureArticles(db: Kysely<Database>, comments: ImportedComment[]): Promise<{ ids: Map<string, number>; created: number }> {
  const oldest = new Map<string, Date>()
  for (const c of comments) {
    const seen = oldest.get(c.article)
    if (!seen || c.createdAt < seen) oldest.set(c.article, c.createdAt)
  }
  const keys = [...oldest.keys()]
  const ids = new Map<string, number>()
  let created = 0
  for (let start = 0; start < keys.length; start += 1000) {
    const chunk = keys.slice(start, start + 1000)
    for (const a of await findArticles(db, chunk)) ids.set(a.key, a.id)
    const missing = chunk.filter((k) => !ids.has(k))
    if (missing.length === 0) continue
    // created_at is when auto-close counts from ("its first comment"): the oldest one imported.
    const inserted = await db
      .insertInto('articles')
      .values(missing.map((key) => ({ key, created_at: oldest.get(key)! })))
      .onConflict((oc) => oc.column('key').doNothing())
      .returning(['id', 'key'])
      .execute()
    created += inserted.length
    for (const a of inserted) ids.set(a.key, a.id)
    // Created meanwhile by a post: fetched, not counted.
    if (inserted.length < missing.length) for (const a of await findArticles(db, missing)) ids.set(a.key, a.id)
  }
  return { ids, created }
}

/** The row a posted comment would make of the same data: encrypted, hashed, anonymized, rendered. */
async function toRow(keys: Keys, c: ImportedComment, articleId: number, now: Date): Promise<Row> {
  const row = await toCommentRow(keys, {
    articleId,
    parentId: null,
    depth: 0,
    status: c.status,
    author: c.author,
    email: c.email,
    url: c.url,
    content: c.content,
    ip: c.ip,
    userAgent: c.userAgent || null,
    reasons: [IMPORT_REASON],
    spamScore: null,
  })
  return {
    ...row,
    created_at: c.createdAt,
    // Not a new comment held now: the webhook for held comments must not announce it.
    notified_at: now,
  }
}

/**
 * A batch's rows cut into runs that one INSERT can take: a run ends before a reply to a row of its own,
 * whose id is known only once that run is stored. Rows go in the given order, so ids follow it.
 */
function runs(batch: ImportedComment[]): number[][] {
  const out: number[][] = []
  let current: number[] = []
  let refs = new Set<string>()
  batch.forEach((c, i) => {
    if (c.parentRef !== null && refs.has(c.parentRef)) {
      out.push(current)
      current = []
      refs = new Set()
    }
    current.push(i)
    refs.add(c.ref)
  })
  if (current.length > 0) out.push(current)
  return out
}

type Stored = { comment: ImportedComment; row: Row; parent: Placed | undefined; id: number | undefined; depth: number; isNew: boolean }

/** One multi-row INSERT … ON CONFLICT DO NOTHING; rows it skipped are looked up, so their replies attach. */
async function insertRun(
  tx: Transaction<Database>,
  items: { comment: ImportedComment; row: Row }[],
  placed: Map<string, Placed>,
  maxDepth: number,
  result: ImportResult,
): Promise<Stored[]> {
  const unique = new Map<string, Row>()
  // The parent each row was attached to (for the chain a deeper reply may climb).
  const parents = new Map<(typeof items)[number], Placed | undefined>()
  for (const item of items) {
    let parent = item.comment.parentRef === null ? undefined : placed.get(item.comment.parentRef)
    // Posted replies are refused at depth maxDepth; an imported one moves up to an ancestor instead.
    if (parent && parent.depth + 1 >= maxDepth) {
      while (parent.parent && parent.depth + 1 >= maxDepth) parent = parent.parent
      result.lifted++
    }
    parents.set(item, parent)
    item.row.parent_id = parent?.id ?? null
    item.row.depth = parent ? parent.depth + 1 : 0
    const key = keyOf(item.row)
    if (!unique.has(key)) unique.set(key, item.row)
  }
  const inserted = await tx
    .insertInto('comments')
    .values([...unique.values()])
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'depth', 'article_id', 'email_hash', 'content_hash'])
    .execute()
  const found = new Map(inserted.map((r) => [keyOf(r), { id: Number(r.id), depth: r.depth, isNew: true }]))
  const missing = [...unique.values()].filter((r) => !found.has(keyOf(r)))
  if (missing.length > 0) {
    const existing = await tx
      .selectFrom('comments')
      .select(['id', 'depth', 'article_id', 'email_hash', 'content_hash'])
      .where('article_id', '=', sql<number>`any(${sql.val([...new Set(missing.map((r) => r.article_id))])}::bigint[])`)
      .where('email_hash', '=', sql<string>`any(${sql.val([...new Set(missing.map((r) => r.email_hash))])}::text[])`)
      .execute()
    for (const r of existing) if (!found.has(keyOf(r))) found.set(keyOf(r), { id: Number(r.id), depth: r.depth, isNew: false })
  }
  const credited = new Set<string>()
  return items.map((item) => {
    const { comment, row } = item
    const key = keyOf(row)
    const hit = found.get(key)
    // The same comment twice in the file: the first one is the stored one, the others already present.
    const isNew = hit?.isNew === true && !credited.has(key)
    if (isNew) credited.add(key)
    return { comment, row, parent: parents.get(item), id: hit?.id, depth: hit?.depth ?? row.depth ?? 0, isNew }
  })
}
