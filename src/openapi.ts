import type { ErrorCode } from './errors.js'
import { ID } from './routes/ids.js'

/**
 * The OpenAPI 3.1 description of every route createApp serves, served at GET /openapi.json.
 * A plain object (no generator, no file read) so the Worker bundles it as it is. test/openapi.test.ts
 * fails when the app's routes and these paths drift apart, or an error code is left undocumented.
 */

type Schema = Record<string, unknown>
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: Schema) => ({ content: { 'application/json': { schema } } })

const ID_PATTERN = ID.source
const articleKey = { type: 'string', minLength: 1, maxLength: 512, description: 'An article key, trimmed.' }
const commentId = { type: 'string', pattern: ID_PATTERN, description: 'A comment id (decimal digits).' }
const limit = (defaultValue: number) => ({ type: 'integer', minimum: 1, maximum: 200, default: defaultValue })

/** An error answer whose `error.code` is one of `codes` (each must travel under this response's status). */
function error(description: string, ...codes: [ErrorCode, ...ErrorCode[]]) {
  return {
    description: `${description} (${codes.map((c) => `\`${c}\``).join(', ')})`,
    ...json({
      type: 'object',
      required: ['error'],
      properties: { error: { ...ref('ErrorDetail'), properties: { code: { type: 'string', enum: codes } } } },
    }),
  }
}

// Answers most operations share.
const unauthorized = {
  ...error('No moderator token, or not a valid one. Sent with `WWW-Authenticate: Bearer realm="parley"`.', 'unauthorized'),
  headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
}
const internal = error('An unexpected failure; never a stack trace or SQL.', 'internal_error')
/** Any route that needs the database may answer this while it is away (listed where the contract names it). */
const unavailable = {
  ...error('The database cannot be reached, does not answer or cannot write for now: try again after Retry-After.', 'unavailable'),
  headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', minimum: 1 } } },
}
/** Public reads past RATE_READS_PER_MINUTE from one address (IPv4, or IPv6 /64). */
const readLimited = {
  ...error('Too many reads from this client (IP, IPv6 /64) in a minute (RATE_READS_PER_MINUTE).', 'rate_limited'),
  headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', minimum: 1 } } },
}
const tooLarge = error('The body is over 64 KiB (any POST, PUT, PATCH or DELETE under /api/).', 'payload_too_large')
const badQuery = error('A query parameter failed its rule; `fields` names each one.', 'validation_failed')
const badJson = error(
  'The JSON body failed its rule (`fields` names each one; a body sent without a JSON content type reads as `{}`), or could not be parsed',
  'validation_failed',
  'invalid_body',
)
const noComment = error('No comment has this id (also for an id that is not a number).', 'not_found')
const moderator = { security: [{ moderatorToken: [] }] }
const noStore = { 'Cache-Control': { description: '`no-store` on every moderator answer.', schema: { type: 'string' } } }
/** A 200 holding one page of a moderator list: the items under `key`, and the cursor of the next page. */
const page = (description: string, key: string, item: string) => ({
  description,
  headers: noStore,
  ...json({
    type: 'object',
    required: [key, 'nextCursor'],
    properties: { [key]: { type: 'array', items: ref(item) }, nextCursor: { type: ['string', 'null'] } },
  }),
})
const idParam = { name: 'id', in: 'path', required: true, schema: commentId }
const failureIdParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: ID_PATTERN, description: 'A failed delivery’s `id`.' },
}
const noFailure = error('No failed delivery has this id (dismissed, delivered by a resend, or past 30 days).', 'not_found')
const cursorParam = {
  name: 'cursor',
  in: 'query',
  required: false,
  description: 'The `nextCursor` of the previous page (opaque). A malformed cursor answers 400 `validation_failed`.',
  schema: { type: 'string' },
}
const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } })

const commentPaths = {
  '/api/comments': {
    get: {
      tags: ['public'],
      operationId: 'listComments',
      summary: 'The approved comments of an article, oldest first, and a form token',
      description:
        'Only `approved` comments, replies included as a flat list with `parentId`. CORS for the origins in `ALLOWED_ORIGINS`. ' +
        'The `ETag` changes when the article’s list changes (and at least hourly, so cached form tokens stay fresh).',
      parameters: [
        { name: 'article', in: 'query', required: true, schema: articleKey },
        { name: 'limit', in: 'query', required: false, schema: limit(100) },
        cursorParam,
        { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } },
      ],
      responses: {
        200: {
          description: 'The page of comments. `Cache-Control: no-cache`.',
          headers: { ETag: { schema: { type: 'string' } } },
          ...json(ref('CommentList')),
        },
        304: { description: 'The `If-None-Match` matched the current `ETag`.', headers: { ETag: { schema: { type: 'string' } } } },
        400: badQuery,
        429: readLimited,
        500: internal,
        503: { ...unavailable, description: 'The database is away, or (Node) too many big answers wait for readers that do not read: try again.' },
      },
    },
    post: {
      tags: ['public'],
      operationId: 'postComment',
      summary: 'Leave a comment: validated, checked, held for a moderator',
      description:
        'JSON, or `application/x-www-form-urlencoded` from a plain HTML form: a form post with a `redirect` field answers 303 ' +
        'to it (its origin must be this service’s or in `ALLOWED_ORIGINS`). The checks run in this order: fields, closed ' +
        'article, parent, rate limits, duplicate. A comment the checks send to spam gets the same 201 as a held one.',
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: ref('CommentInput') },
          'application/x-www-form-urlencoded': { schema: ref('CommentInput') },
        },
      },
      responses: {
        201: {
          description:
            'Stored: pending (or spam, said the same way, e.g. a repeat of an earlier text and email from another client), or approved when auto-approval applies.',
          ...json(ref('PostedComment')),
        },
        303: {
          description: 'A form post with an allowed `redirect`: back to that page.',
          headers: { Location: { schema: { type: 'string', format: 'uri' } } },
        },
        400: error(
          'A field failed its rule: `fields` has a message per field and `message` a summary ("Please fill the required fields: name, email."); or the body could not be parsed',
          'validation_failed',
          'invalid_body',
        ),
        403: error('Comments on this article were closed by a moderator.', 'comments_closed'),
        404: error('`parentId` is not an approved comment of the same article.', 'parent_not_found'),
        409: error(
          'The same author already posted the same text on this article, from the same client (/24 or /48). The same text and email ' +
            'from another client is not told apart: 201, kept as spam (a 409 would confirm a guessed email).',
          'duplicate_comment',
        ),
        413: error('The body is over 64 KiB.', 'payload_too_large'),
        415: error('The body is neither JSON nor a urlencoded form.', 'unsupported_media_type'),
        429: {
          ...error('Too many posts from this client (IP) or this email in a window (configurable).', 'rate_limited'),
          headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', minimum: 1 } } },
        },
        500: internal,
        503: unavailable,
      },
    },
  },
  '/api/comments/{id}/status': {
    get: {
      tags: ['public'],
      operationId: 'commentStatus',
      summary: 'For the author only: is my comment still awaiting moderation?',
      description:
        'Needs the `statusToken` from the 201 answer. Spam reads as `pending` (a spammer learns nothing); trash and ' +
        'deleted read as `removed`. `Cache-Control: no-store`.',
      parameters: [idParam, { name: 'token', in: 'query', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } }],
      responses: {
        200: { description: 'Where the comment stands.', ...json(ref('CommentStatus')) },
        400: badQuery,
        404: error('The token does not belong to this id.', 'not_found'),
        500: internal,
      },
    },
  },
  '/api/counts': {
    get: {
      tags: ['public'],
      operationId: 'countComments',
      summary: 'Approved comments per article',
      description: 'Up to 100 distinct article keys (repeated keys count once). CORS as for /api/comments. `Cache-Control: no-cache`.',
      parameters: [
        {
          name: 'article',
          in: 'query',
          required: true,
          style: 'form',
          explode: true,
          schema: { type: 'array', items: articleKey, minItems: 1, maxItems: 100 },
        },
      ],
      responses: {
        200: {
          description: 'A count for every key asked for (0 for an unknown article).',
          ...json({
            type: 'object',
            required: ['counts'],
            properties: { counts: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } } },
          }),
        },
        400: badQuery,
        429: readLimited,
        500: internal,
      },
    },
  },
}

const adminPaths = {
  '/api/admin/stats': {
    get: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminStats',
      summary: 'Comments per status (the console’s tabs), and the site article paths live on',
      responses: {
        200: {
          description: 'Counts per status; `site` is the first origin of `ALLOWED_ORIGINS` other than `*`, else null.',
          headers: noStore,
          ...json({
            type: 'object',
            required: ['counts', 'site', 'spamThreshold', 'formTokenMinSeconds'],
            properties: {
              spamThreshold: { type: 'number', minimum: 0, maximum: 1, description: 'SPAM_THRESHOLD: scores below it are shown as neutral.' },
              formTokenMinSeconds: {
                type: 'integer',
                minimum: 0,
                description: 'FORM_TOKEN_MIN_SECONDS: `too_fast` means posted sooner than this after the form loaded.',
              },
              counts: {
                type: 'object',
                required: ['pending', 'approved', 'spam', 'trash'],
                properties: Object.fromEntries(['pending', 'approved', 'spam', 'trash'].map((s) => [s, { type: 'integer', minimum: 0 }])),
              },
              site: { type: ['string', 'null'] },
            },
          }),
        },
        401: unauthorized,
        500: internal,
      },
    },
  },
  '/api/admin/comments': {
    get: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminListComments',
      summary: 'The moderation queue, newest first (or most spam-like first)',
      parameters: [
        { name: 'status', in: 'query', required: false, description: 'Any status when left out.', schema: ref('Status') },
        { name: 'article', in: 'query', required: false, schema: articleKey },
        {
          name: 'reason',
          in: 'query',
          required: false,
          description: 'A reason, or its name before the colon (`links` matches `links:3`).',
          schema: { type: 'string', minLength: 1, maxLength: 200 },
        },
        {
          name: 'q',
          in: 'query',
          required: false,
          description: 'Text in the content, author or article key; a whole email address also matches its author’s comments.',
          schema: { type: 'string', minLength: 1, maxLength: 200 },
        },
        { name: 'sort', in: 'query', required: false, schema: { type: 'string', enum: ['newest', 'score'], default: 'newest' } },
        { name: 'limit', in: 'query', required: false, schema: limit(50) },
        cursorParam,
      ],
      responses: {
        200: {
          description: 'A page of the queue, with context: each article’s page title and URL, and each author’s other comments.',
          headers: noStore,
          ...json({
            type: 'object',
            required: ['comments', 'nextCursor', 'articles', 'history'],
            properties: {
              comments: { type: 'array', items: ref('AdminComment') },
              nextCursor: { type: ['string', 'null'] },
              articles: {
                type: 'object',
                description: 'By article key, for the articles of this page: the page title and URL (from the embed, or set by a moderator).',
                additionalProperties: ref('ArticlePage'),
              },
              history: {
                type: 'object',
                description:
                  'By comment id: how many other comments its author (by keyed email hash) has in each status; the comment itself is not counted.',
                additionalProperties: ref('StatusCounts'),
              },
            },
          }),
        },
        400: badQuery,
        401: unauthorized,
        500: internal,
      },
    },
  },
  '/api/admin/comments/bulk': {
    post: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminBulk',
      summary: 'One status, or delete / restore, for up to 200 comments; an audit row each',
      requestBody: { required: true, ...json(ref('BulkInput')) },
      responses: {
        200: {
          description:
            'What happened to each id: changed (`comments`), `deleted`, `notFound`, or `skipped` (a restore of a comment not in spam or trash).',
          headers: noStore,
          ...json({
            type: 'object',
            required: ['comments', 'deleted', 'notFound', 'skipped'],
            properties: {
              comments: { type: 'array', items: ref('AdminComment') },
              deleted: { type: 'array', items: commentId },
              notFound: { type: 'array', items: commentId },
              skipped: { type: 'array', items: commentId },
            },
          }),
        },
        400: badJson,
        401: unauthorized,
        413: tooLarge,
        500: internal,
      },
    },
  },
  '/api/admin/comments/{id}': {
    parameters: [idParam],
    get: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminGetComment',
      summary: 'One comment, whatever its status',
      responses: {
        200: { description: 'The comment.', headers: noStore, ...json(ref('AdminComment')) },
        401: unauthorized,
        404: noComment,
        500: internal,
      },
    },
    patch: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminSetStatus',
      summary: 'A moderator’s decision: approve, hold, spam or trash',
      description: 'The spam score learns from it and the audit log keeps it.',
      requestBody: {
        required: true,
        ...json({ type: 'object', required: ['status'], properties: { status: ref('Status') } }),
      },
      responses: {
        200: { description: 'The comment after the change.', headers: noStore, ...json(ref('AdminComment')) },
        400: badJson,
        401: unauthorized,
        404: noComment,
        413: tooLarge,
        500: internal,
      },
    },
    delete: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminDeleteComment',
      summary: 'Delete for good; its replies stay, moved to the top level',
      responses: { 204: { description: 'Deleted.' }, 401: unauthorized, 404: noComment, 500: internal },
    },
  },
  '/api/admin/comments/{id}/restore': {
    post: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminRestore',
      summary: 'Undo: a comment in spam or trash goes back to its previous status (pending if the checks sent it to spam)',
      parameters: [idParam],
      responses: {
        200: { description: 'The restored comment.', headers: noStore, ...json(ref('AdminComment')) },
        400: error('The comment is not in spam or trash (`fields.status` says so).', 'validation_failed'),
        401: unauthorized,
        404: noComment,
        500: internal,
      },
    },
  },
  '/api/admin/comments/{id}/reply': {
    post: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminReply',
      summary: 'Reply as the site: posted as the signed-in moderator (their display name), approved at once, threaded under the comment',
      description:
        'The text goes through the same rules and HTML rendering as any comment. At the MAX_DEPTH limit the reply is placed beside the comment, under its parent. The public answer marks it `byModerator: true`. A reply is allowed on a closed article.',
      parameters: [idParam],
      requestBody: {
        required: true,
        ...json({
          type: 'object',
          required: ['content'],
          properties: {
            content: { type: 'string', minLength: 1, description: 'At most MAX_CONTENT_LENGTH characters (default 10,000).' },
            approve: {
              type: 'boolean',
              description:
                'Approve the comment first if it is not published ("Approve and reply"); without it, replying under an unpublished comment is refused.',
            },
          },
        }),
      },
      responses: {
        201: {
          description: 'The reply, and the comment it answers (approved now if `approve` was sent).',
          headers: noStore,
          ...json({ type: 'object', required: ['comment', 'parent'], properties: { comment: ref('AdminComment'), parent: ref('AdminComment') } }),
        },
        400: error(
          'The reply is empty or too long, or the comment is not published and `approve` was not sent (`fields` says which).',
          'validation_failed',
          'invalid_body',
        ),
        401: unauthorized,
        404: noComment,
        409: error('The same reply was already posted under this comment.', 'duplicate_comment'),
        413: tooLarge,
        500: internal,
      },
    },
  },
  '/api/admin/me': {
    get: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminMe',
      summary: 'The signed-in moderator, and the name their replies are signed with',
      responses: { 200: { description: 'The moderator.', headers: noStore, ...json(ref('Moderator')) }, 401: unauthorized, 500: internal },
    },
    put: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminSetDisplayName',
      summary: 'Set the display name of this token’s moderator (replies already posted keep theirs)',
      requestBody: {
        required: true,
        ...json({ type: 'object', required: ['displayName'], properties: { displayName: { type: 'string', minLength: 1, maxLength: 100 } } }),
      },
      responses: {
        200: { description: 'The moderator.', headers: noStore, ...json(ref('Moderator')) },
        400: badJson,
        401: unauthorized,
        413: tooLarge,
        500: internal,
      },
    },
  },
  '/api/admin/articles': {
    patch: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminSetArticlePage',
      summary: 'Name an article’s page: its title and URL (null clears one; a field left out stays as it is)',
      description:
        'The embed sends the page’s title and canonical URL with a post; the first one kept names the article, and readers’ later posts never overwrite it.',
      requestBody: {
        required: true,
        ...json({
          type: 'object',
          required: ['article'],
          properties: {
            article: articleKey,
            title: { type: ['string', 'null'], minLength: 1, maxLength: 300 },
            url: { type: ['string', 'null'], maxLength: 2000, pattern: '^[hH][tT][tT][pP][sS]?://' },
          },
        }),
      },
      responses: {
        200: {
          description: 'The article’s page.',
          headers: noStore,
          ...json({ allOf: [ref('ArticlePage')], required: ['article'], properties: { article: { type: 'string' } } }),
        },
        400: badJson,
        401: unauthorized,
        404: error('No article has this key.', 'not_found'),
        413: tooLarge,
        500: internal,
      },
    },
    get: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminArticle',
      summary: 'Whether an article takes comments, and when it closes',
      parameters: [{ name: 'article', in: 'query', required: true, schema: articleKey }],
      responses: {
        200: { description: 'The article’s state.', headers: noStore, ...json(ref('ArticleState')) },
        400: badQuery,
        401: unauthorized,
        404: error('No article has this key.', 'not_found'),
        500: internal,
      },
    },
  },
  '/api/admin/articles/close': {
    post: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminCloseArticle',
      summary: 'Close comments: new posts get 403 `comments_closed` (an unknown article is created closed)',
      requestBody: { required: true, ...json(ref('ArticleInput')) },
      responses: {
        200: { description: 'The article’s state.', headers: noStore, ...json(ref('ArticleState')) },
        400: badJson,
        401: unauthorized,
        413: tooLarge,
        500: internal,
      },
    },
  },
  '/api/admin/articles/reopen': {
    post: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminReopenArticle',
      summary: 'Open comments again; the article is never auto-closed afterwards',
      requestBody: { required: true, ...json(ref('ArticleInput')) },
      responses: {
        200: { description: 'The article’s state.', headers: noStore, ...json(ref('ArticleState')) },
        400: badJson,
        401: unauthorized,
        404: error('No article has this key.', 'not_found'),
        413: tooLarge,
        500: internal,
      },
    },
  },
  '/api/admin/audit': {
    get: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminAudit',
      summary: 'Every moderator action, newest first',
      parameters: [
        { name: 'moderator', in: 'query', required: false, schema: { type: 'string', minLength: 1, maxLength: 64 } },
        { name: 'article', in: 'query', required: false, schema: articleKey },
        { name: 'comment', in: 'query', required: false, schema: commentId },
        { name: 'limit', in: 'query', required: false, schema: limit(50) },
        cursorParam,
      ],
      responses: {
        200: page('A page of the audit log.', 'entries', 'AuditEntry'),
        400: badQuery,
        401: unauthorized,
        500: internal,
      },
    },
  },
  '/api/admin/webhooks/failed': {
    get: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminFailedWebhooks',
      summary: 'Webhook deliveries that failed for good, newest first (kept 30 days)',
      description:
        'A delivery is listed once its retries are spent (network error, timeout, 429 or 5xx on every attempt; retries after 1, 4 ' +
        'and 15 s, all within 25 s) or the receiver refused it with another 4xx (not retried). Never the payload, the secret or ' +
        'the receiver’s full URL. Each can be resent (POST …/{id}/resend) or dismissed (DELETE).',
      parameters: [{ name: 'limit', in: 'query', required: false, schema: limit(50) }, cursorParam],
      responses: {
        200: page('A page of failed deliveries.', 'deliveries', 'FailedDelivery'),
        400: badQuery,
        401: unauthorized,
        500: internal,
      },
    },
    delete: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminDismissAllFailedWebhooks',
      summary: 'Dismiss every failed delivery, or those up to an id (nothing is sent); audited as `webhook.dismiss_all`',
      description:
        'With `upTo`, only failures whose `id` is at most `upTo` are dismissed: a client that lists failures and then ' +
        'dismisses them all passes the highest id it showed, so a failure recorded in the meantime stays listed.',
      parameters: [
        {
          name: 'upTo',
          in: 'query',
          required: false,
          schema: { type: 'string', pattern: ID_PATTERN, description: 'The highest failed delivery `id` to dismiss.' },
        },
      ],
      responses: {
        204: { description: 'Those failures are no longer listed.' },
        400: badQuery,
        401: unauthorized,
        500: internal,
      },
    },
  },
  '/api/admin/webhooks/failed/{id}': {
    delete: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminDismissFailedWebhook',
      summary: 'Dismiss one failed delivery (nothing is sent); audited as `webhook.dismiss`',
      parameters: [failureIdParam],
      responses: { 204: { description: 'No longer listed.' }, 401: unauthorized, 404: noFailure, 500: internal },
    },
  },
  '/api/admin/webhooks/failed/{id}/resend': {
    post: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminResendFailedWebhook',
      summary: 'Send a failed delivery again, now, and wait for the outcome (up to 25 s)',
      description:
        'The payload was never stored, so the event is built again from the comment as it is now, exactly as a first ' +
        'announcement is (its current status and text, fresh one-click links), under the failed delivery’s id ' +
        '(`X-Parley-Delivery` and the event’s `id`), so a receiver that did get an earlier try can recognise it. It goes to ' +
        'the `WEBHOOK_URL` configured now, signed, with the usual retries within 25 s. Delivered: the failure is removed. ' +
        'Failed again: the failure is kept and updated (its `attempts` grow by this resend’s, `status`, `error`, `target` and ' +
        '`failedAt` are the last attempt’s). Either way the answer is 200: the resend was carried out, and `delivered` says ' +
        'how it ended. Audited as `webhook.resend`.',
      parameters: [failureIdParam],
      responses: {
        200: { description: 'The resend was made; `delivered` says whether the receiver took it.', headers: noStore, ...json(ref('ResendResult')) },
        401: unauthorized,
        404: noFailure,
        409: error(
          'Nothing can be resent: the comment was deleted since; it was decided since (approved, spam or trash: announcing it as ' +
            'held, with one-click links, could undo that; the message names its status); the event is not one Parley builds; or ' +
            'webhooks are not configured now (`WEBHOOK_URL` and `WEBHOOK_SECRET`). The failure is kept (it can be dismissed)',
          'comment_gone',
          'comment_decided',
          'not_resendable',
          'webhooks_off',
        ),
        500: internal,
      },
    },
  },
  '/api/admin/words': {
    get: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminGetWords',
      summary: 'The hold (`moderation`), spam (`disallowed`), `profanity` and `allowed` word lists',
      responses: {
        200: { description: 'The four lists.', headers: noStore, ...json(ref('WordLists')) },
        401: unauthorized,
        404: error('Word lists are not available on this deployment.', 'not_found'),
        500: internal,
      },
    },
    put: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminPutWords',
      summary: 'Replace any of the lists, whole; takes effect at once on this instance, within 5 s on others',
      requestBody: {
        required: true,
        ...json({
          type: 'object',
          description: 'At least one of the four lists.',
          minProperties: 1,
          properties: { moderation: ref('WordList'), disallowed: ref('WordList'), profanity: ref('WordList'), allowed: ref('WordList') },
        }),
      },
      responses: {
        200: { description: 'The four lists as stored (trimmed, deduplicated).', headers: noStore, ...json(ref('WordLists')) },
        400: badJson,
        401: unauthorized,
        404: error('Word lists are not available on this deployment.', 'not_found'),
        413: tooLarge,
        500: internal,
      },
    },
  },
  '/api/admin/personal-data': {
    parameters: [
      {
        name: 'email',
        in: 'query',
        required: true,
        description: 'Found by its keyed hash; the audit log records the request, never the address.',
        schema: { type: 'string', minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' },
      },
    ],
    get: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminExportPersonalData',
      summary: 'Everything held about an email address, as a JSON download',
      responses: {
        200: {
          description: 'The export, sent with `Content-Disposition: attachment; filename="parley-personal-data.json"`.',
          headers: { ...noStore, 'Content-Disposition': { schema: { type: 'string' } } },
          ...json(ref('PersonalData')),
        },
        400: badQuery,
        401: unauthorized,
        500: internal,
      },
    },
    delete: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminErasePersonalData',
      summary: 'Erase an email address’s comments: anonymized or deleted, as `ERASE_MODE` says',
      responses: {
        200: {
          description: 'The comments affected and the articles whose lists changed.',
          headers: noStore,
          ...json({
            type: 'object',
            required: ['mode', 'comments', 'articles'],
            properties: {
              mode: { type: 'string', enum: ['anonymize', 'delete'] },
              comments: { type: 'array', items: commentId },
              articles: { type: 'array', items: { type: 'string' } },
            },
          }),
        },
        400: badQuery,
        401: unauthorized,
        500: internal,
      },
    },
  },
}

const actionLink = {
  name: 'token',
  in: 'path',
  required: true,
  description: 'A signed, expiring, single-use action token from a webhook notification.',
  schema: { type: 'string' },
}
const deadLink = html('The link is expired, not valid, or (POST) already used.')
const emailLink = { name: 'token', in: 'path', required: true, schema: { type: 'string' }, description: 'Signed; carries no address.' }
const deadEmailLink = html('The link is not valid, has expired, or its subscription is gone.')
const emailIdParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: ID_PATTERN, description: 'A failed message’s `id`.' },
}
const noEmail = error('No failed message has this id.', 'not_found')

const pagePaths = {
  '/': {
    get: {
      tags: ['pages'],
      operationId: 'demoPage',
      summary: 'A demo article with the embed under it',
      parameters: [{ name: 'lang', in: 'query', required: false, schema: { type: 'string', pattern: '^[a-z]{2}(-[A-Za-z]{2})?$' } }],
      responses: { 200: html('The page.') },
    },
  },
  '/embed.js': {
    get: {
      tags: ['pages'],
      operationId: 'embedScript',
      summary: 'The embed script',
      description: 'With `?v=` its current version it is cached for a year (immutable); otherwise for a day, revalidated by `ETag`.',
      parameters: [
        { name: 'v', in: 'query', required: false, schema: { type: 'string' } },
        { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } },
      ],
      responses: {
        200: {
          description: 'The script.',
          headers: { ETag: { schema: { type: 'string' } } },
          content: { 'text/javascript': { schema: { type: 'string' } } },
        },
        304: { description: 'The `If-None-Match` matched.' },
        404: error('The script has not been built (`npm run build:embed`).', 'not_found'),
      },
    },
  },
  '/embed/lang/{file}': {
    get: {
      tags: ['pages'],
      operationId: 'embedStrings',
      summary: 'A language’s strings for the embed (fetched on pages in that language; English is in the script)',
      parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z]{2}\\.json$' } }],
      responses: {
        200: {
          description:
            'Key → text, or key → plural forms (`zero`, `one`, `two`, `few`, `many`, `other`) with `{n}`; cached for a day, to any origin.',
          ...json({
            type: 'object',
            additionalProperties: { oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }] },
          }),
        },
        404: error('No table for this language (ar, de, en, es, fr, it, ja, nl, pl, pt, ru, zh have one).', 'not_found'),
      },
    },
  },
  '/avatar/{file}': {
    get: {
      tags: ['pages'],
      operationId: 'avatar',
      summary: 'An identicon drawn from a comment’s `avatar` seed (a keyed hash, not the email)',
      parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{20}\\.svg$' } }],
      responses: {
        200: { description: 'The picture, cached for a year.', content: { 'image/svg+xml': { schema: { type: 'string' } } } },
        404: error('Not a seed (20 hex digits) followed by `.svg`.', 'not_found'),
      },
    },
  },
  '/healthz': {
    get: {
      tags: ['pages'],
      operationId: 'health',
      summary: 'Readiness: the database answers within 1 s and can write',
      responses: {
        200: { description: 'It does.', ...json({ type: 'object', required: ['ok'], properties: { ok: { const: true } } }) },
        503: {
          description:
            'It does not (`unavailable`): no answer within 1 s, a write failed for want of space in the last 10 s, the embedded ' +
            'database’s disk is full, or the instance is starting or stopping. The body carries `ok: false` beside the usual error object.',
          ...json({
            type: 'object',
            required: ['ok', 'error'],
            properties: {
              ok: { const: false },
              error: { ...ref('ErrorDetail'), properties: { code: { type: 'string', enum: ['unavailable'] } } },
            },
          }),
        },
      },
    },
  },
  '/openapi.json': {
    get: {
      tags: ['pages'],
      operationId: 'openApi',
      summary: 'This document',
      responses: { 200: { description: 'OpenAPI 3.1, with `servers` set to this service.', ...json({ type: 'object' }) } },
    },
  },
  '/admin': {
    get: {
      tags: ['console'],
      operationId: 'console',
      summary: 'The moderator console (the token stays in the browser tab)',
      responses: { 200: html('The console page.') },
    },
  },
  '/admin/console.js': {
    get: {
      tags: ['console'],
      operationId: 'consoleScript',
      summary: 'The console’s script',
      responses: { 200: { description: 'The script.', content: { 'text/javascript': { schema: { type: 'string' } } } } },
    },
  },
  '/admin/console.css': {
    get: {
      tags: ['console'],
      operationId: 'consoleStyle',
      summary: 'The console’s style sheet',
      responses: { 200: { description: 'The style sheet.', content: { 'text/css': { schema: { type: 'string' } } } } },
    },
  },
  '/email/confirm/{token}': {
    parameters: [emailLink],
    get: {
      tags: ['email'],
      operationId: 'emailConfirmPage',
      summary: 'The link in a confirmation message: shows a button only (mail scanners must not subscribe anyone)',
      responses: { 200: html('A page with the button that POSTs.'), 410: deadEmailLink },
    },
    post: {
      tags: ['email'],
      operationId: 'emailConfirm',
      summary: 'Confirms the subscription (double opt-in): replies to the reader’s comment are mailed from now on',
      responses: { 200: html('Done.'), 410: deadEmailLink },
    },
  },
  '/email/unsubscribe/{token}': {
    parameters: [emailLink],
    get: {
      tags: ['email'],
      operationId: 'emailUnsubscribePage',
      summary: 'The link in every reader’s message: buttons for “this article” and “everything”',
      responses: { 200: html('A page with the buttons that POST.'), 410: deadEmailLink },
    },
    post: {
      tags: ['email'],
      operationId: 'emailUnsubscribe',
      summary: 'Unsubscribes without signing in (RFC 8058 one-click: `List-Unsubscribe=One-Click` ends the article’s subscription)',
      description: 'A form body `scope=everything` ends every subscription of the address and sends it nothing more, not even a confirmation.',
      responses: { 200: html('Done.'), 410: deadEmailLink },
    },
  },
  '/api/admin/email/failed': {
    get: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminFailedEmail',
      summary: 'Email given up after its retries (about 22 hours by default) or refused for good (SMTP 5xx): the newest 100',
      description:
        'What each was about (`kind`: held, confirm or reply; `commentId`) and the last error (an SMTP code or a kind of failure); never the address or the text.',
      responses: { 200: { description: 'Failed messages.', ...json({ type: 'object' }) }, 401: unauthorized, 500: internal },
    },
  },
  '/api/admin/email/failed/{id}': {
    delete: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminDismissFailedEmail',
      summary: 'Dismiss one failed message (nothing is sent)',
      parameters: [emailIdParam],
      responses: { 204: { description: 'No longer listed.' }, 401: unauthorized, 404: noEmail, 500: internal },
    },
  },
  '/api/admin/email/failed/{id}/retry': {
    post: {
      ...moderator,
      tags: ['moderator'],
      operationId: 'adminRetryFailedEmail',
      summary: 'Queue a failed message again, due now, with a fresh count of attempts (built from what is true now)',
      parameters: [emailIdParam],
      responses: { 202: { description: 'Queued.', ...json({ type: 'object' }) }, 401: unauthorized, 404: noEmail, 500: internal },
    },
  },
  '/admin/act/{token}': {
    parameters: [actionLink],
    get: {
      tags: ['console'],
      operationId: 'actionLinkPage',
      summary: 'A one-click link from a webhook: shows a button only (link previews must not decide)',
      responses: { 200: html('A page with the button that POSTs.'), 410: deadLink },
    },
    post: {
      tags: ['console'],
      operationId: 'actionLinkDecide',
      summary: 'Decides (approve, spam or trash), once; audited as moderator `webhook-link`',
      responses: {
        200: html('Done.'),
        403: html('Not from the page the link opened within the last 10 minutes (its form’s `confirm` ticket): open the link again.'),
        404: html('The comment was deleted.'),
        410: deadLink,
      },
    },
  },
}

const commentFields = {
  id: commentId,
  article: { type: 'string', description: 'The article key.' },
  parentId: { type: ['string', 'null'], pattern: ID_PATTERN },
  author: { type: 'string' },
  url: { type: ['string', 'null'], format: 'uri' },
  avatar: { type: 'string', format: 'uri', description: 'An identicon URL under /avatar/.' },
  content: { type: 'string', description: 'The text as written.' },
  html: { type: 'string', description: 'Safe HTML from the text: escaped, paragraphs, links with rel="nofollow ugc noopener".' },
  createdAt: { type: 'string', format: 'date-time' },
}

/** Optional, so in neither schema's `required`: present only on a reply posted from the moderator console. */
const byModerator = {
  type: 'boolean',
  const: true,
  description: 'Present (true) on a reply a moderator posted as the site; the embed shows a badge.',
}

const schemas = {
  ErrorDetail: {
    type: 'object',
    description: 'The one error body is `{ "error": ErrorDetail }`, with the status each code travels under.',
    required: ['code', 'message'],
    properties: {
      code: {
        type: 'string',
        // Every code of src/errors.ts.
        enum: [
          'validation_failed',
          'invalid_body',
          'unauthorized',
          'comments_closed',
          'not_found',
          'parent_not_found',
          'duplicate_comment',
          'payload_too_large',
          'unsupported_media_type',
          'rate_limited',
          'internal_error',
          'unavailable',
        ] satisfies ErrorCode[],
      },
      message: { type: 'string', description: 'For people; a validation error’s summary.' },
      fields: { type: 'object', additionalProperties: { type: 'string' }, description: 'A message per field that failed.' },
    },
  },
  Error: { type: 'object', required: ['error'], properties: { error: ref('ErrorDetail') } },
  Status: { type: 'string', enum: ['pending', 'approved', 'spam', 'trash'] },
  Comment: {
    type: 'object',
    description: 'A public comment: never the email, an email hash, the IP address or the user agent.',
    required: Object.keys(commentFields),
    properties: { ...commentFields, byModerator },
    additionalProperties: false,
  },
  AdminComment: {
    type: 'object',
    description: 'A comment as moderators see it.',
    required: [...Object.keys(commentFields), 'status', 'previousStatus', 'email', 'ip', 'userAgent', 'reasons', 'spamScore'],
    properties: {
      ...commentFields,
      byModerator,
      status: ref('Status'),
      previousStatus: { description: 'Where a restore returns it.', anyOf: [ref('Status'), { type: 'null' }] },
      email: { type: 'string', description: 'Decrypted; empty for an erased author.' },
      ip: { type: ['string', 'null'], description: 'Anonymized: the /24 of IPv4, the /48 of IPv6.' },
      userAgent: { type: ['string', 'null'] },
      reasons: { type: 'array', items: { type: 'string' }, examples: [['links:3', 'moderation_word:casino']] },
      spamScore: { type: ['number', 'null'], minimum: 0, maximum: 1 },
    },
  },
  CommentList: {
    type: 'object',
    required: ['article', 'comments', 'total', 'nextCursor', 'formToken'],
    properties: {
      article: { type: 'string' },
      comments: { type: 'array', items: ref('Comment') },
      total: { type: 'integer', minimum: 0, description: 'Approved comments on the article.' },
      nextCursor: { type: ['string', 'null'] },
      formToken: { type: 'string', description: 'A signed, expiring token to send with a post from this article’s form.' },
      notify: { type: 'boolean', description: 'Present (true) when the site sends email (SMTP_URL): the form may offer `notify`.' },
      closed: {
        type: 'boolean',
        description:
          'Present and `true` when the article takes no new comments (closed by a moderator, by `AUTO_CLOSE_DAYS` or by an import); a post gets 403 `comments_closed`. Absent: open.',
      },
    },
  },
  CommentInput: {
    type: 'object',
    description: 'Strings are trimmed before their rules apply; `parentId` and `url` left blank count as absent.',
    required: ['article', 'author', 'email', 'content'],
    properties: {
      article: articleKey,
      parentId: {
        description: `An approved comment of the same article, at most MAX_DEPTH (default 5) levels deep.`,
        oneOf: [
          { type: 'string', pattern: ID_PATTERN },
          { type: 'integer', minimum: 1 },
        ],
      },
      author: { type: 'string', minLength: 1, maxLength: 100 },
      email: { type: 'string', format: 'email', maxLength: 254, description: 'Never published; stored encrypted.' },
      url: { type: 'string', format: 'uri', maxLength: 200, pattern: '^[hH][tT][tT][pP][sS]?:', description: '`http:` or `https:` only.' },
      content: {
        type: 'string',
        minLength: 1,
        maxLength: 10_000,
        description: 'At most MAX_CONTENT_LENGTH characters (default 10,000).',
      },
      formToken: { type: 'string', maxLength: 200, description: 'From GET /api/comments; a missing or bad token counts against the comment.' },
      website: { type: 'string', description: 'The honeypot: must stay empty (the embed hides it from people).' },
      pageTitle: {
        type: 'string',
        description: 'The page’s title, for moderators (the embed sends it). Cut to 300 characters; never a reason to refuse.',
      },
      pageUrl: {
        type: 'string',
        format: 'uri',
        description: 'The page’s canonical URL, for moderators (the embed sends it). Kept only on an allowed origin; anything else is ignored.',
      },
      redirect: {
        type: 'string',
        format: 'uri',
        maxLength: 2000,
        description: 'Form posts only: where to send the reader (303). Its origin must be allowed, else 400 `validation_failed`.',
      },
      notify: {
        oneOf: [{ type: 'boolean' }, { type: 'string', enum: ['on', 'true', 'false', ''] }],
        description:
          'Email me follow-up comments: `true` (JSON) or `on` (a form checkbox). With SMTP_URL set, a confirmation link is ' +
          'mailed first (double opt-in); then a reply to this comment is mailed when approved. Anything else: 400 `validation_failed`.',
      },
      lang: {
        type: 'string',
        maxLength: 35,
        description: 'The embed’s language (`en`, `fr`), for the messages `notify` brings; else Accept-Language.',
      },
    },
  },
  PostedComment: {
    type: 'object',
    required: ['comment', 'message', 'statusToken'],
    properties: {
      comment: {
        allOf: [ref('Comment')],
        required: ['status'],
        properties: { status: { type: 'string', enum: ['pending', 'approved'] } },
        unevaluatedProperties: false,
      },
      message: { type: 'string', enum: ['Your comment is awaiting moderation.', 'Your comment has been published.'] },
      statusToken: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$', description: 'For GET /api/comments/{id}/status.' },
    },
  },
  CommentStatus: {
    type: 'object',
    required: ['id', 'status'],
    properties: { id: commentId, status: { type: 'string', enum: ['pending', 'approved', 'removed'] } },
  },
  BulkInput: {
    type: 'object',
    description: 'Either a `status` or an `action`, not both.',
    required: ['ids'],
    properties: {
      ids: {
        type: 'array',
        minItems: 1,
        maxItems: 200,
        items: {
          oneOf: [
            { type: 'string', pattern: ID_PATTERN },
            { type: 'integer', minimum: 1 },
          ],
        },
      },
      status: ref('Status'),
      action: { type: 'string', enum: ['delete', 'restore'] },
    },
    oneOf: [{ required: ['status'] }, { required: ['action'] }],
  },
  ArticleInput: { type: 'object', required: ['article'], properties: { article: articleKey } },
  ArticlePage: {
    type: 'object',
    required: ['title', 'url'],
    properties: { title: { type: ['string', 'null'] }, url: { type: ['string', 'null'], format: 'uri' } },
  },
  StatusCounts: {
    type: 'object',
    required: ['pending', 'approved', 'spam', 'trash'],
    properties: Object.fromEntries(['pending', 'approved', 'spam', 'trash'].map((s) => [s, { type: 'integer', minimum: 0 }])),
  },
  Moderator: {
    type: 'object',
    required: ['name', 'displayName'],
    properties: {
      name: { type: 'string', description: 'The token’s moderator (`admin` for ADMIN_TOKEN).' },
      displayName: { type: 'string', description: 'The author name of their replies; their name until they set one.' },
    },
  },
  ArticleState: {
    type: 'object',
    required: ['article', 'closed', 'closedAt', 'approvedCount'],
    properties: {
      article: { type: 'string' },
      closed: { type: 'boolean' },
      closedAt: { type: ['string', 'null'], format: 'date-time', description: 'May lie in the future (auto-close).' },
      approvedCount: { type: 'integer', minimum: 0 },
    },
  },
  AuditEntry: {
    type: 'object',
    required: ['id', 'at', 'moderator', 'action', 'commentId', 'article', 'from', 'to', 'detail'],
    properties: {
      id: { type: 'string' },
      at: { type: 'string', format: 'date-time' },
      moderator: { type: 'string', description: '`admin` for ADMIN_TOKEN, a named moderator, or `webhook-link`.' },
      action: {
        type: 'string',
        examples: ['status', 'restore', 'delete', 'article.close', 'personal_data.erase', 'link.approve', 'webhook.resend', 'webhook.dismiss'],
      },
      commentId: { type: ['string', 'null'] },
      article: { type: ['string', 'null'] },
      from: { anyOf: [ref('Status'), { type: 'null' }] },
      to: { anyOf: [ref('Status'), { type: 'null' }] },
      detail: { type: ['object', 'null'] },
    },
  },
  FailedDelivery: {
    type: 'object',
    required: ['id', 'deliveryId', 'event', 'commentId', 'target', 'status', 'error', 'attempts', 'firstAttemptAt', 'failedAt'],
    properties: {
      id: { type: 'string' },
      deliveryId: { type: 'string', description: 'The `X-Parley-Delivery` header (and the event’s `id`) the receiver was sent.' },
      event: { type: 'string', examples: ['comment.held'] },
      commentId: { type: ['string', 'null'], description: 'The comment the event was about (it may have been deleted since).' },
      target: { type: 'string', description: 'The receiver’s origin (scheme, host, port) only.', examples: ['https://hooks.example'] },
      status: { type: 'integer', minimum: 0, description: 'The last attempt’s HTTP status; 0 when no answer came (see `error`).' },
      error: {
        type: 'string',
        enum: ['http_status', 'network', 'timeout'],
        description:
          '`http_status`: the receiver answered `status`; `network`: no connection, or it broke; `timeout`: no answer within the attempt’s limit (10 s, less near the end of the 25 s all attempts share).',
      },
      attempts: { type: 'integer', minimum: 1, description: 'Requests made (1 + retries), those of any resend that failed too included.' },
      firstAttemptAt: { type: 'string', format: 'date-time', description: 'The very first attempt (a resend does not change it).' },
      failedAt: { type: 'string', format: 'date-time', description: 'When the last attempt failed (a resend’s, after one).' },
    },
  },
  ResendResult: {
    type: 'object',
    required: ['delivered', 'deliveryId', 'attempts', 'status', 'error', 'failure'],
    properties: {
      delivered: { type: 'boolean', description: 'The receiver answered 2xx.' },
      deliveryId: { type: 'string', description: 'The `X-Parley-Delivery` sent: the failed delivery’s own id.' },
      attempts: { type: 'integer', minimum: 1, description: 'Requests this resend made (1 + retries).' },
      status: { type: 'integer', minimum: 0, description: 'The last attempt’s HTTP status; 0 when no answer came.' },
      error: {
        type: ['string', 'null'],
        enum: ['http_status', 'network', 'timeout', null],
        description: 'As in `FailedDelivery`; null when delivered.',
      },
      failure: {
        anyOf: [ref('FailedDelivery'), { type: 'null' }],
        description: 'The failure as it is kept after a failed resend; null when delivered (it is removed), or if it was dismissed meanwhile.',
      },
    },
  },
  WordList: { type: 'array', maxItems: 2000, items: { type: 'string', maxLength: 100 } },
  WordLists: {
    type: 'object',
    required: ['moderation', 'disallowed', 'profanity', 'allowed'],
    properties: {
      moderation: { ...ref('WordList'), description: 'A hit holds the comment (`moderation_word:W`).' },
      disallowed: { ...ref('WordList'), description: 'A hit sends it to spam (`disallowed_word:W`).' },
      profanity: {
        ...ref('WordList'),
        description: "This site's own profane words, on top of the shipped list: a hit holds the comment (`profanity`).",
      },
      allowed: { ...ref('WordList'), description: 'Words never read as profanity or as a hold or spam word (a town, a surname).' },
    },
  },
  PersonalData: {
    type: 'object',
    required: ['exportedAt', 'email', 'comments', 'emailSubscriptions', 'emailMessages', 'emailOptedOut'],
    properties: {
      exportedAt: { type: 'string', format: 'date-time' },
      email: { type: 'string' },
      emailSubscriptions: {
        type: 'array',
        description: 'Reply notifications asked for (`notify`), per article; `confirmedAt` null until the link was used.',
        items: {
          type: 'object',
          properties: {
            article: { type: 'string' },
            articleUrl: { type: ['string', 'null'] },
            lang: { type: 'string' },
            createdAt: { type: 'string', format: 'date-time' },
            confirmedAt: { type: ['string', 'null'], format: 'date-time' },
          },
        },
      },
      emailMessages: {
        type: 'array',
        description: 'Messages to the address, queued, sent (kept 30 days), skipped or failed; never their text.',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            kind: { type: 'string' },
            commentId: { type: ['string', 'null'] },
            state: { type: 'string' },
            attempts: { type: 'integer' },
            createdAt: { type: 'string', format: 'date-time' },
            sentAt: { type: ['string', 'null'], format: 'date-time' },
          },
        },
      },
      emailOptedOut: { type: 'boolean', description: 'The address unsubscribed from everything.' },
      comments: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: commentId,
            article: { type: 'string' },
            parentId: { type: ['string', 'null'] },
            status: ref('Status'),
            author: { type: 'string' },
            email: { type: 'string' },
            url: { type: ['string', 'null'] },
            content: { type: 'string' },
            ip: { type: ['string', 'null'] },
            userAgent: { type: ['string', 'null'] },
            reasons: { type: 'array', items: { type: 'string' } },
            createdAt: { type: 'string', format: 'date-time' },
            updatedAt: { type: 'string', format: 'date-time' },
          },
        },
      },
    },
  },
}

/** Loosely typed: the shape is OpenAPI's, checked by tests and validators rather than by TypeScript. */
/** Every moderator operation may answer 429 to a client that presented too many wrong tokens (ADMIN_AUTH_FAILURES). */
function withSignInThrottle<T extends Record<string, Record<string, unknown>>>(paths: T): T {
  const throttled = {
    ...error(
      'Too many wrong moderator tokens from this address (ADMIN_AUTH_FAILURES in 10 minutes): refused, even with a right one, until Retry-After.',
      'rate_limited',
    ),
    headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', minimum: 1 } } },
  }
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item)) {
      const responses = (op as { responses?: Record<string, unknown> }).responses
      if (responses?.[401] === unauthorized) responses[429] = throttled
    }
  }
  return paths
}

export type OpenApiDocument = {
  openapi: string
  paths: Record<string, Record<string, unknown>>
  [key: string]: unknown
}

export const openApiDocument: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Parley',
    version: '1.0.0',
    summary: 'A comment service for article pages',
    description:
      'Every error is `{ "error": { "code", "message", "fields"? } }` (schema `Error`), JSON, never a stack trace or SQL. ' +
      'Any unknown path answers 404 `not_found`; every response carries `X-Request-Id`.',
  },
  tags: [
    { name: 'public', description: 'For article pages and the embed (CORS: origins in `ALLOWED_ORIGINS`).' },
    { name: 'moderator', description: '`Authorization: Bearer TOKEN`: ADMIN_TOKEN or a named moderator’s token; else 401 `unauthorized`.' },
    { name: 'pages', description: 'Scripts, pictures, the demo page, health and this document.' },
    { name: 'console', description: 'The moderator console and one-click links (the console sends the token itself).' },
  ],
  paths: { ...commentPaths, ...withSignInThrottle(adminPaths), ...pagePaths },
  components: {
    securitySchemes: {
      moderatorToken: {
        type: 'http',
        scheme: 'bearer',
        description: 'ADMIN_TOKEN, or a token issued to a named moderator (only its hash is stored).',
      },
    },
    schemas,
  },
}
