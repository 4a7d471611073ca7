import * as z from 'zod'
import { errorStatus, type ErrorCode } from '../errors.js'
import { idString, status } from '../routes/fields.js'

// The shapes of the API's answers, as zod schemas. The views' types are derived from them (views/comment.ts), the
// API document shows them (api/document.ts), and test/openapi.test.ts checks real answers against that document.
// A schema with an `id` is one of the document's components.

export const Status = status

const nullableId = z.string().nullable()
/** Answers are written, never parsed: an ISO-8601 time as `Date#toISOString` writes it. */
const dateTime = z.string().meta({ format: 'date-time' })

export const ErrorDetail = z
  .object({
    code: z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]),
    message: z.string().meta({ description: 'For people; a validation error’s summary.' }),
    fields: z.record(z.string(), z.string()).optional().meta({ description: 'A message per field that failed.' }),
  })
  .meta({ id: 'ErrorDetail', description: 'The one error body is `{ "error": ErrorDetail }`, with the status each code travels under.' })

export const ErrorBody = z.object({ error: ErrorDetail }).meta({ id: 'Error' })

export const Comment = z
  .object({
    id: idString(),
    article: z.string().meta({ description: 'The article key.' }),
    parentId: nullableId,
    author: z.string(),
    url: z.url().nullable(),
    avatar: z.url().meta({ description: 'An identicon URL under /avatar/.' }),
    content: z.string().meta({ description: 'The text as written.' }),
    html: z.string().meta({ description: 'Safe HTML from the text: escaped, paragraphs, links with rel="nofollow ugc noopener".' }),
    createdAt: dateTime,
    byModerator: z
      .literal(true)
      .optional()
      .meta({ description: 'Present (true) on a reply a moderator posted as the site; the embed shows a badge.' }),
  })
  .meta({ id: 'Comment', description: 'A public comment: never the email, an email hash, the IP address or the user agent.' })

export const AdminComment = Comment.extend({
  status: Status,
  previousStatus: Status.nullable().meta({ description: 'Where a restore returns it.' }),
  email: z.string().meta({ description: 'Decrypted; empty for an erased author.' }),
  ip: z.string().nullable().meta({ description: 'Anonymized: the /24 of IPv4, the /48 of IPv6.' }),
  userAgent: z.string().nullable(),
  reasons: z.array(z.string()).meta({ examples: [['links:3', 'moderation_word:casino']] }),
  spamScore: z.number().min(0).max(1).nullable(),
}).meta({ id: 'AdminComment', description: 'A comment as moderators see it.' })

export const CommentList = z
  .object({
    article: z.string(),
    comments: z.array(Comment),
    total: z.int().min(0).meta({ description: 'Approved comments on the article.' }),
    nextCursor: z.string().nullable(),
    formToken: z.string().meta({ description: 'A signed, expiring token to send with a post from this article’s form.' }),
    notify: z.literal(true).optional().meta({ description: 'Present (true) when the site sends email (SMTP_URL): the form may offer `notify`.' }),
    closed: z.literal(true).optional().meta({
      description:
        'Present and `true` when the article takes no new comments (closed by a moderator, by `AUTO_CLOSE_DAYS` or by an import); a post gets 403 `comments_closed`. Absent: open.',
    }),
  })
  .meta({ id: 'CommentList' })

const statusToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/)

export const PostedComment = z
  .object({
    comment: Comment.extend({ status: z.enum(['pending', 'approved']) }),
    message: z.enum(['Your comment is awaiting moderation.', 'Your comment has been published.']),
    statusToken: statusToken.meta({ description: 'For GET /api/comments/{id}/status.' }),
  })
  .meta({ id: 'PostedComment' })

export const CommentStatus = z.object({ id: idString(), status: z.enum(['pending', 'approved', 'removed']) }).meta({ id: 'CommentStatus' })

export const Counts = z.object({ counts: z.record(z.string(), z.int().min(0)) })

export const StatusCounts = z
  .object({ pending: z.int().min(0), approved: z.int().min(0), spam: z.int().min(0), trash: z.int().min(0) })
  .meta({ id: 'StatusCounts' })

