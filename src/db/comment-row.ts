import { avatarSeed, contentHash, emailHash, encryptEmail } from '../privacy/email.js'
import { anonymizeIp } from '../privacy/ip.js'
import type { Keys } from '../privacy/keys.js'
import { renderCommentHtml } from '../views/html.js'
import type { CommentRow, Status } from './schema.js'

/** A comment as a poster, a moderator or an importer gives it: the plain email and IP, the text as written. */
export type CommentFacts = {
  articleId: number
  parentId: number | null
  depth: number
  status: Status
  author: string
  email: string
  url: string | null
  content: string
  /** The client's address as seen; stored only anonymized (/24 or /48). */
  ip: string | null
  userAgent: string | null
  reasons: string[]
  spamScore: number | null
  /** The moderator who posted it as the site (a reply from the console). */
  byModerator?: string
  /** Keyed hashes the caller computed already for its checks (else computed here). */
  emailHash?: string
  /** The duplicate key when it is not the text's own (a reply's is keyed by its parent; a repeat's is random). */
  contentHash?: string
}

/**
 * The values of a new comments row: every column but those the database fills (id, the times) and
 * notified_at (null until moderators are told; the importer sets it, its comments need no telling).
 */
export type CommentValues = Omit<CommentRow, 'id' | 'created_at' | 'updated_at' | 'previous_status' | 'notified_at'> & { previous_status: null }

/**
 * The one builder of a stored comment (posts, moderators' replies, imports, the benchmark's seed): the email
 * encrypted and hashed with keys, the avatar seed from a keyed hash, the IP anonymized, the user agent cut to
 * 512 characters, the text rendered as safe HTML.
 */
export async function toCommentRow(keys: Keys, facts: CommentFacts): Promise<CommentValues> {
  const [emailEnc, hash, avatar, textHash] = await Promise.all([
    encryptEmail(keys, facts.email),
    facts.emailHash ?? emailHash(keys, facts.email),
    avatarSeed(keys, facts.email),
    facts.contentHash ?? contentHash(keys, facts.content),
  ])
  return {
    article_id: facts.articleId,
    parent_id: facts.parentId,
    depth: facts.depth,
    status: facts.status,
    previous_status: null,
    author: facts.author,
    url: facts.url,
    content: facts.content,
    html: renderCommentHtml(facts.content),
    email_enc: emailEnc,
    email_hash: hash,
    content_hash: textHash,
    avatar,
    ip: anonymizeIp(facts.ip),
    user_agent: facts.userAgent?.slice(0, 512) ?? null,
    reasons: facts.reasons,
    spam_score: facts.spamScore,
    by_moderator: facts.byModerator ?? null,
  }
}
