import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

export const statuses = ['pending', 'approved', 'spam', 'trash'] as const
export type Status = (typeof statuses)[number]

export interface ArticlesTable {
  id: Generated<number>
  key: string
  approved_count: Generated<number>
  /** Bumped whenever the article's public list changes; the list's ETag and caches key on it. */
  version: Generated<number>
  closed_at: Date | null
  created_at: Generated<Date>
  /** The page's title and canonical URL (migration 0008): from the embed's posts, or set by a moderator. */
  title: string | null
  url: string | null
}

export interface CommentsTable {
  id: Generated<number>
  article_id: number
  parent_id: number | null
  depth: Generated<number>
  status: Status
  previous_status: Status | null
  author: string
  url: string | null
  content: string
  html: string
  /** AES-GCM ciphertext of the email (base64 of iv ‖ ciphertext). */
  email_enc: string
  /** HMAC-SHA-256 of the normalized email, hex. */
  email_hash: string
  content_hash: string
  avatar: string
  ip: string | null
  user_agent: string | null
  reasons: ColumnType<string[], string[] | undefined, string[]>
  spam_score: number | null
  /** The moderator who posted this reply as the site (migration 0008); null for readers' comments. */
  by_moderator: string | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

/** Webhook deliveries that failed for good (migration 0005): no payload, secret or full URL. */
export interface WebhookFailuresTable {
  id: Generated<number>
  delivery_id: string
  event: string
  comment_id: number | null
  /** The receiver's origin only (a webhook URL's path or query can be a credential). */
  target: string
  /** The last HTTP status; 0 when no answer came. */
  status: number
  error: 'http_status' | 'network' | 'timeout'
  attempts: number
  first_attempt_at: Date
  failed_at: Generated<Date>
}

export interface Database {
  articles: ArticlesTable
  comments: CommentsTable
  webhook_failures: WebhookFailuresTable
}

export type ArticleRow = Selectable<ArticlesTable>
export type CommentRow = Selectable<CommentsTable>
export type NewComment = Insertable<CommentsTable>
export type CommentUpdate = Updateable<CommentsTable>
export type WebhookFailureRow = Selectable<WebhookFailuresTable>
