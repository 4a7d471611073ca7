import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

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
  /** When a moderator last reopened it (migration 0003); auto-closing counts from here. */
  reopened_at: Date | null
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
  /** When moderators were told about this pending comment (migration 0003); null: not yet. */
  notified_at: Date | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

/** Moderators with their own tokens (migration 0003); ADMIN_TOKEN's moderator is not stored. */
export interface ModeratorsTable {
  id: Generated<number>
  name: string
  /** SHA-256 of the token, hex: the token itself is stored nowhere. */
  token_hash: string
  created_at: Generated<Date>
  revoked_at: Date | null
}

/** The name each moderator's replies are signed with (migration 0008). */
export interface ModeratorProfilesTable {
  name: string
  display_name: string
  updated_at: Generated<Date>
}

/** Every moderator action (migration 0003). */
export interface AuditLogTable {
  id: Generated<number>
  at: Generated<Date>
  moderator: string
  action: string
  comment_id: number | null
  article: string | null
  from_status: Status | null
  to_status: Status | null
  detail: unknown
}

/** One-click links already spent (migration 0003): each nonce works once until it expires. */
export interface UsedLinksTable {
  nonce: string
  used_at: Generated<Date>
  expires_at: Date
}

export type WordListName = 'moderation' | 'disallowed' | 'profanity' | 'allowed'

/** The moderators' word lists (migrations 0002 and 0007), one row per list. */
export interface WordListsTable {
  list: WordListName
  words: string[]
  updated_at: Generated<Date>
}

export type SpamLabel = 'spam' | 'ham'

/**
 * The moderators' decisions the spam model learns from (migration 0004). features are classifier.ts's
 * numbers: family << 20 | bucket (family 0: stored before families, 2026-11). label null: decision undone.
 */
export interface SpamExamplesTable {
  key: string
  label: SpamLabel | null
  features: number[]
  seq: number
}

/** The single row (id 1) versioning spam_examples: seq of the last change, reset_seq of the last removal. */
export interface SpamModelTable {
  id: number
  seq: number
  reset_seq: number
}

/** rate-limiter-flexible's counters (migration 0002); expire is epoch milliseconds (bigint: a string from pg). */
export interface RateLimitsTable {
  key: string
  points: Generated<number>
  expire: string | number | null
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

/** Addresses that asked for no more email (migration 0009), by keyed hash only. */
export interface EmailOptoutsTable {
  email_hash: string
  created_at: Generated<Date>
}

/** Every table Parley's migrations create: the one schema all queries are typed from. */
export interface Database {
  articles: ArticlesTable
  comments: CommentsTable
  webhook_failures: WebhookFailuresTable
  email_outbox: EmailOutboxTable
  email_subscriptions: EmailSubscriptionsTable
  email_optouts: EmailOptoutsTable
  moderators: ModeratorsTable
  moderator_profiles: ModeratorProfilesTable
  audit_log: AuditLogTable
  used_links: UsedLinksTable
  word_lists: WordListsTable
  spam_examples: SpamExamplesTable
  spam_model: SpamModelTable
  rate_limits: RateLimitsTable
}

export type ArticleRow = Selectable<ArticlesTable>
export type CommentRow = Selectable<CommentsTable>
export type NewComment = Insertable<CommentsTable>
export type WebhookFailureRow = Selectable<WebhookFailuresTable>
export type EmailOutboxRow = Selectable<EmailOutboxTable>
export type EmailSubscriptionRow = Selectable<EmailSubscriptionsTable>
export type ModeratorRow = Selectable<ModeratorsTable>
export type AuditRow = Selectable<AuditLogTable>
export type NewAuditEntry = Insertable<AuditLogTable>
