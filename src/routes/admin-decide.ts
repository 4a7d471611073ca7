import { recordAudit } from '../db/audit.js'
import { deleteComment, findComment, setStatus, type AdminRow } from '../db/comments.js'
import type { Status } from '../db/schema.js'
import type { Deps } from '../env.js'
import { AppError } from '../errors.js'
import { queueReply } from '../email/outbox.js'

/** Statuses a comment can be restored from: the places a moderator sends what they do not want. */
export const restorable: readonly Status[] = ['spam', 'trash']

/**
 * One moderator decision on one comment: the status change (counts and ETags kept in step by
 * setStatus), the learner told, and an audit row. Undefined for an unknown id.
 */
export async function decide(
  deps: Pick<Deps, 'db' | 'moderation' | 'config'>,
  moderator: string,
  id: number,
  to: Status,
  action = 'status',
): Promise<AdminRow | undefined> {
  const { db, moderation } = deps
  // An approved reply's notification is written with the decision (email outbox), or not at all.
  const from = await setStatus(
    db,
    id,
    to,
    deps.config.email ? (tx, change) => (change.to === 'approved' ? queueReply(tx, change.id) : Promise.resolve()) : undefined,
  )
  if (from === undefined) return undefined
  const row = await findComment(db, id)
  if (!row) return undefined
  await recordAudit(db, [{ moderator, action, commentId: id, article: row.article, from, to }])
  // Every decision teaches, whatever the checks said (a comment the checks filed as spam and a moderator
  // confirms is a spam example too): the model learns from exactly the decisions moderators make.
  if (moderation.learn) {
    await moderation.learn({ content: row.content, author: row.author, url: row.url, from, to })
  }
  return row
}

/** Returns a comment from spam or trash to where it was (a comment the checks sent to spam goes to pending). */
export async function restore(deps: Pick<Deps, 'db' | 'moderation' | 'config'>, moderator: string, id: number): Promise<AdminRow | undefined> {
  const row = await findComment(deps.db, id)
  if (!row) return undefined
  if (!restorable.includes(row.status)) {
    const message = 'Only comments in spam or trash can be restored.'
    throw new AppError('validation_failed', message, { fields: { status: message } })
  }
  const target = row.previous_status && row.previous_status !== row.status ? row.previous_status : 'pending'
  return decide(deps, moderator, id, target, 'restore')
}

/** Deletes a comment for good, with an audit row that keeps its id, article and last status. */
export async function remove(deps: Pick<Deps, 'db'>, moderator: string, id: number): Promise<boolean> {
  const row = await findComment(deps.db, id)
  if (!row || !(await deleteComment(deps.db, id))) return false
  await recordAudit(deps.db, [{ moderator, action: 'delete', commentId: id, article: row.article, from: row.status, to: null }])
  return true
}
