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

export type EmailKind = 'held' | 'confirm' | 'reply'

/** Email waiting to go out, sent, or failed for good (migration 0009). The id makes the Message-ID. */
export interface EmailOutboxTable {
  id: Generated<number>
  kind: EmailKind
  comment_id: number | null
  subscription_id: number | null
  /** A reader's address, encrypted like comments' (null: the moderators in MODERATOR_EMAILS). */
  recipient_enc: string | null
  recipient_hash: string | null
  lang: Generated<string>
  /** skipped: its reason went away before its turn (comment deleted or decided, subscription gone). */
  state: Generated<'queued' | 'sent' | 'failed' | 'skipped'>
  attempts: Generated<number>
  next_attempt_at: Generated<Date>
  /** What the last attempt ran into: an SMTP code or a kind of failure, never the server's text. */
  last_error: string | null
  created_at: Generated<Date>
  sent_at: Date | null
}

/** A reader's wish to hear about replies on one article; confirmed by the link they were sent. */
export interface EmailSubscriptionsTable {
  id: Generated<number>
  email_hash: string
  email_enc: string
  article_id: number
  article_url: string | null
  lang: Generated<string>
  created_at: Generated<Date>
  confirmed_at: Date | null
}

export interface Database {
  articles: ArticlesTable
  comments: CommentsTable
  webhook_failures: WebhookFailuresTable
  email_outbox: EmailOutboxTable
  email_subscriptions: EmailSubscriptionsTable
  email_optouts: { email_hash: string; created_at: Generated<Date> }
}

export type ArticleRow = Selectable<ArticlesTable>
export type CommentRow = Selectable<CommentsTable>
export type NewComment = Insertable<CommentsTable>
export type CommentUpdate = Updateable<CommentsTable>
export type WebhookFailureRow = Selectable<WebhookFailuresTable>
export type EmailOutboxRow = Selectable<EmailOutboxTable>
export type EmailSubscriptionRow = Selectable<EmailSubscriptionsTable>