export const Stats = z.object({
  counts: StatusCounts,
  site: z.string().nullable().meta({ description: 'The first origin of `ALLOWED_ORIGINS` other than `*`, else null.' }),
  spamThreshold: z.number().min(0).max(1).meta({ description: 'SPAM_THRESHOLD: scores below it are shown as neutral.' }),
  formTokenMinSeconds: z
    .int()
    .min(0)
    .meta({ description: 'FORM_TOKEN_MIN_SECONDS: `too_fast` means posted sooner than this after the form loaded.' }),
})

export const ArticlePage = z.object({ title: z.string().nullable(), url: z.url().nullable() }).meta({ id: 'ArticlePage' })

export const Queue = z.object({
  comments: z.array(AdminComment),
  nextCursor: z.string().nullable(),
  articles: z.record(z.string(), ArticlePage).meta({
    description: 'By article key, for the articles of this page: the page title and URL (from the embed, or set by a moderator).',
  }),
  history: z.record(z.string(), StatusCounts).meta({
    description: 'By comment id: how many other comments its author (by keyed email hash) has in each status; the comment itself is not counted.',
  }),
})

export const BulkResult = z.object({
  comments: z.array(AdminComment),
  deleted: z.array(idString()),
  notFound: z.array(idString()),
  skipped: z.array(idString()),
})

export const Reply = z.object({ comment: AdminComment, parent: AdminComment })

export const Moderator = z
  .object({
    name: z.string().meta({ description: 'The token’s moderator (`admin` for ADMIN_TOKEN).' }),
    displayName: z.string().meta({ description: 'The author name of their replies; their name until they set one.' }),
  })
  .meta({ id: 'Moderator' })

export const ArticleState = z
  .object({
    article: z.string(),
    closed: z.boolean(),
    closedAt: dateTime.nullable().meta({ description: 'May lie in the future (auto-close).' }),
    approvedCount: z.int().min(0),
  })
  .meta({ id: 'ArticleState' })

export const NamedArticlePage = ArticlePage.extend({ article: z.string() })

