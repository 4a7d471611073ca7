import type { Kysely, Transaction } from 'kysely'
import type { AuditRow, Database, Status } from './schema.js'

export type AuditEntry = {
  moderator: string
  action: string
  commentId?: number | null
  article?: string | null
  from?: Status | null
  to?: Status | null
  detail?: Record<string, unknown> | null
}

/** Writes audit rows; pass the transaction that made the change where there is one. */
export async function recordAudit(db: Kysely<Database> | Transaction<Database>, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return
  await db
    .insertInto('audit_log')
    .values(
      entries.map((e) => ({
        moderator: e.moderator,
        action: e.action,
        comment_id: e.commentId ?? null,
        article: e.article ?? null,
        from_status: e.from ?? null,
        to_status: e.to ?? null,
        detail: e.detail ? JSON.stringify(e.detail) : null,
      })),
    )
    .execute()
}

/** The audit log, newest first, before an id cursor. */
export async function listAudit(
  db: Kysely<Database>,
  page: {
    beforeId: number | null
    limit: number
    moderator?: string | undefined
    commentId?: number | undefined
    article?: string | undefined
  },
): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll()
  if (page.beforeId !== null) query = query.where('id', '<', page.beforeId)
  if (page.moderator !== undefined) query = query.where('moderator', '=', page.moderator)
  if (page.commentId !== undefined) query = query.where('comment_id', '=', page.commentId)
  if (page.article !== undefined) query = query.where('article', '=', page.article)
  return query.orderBy('id', 'desc').limit(page.limit).execute()
}
