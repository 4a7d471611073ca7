import type { AdminRow, PublicRow } from '../db/comments.js'
import { decryptEmail } from '../privacy/email.js'
import type { Keys } from '../privacy/keys.js'
import type { AdminCommentAnswer as AdminComment, PublicComment } from '../api/answers.js'

// The answers' shapes are defined once, as the zod schemas the API document shows (api/answers.ts).
export type { AdminCommentAnswer as AdminComment, PublicComment } from '../api/answers.js'

/** A stored row as a public answer reads it; by_moderator may be left out by a writer that never sets it. */
type PublicSource = Omit<PublicRow, 'by_moderator'> & { by_moderator?: string | null }

/**
 * The one place a stored comment becomes a public answer. It can only read public columns; of
 * by_moderator (the moderator's name) it tells only that a moderator wrote it.
 */
export function toPublicComment(row: PublicSource, article: string, baseUrl: string): PublicComment {
  const comment: PublicComment = {
    id: String(row.id),
    article,
    parentId: row.parent_id === null ? null : String(row.parent_id),
    author: row.author,
    url: row.url,
    avatar: `${baseUrl}/avatar/${row.avatar}.svg`,
    content: row.content,
    html: row.html,
    createdAt: row.created_at.toISOString(),
  }
  if (row.by_moderator) comment.byModerator = true
  return comment
}

/** The one place a stored comment becomes a moderator's answer, with the email decrypted. */
export async function toAdminComment(row: AdminRow, keys: Keys, baseUrl: string): Promise<AdminComment> {
  return {
    ...toPublicComment(row, row.article, baseUrl),
    status: row.status,
    previousStatus: row.previous_status,
    email: await decryptEmail(keys, row.email_enc),
    ip: row.ip,
    userAgent: row.user_agent,
    reasons: row.reasons,
    spamScore: row.spam_score,
  }
}