export const AuditEntry = z
  .object({
    id: idString('An audit entry id.'),
    at: dateTime,
    moderator: z.string().meta({ description: '`admin` for ADMIN_TOKEN, a named moderator, or `webhook-link`.' }),
    action: z.string().meta({
      examples: ['status', 'restore', 'delete', 'article.close', 'personal_data.erase', 'link.approve', 'webhook.resend', 'webhook.dismiss'],
    }),
    commentId: nullableId,
    article: z.string().nullable(),
    from: Status.nullable(),
    to: Status.nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditEntry' })

export const AuditPage = z.object({ entries: z.array(AuditEntry), nextCursor: z.string().nullable() })

const deliveryError = z.enum(['http_status', 'network', 'timeout'])

export const FailedDelivery = z
  .object({
    id: idString('A failed delivery’s id.'),
    deliveryId: z.string().meta({ description: 'The `X-Parley-Delivery` header (and the event’s `id`) the receiver was sent.' }),
    event: z.string().meta({ examples: ['comment.held'] }),
    commentId: nullableId.meta({ description: 'The comment the event was about (it may have been deleted since).' }),
    target: z.string().meta({ description: 'The receiver’s origin (scheme, host, port) only.', examples: ['https://hooks.example'] }),
    status: z.int().min(0).meta({ description: 'The last attempt’s HTTP status; 0 when no answer came (see `error`).' }),
    error: deliveryError.meta({
      description:
        '`http_status`: the receiver answered `status`; `network`: no connection, or it broke; `timeout`: no answer within the attempt’s limit (10 s, less near the end of the 25 s all attempts share).',
    }),
    attempts: z.int().min(1).meta({ description: 'Requests made (1 + retries), those of any resend that failed too included.' }),
    firstAttemptAt: dateTime.meta({ description: 'The very first attempt (a resend does not change it).' }),
    failedAt: dateTime.meta({ description: 'When the last attempt failed (a resend’s, after one).' }),
  })
  .meta({ id: 'FailedDelivery' })

export const FailedDeliveryPage = z.object({ deliveries: z.array(FailedDelivery), nextCursor: z.string().nullable() })

export const ResendResult = z
  .object({
    delivered: z.boolean().meta({ description: 'The receiver answered 2xx.' }),
    deliveryId: z.string().meta({ description: 'The `X-Parley-Delivery` sent: the failed delivery’s own id.' }),
    attempts: z.int().min(1).meta({ description: 'Requests this resend made (1 + retries).' }),
    status: z.int().min(0).meta({ description: 'The last attempt’s HTTP status; 0 when no answer came.' }),
    error: deliveryError.nullable().meta({ description: 'As in `FailedDelivery`; null when delivered.' }),
    failure: FailedDelivery.nullable().meta({
      description: 'The failure as it is kept after a failed resend; null when delivered (it is removed), or if it was dismissed meanwhile.',
    }),
  })
  .meta({ id: 'ResendResult' })

const wordList = z.array(z.string())
export const WordLists = z
  .object({
    moderation: wordList.meta({ description: 'A hit holds the comment (`moderation_word:W`).' }),
    disallowed: wordList.meta({ description: 'A hit sends it to spam (`disallowed_word:W`).' }),
    profanity: wordList.meta({ description: "This site's own profane words, on top of the shipped list: a hit holds the comment (`profanity`)." }),
    allowed: wordList.meta({ description: 'Words never read as profanity or as a hold or spam word (a town, a surname).' }),
  })
  .meta({ id: 'WordLists' })

export const PersonalData = z
  .object({
    exportedAt: dateTime,
    email: z.string(),
    comments: z.array(
      z.object({
        id: idString(),
        article: z.string(),
        parentId: nullableId,
        status: Status,
        author: z.string(),
        email: z.string(),
        url: z.string().nullable(),
        content: z.string(),
        ip: z.string().nullable(),
        userAgent: z.string().nullable(),
        reasons: z.array(z.string()),
        createdAt: dateTime,
        updatedAt: dateTime,
      }),
    ),
    emailSubscriptions: z
      .array(
        z.object({ article: z.string(), articleUrl: z.string().nullable(), lang: z.string(), createdAt: dateTime, confirmedAt: dateTime.nullable() }),
      )
      .meta({ description: 'Reply notifications asked for (`notify`), per article; `confirmedAt` null until the link was used.' }),
    emailMessages: z
      .array(
        z.object({
          id: idString('A message id.'),
          kind: z.string(),
          commentId: nullableId,
          state: z.string(),
          attempts: z.int().min(0),
          createdAt: dateTime,
          sentAt: dateTime.nullable(),
        }),
      )
      .meta({ description: 'Messages to the address, queued, sent (kept 30 days), skipped or failed; never their text.' }),
    emailOptedOut: z.boolean().meta({ description: 'The address unsubscribed from everything.' }),
  })
  .meta({ id: 'PersonalData' })

export const Erased = z.object({ mode: z.enum(['anonymize', 'delete']), comments: z.array(idString()), articles: z.array(z.string()) })

export const FailedEmails = z.object({
  enabled: z.boolean().meta({ description: 'Whether SMTP_URL is set.' }),
  failures: z.array(
    z.object({
      id: idString('A failed message’s id.'),
      kind: z.string().meta({ examples: ['held', 'confirm', 'reply'] }),
      commentId: nullableId,
      attempts: z.int().min(0),
      error: z.string().nullable().meta({ description: 'An SMTP code or a kind of failure; never the address or the text.' }),
      createdAt: dateTime,
    }),
  ),
})

export const Health = z.object({ ok: z.literal(true) })
export const Unhealthy = z.object({ ok: z.literal(false), error: ErrorDetail.extend({ code: z.literal('unavailable') }) })

export const EmbedStrings = z.record(z.string(), z.union([z.string(), z.record(z.string(), z.string())]))

export type PublicComment = z.output<typeof Comment>
export type AdminCommentAnswer = z.output<typeof AdminComment>

// The answers the moderator console reads (src/admin/console), typed from the same schemas.
export type StatsAnswer = z.output<typeof Stats>
export type QueueAnswer = z.output<typeof Queue>
export type BulkAnswer = z.output<typeof BulkResult>
export type ReplyAnswer = z.output<typeof Reply>
export type ModeratorAnswer = z.output<typeof Moderator>
export type ArticleStateAnswer = z.output<typeof ArticleState>
export type ArticlePageAnswer = z.output<typeof NamedArticlePage>
export type FailedDeliveryAnswer = z.output<typeof FailedDelivery>
export type FailedDeliveryPageAnswer = z.output<typeof FailedDeliveryPage>
export type ResendAnswer = z.output<typeof ResendResult>
export type FailedEmailsAnswer = z.output<typeof FailedEmails>
export type StatusCountsAnswer = z.output<typeof StatusCounts>
export type PersonalDataAnswer = z.output<typeof PersonalData>
