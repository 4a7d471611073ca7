import type { AdminRow, PublicRow } from '../db/comments.js'
import type { Status } from '../db/schema.js'
import { decryptEmail } from '../privacy/email.js'
import type { Keys } from '../privacy/keys.js'

export type PublicComment = {
  id: string
  article: string
  parentId: string | null
  author: string
  url: string | null
  avatar: string
  content: string
  html: string
  createdAt: string
  /** Only on a reply a moderator posted as the site (the embed shows a badge); absent on readers' comments. */
  byModerator?: true
}

export type AdminComment = PublicComment & {
  status: Status
  previousStatus: Status | null
  email: string
  ip: string | null
  userAgent: string | null
  reasons: string[]
  spamScore: number | null
}

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
