import * as z from 'zod'
import type { Config } from '../config.js'
import type { ErrorCode } from '../errors.js'
import { articlePageBody, articleQuery } from '../routes/admin-articles.js'
import { auditQuery } from '../routes/admin-audit.js'
import { displayNameBody } from '../routes/admin-me.js'
import { personalDataQuery } from '../routes/admin-personal-data.js'
import { replyBody } from '../routes/admin-reply.js'
import { dismissAllQuery, failuresQuery } from '../routes/admin-webhooks.js'
import { wordListsBody } from '../routes/admin-words.js'
import { bulkBody, patchBody, queueQuery } from '../routes/admin.js'
import { commentInputSchema } from '../routes/comment-input.js'
import { listQuery, statusQuery } from '../routes/comments.js'
import { countsQuery } from '../routes/counts.js'
import * as answer from './answers.js'
import { idString } from '../routes/fields.js'

// Every route createApp serves, as the API document describes it. The inputs are the very schemas the routes
// validate with, the answers the schemas in answers.ts; the error answers are grouped by the status each code
// travels under (errors.ts). test/openapi.test.ts fails when this list and the app's routes drift apart.

export type Tag = 'public' | 'moderator' | 'pages' | 'console' | 'email'

/** One answer: a JSON body (a zod schema), or another media type described in words. */
export type Answer = {
  description: string
  body?: z.ZodType
  /** The media type of a body that is not JSON (its schema is a string). */
  media?: string
  headers?: Record<string, { description?: string; schema: Record<string, unknown> }>
}

export type Operation = {
  method: 'get' | 'put' | 'post' | 'patch' | 'delete'
  /** In OpenAPI's form: `/api/comments/{id}`. */
  path: string
  operationId: string
  tag: Tag
  summary: string
  description?: string
  /** Needs a moderator's bearer token (answers 401 `unauthorized` without one, `Cache-Control: no-store` with one). */
  moderator?: true
  params?: z.ZodObject
  query?: z.ZodObject
  requestHeaders?: z.ZodObject
  body?: z.ZodType
  /** The body may also come as `application/x-www-form-urlencoded`. */
  form?: true
  /** The component a form body is kept under. */
  bodyName?: string
  answers: Record<number, Answer>
  /** Error answers: a description and the codes it covers (each under its own status). */
  errors?: Array<[string, ...ErrorCode[]]>
}

const string = { type: 'string' }
const etag = { ETag: { schema: string } }
const ifNoneMatch = z.object({ 'If-None-Match': z.string().optional() })
const html = (description: string): Answer => ({ description, media: 'text/html' })
const idParam = z.object({ id: idString() })
const failureParam = z.object({ id: idString('A failed delivery’s `id`.') })
const emailIdParam = z.object({ id: idString('A failed message’s `id`.') })
const emailLink = z.object({ token: z.string().meta({ description: 'Signed; carries no address.' }) })
const actionLink = z.object({
  token: z.string().meta({ description: 'A signed, expiring, single-use action token from a webhook notification.' }),
})
const deadEmailLink = html('The link is not valid, has expired, or its subscription is gone.')
const noComment: [string, ErrorCode] = ['No comment has this id (also for an id that is not a number).', 'not_found']
const noFailure: [string, ErrorCode] = ['No failed delivery has this id (dismissed, delivered by a resend, or past 30 days).', 'not_found']
const noArticle: [string, ErrorCode] = ['No article has this key.', 'not_found']
const noWords: [string, ErrorCode] = ['Word lists are not available on this deployment.', 'not_found']
const noEmail: [string, ErrorCode] = ['No failed message has this id.', 'not_found']

const tooManyReads: [string, ErrorCode] = [
  'Too many reads from this client (IPv4 address or IPv6 /64) in a minute (RATE_READS_PER_MINUTE).',
  'rate_limited',
]

/** GET /api/comments: what the embed shows. */
const listCommentsOperation: Operation = {
  method: 'get',
  path: '/api/comments',
  operationId: 'listComments',
  tag: 'public',
  summary: 'The approved comments of an article, oldest first, and a form token',
  description:
    'Only `approved` comments, replies included as a flat list with `parentId`. CORS for the origins in `ALLOWED_ORIGINS`. ' +
    'The `ETag` changes when the article’s list changes (and at least hourly, so cached form tokens stay fresh).',
  query: listQuery,
  requestHeaders: ifNoneMatch,
  answers: {
    200: { description: 'The page of comments. `Cache-Control: no-cache`.', body: answer.CommentList, headers: etag },
    304: { description: 'The `If-None-Match` matched the current `ETag`.', headers: etag },
  },
  errors: [
    tooManyReads,
    ['Too many large answers are waiting for their readers, or the database is away: try again after Retry-After.', 'unavailable'],
  ],
}

/** POST /api/comments: the comment form (its content limit is the deployment's). */
const postCommentOperation = (config: Config): Operation => ({
  method: 'post',
  path: '/api/comments',
  operationId: 'postComment',
  tag: 'public',
  summary: 'Leave a comment: validated, checked, held for a moderator',
  description:
    'JSON, or `application/x-www-form-urlencoded` from a plain HTML form: a form post with a `redirect` field answers 303 ' +
    'to it (its origin must be this service’s or in `ALLOWED_ORIGINS`). The checks run in this order: fields, closed ' +
    'article, parent, rate limits, duplicate. A comment the checks send to spam gets the same 201 as a held one.',
  body: commentInputSchema(config.maxContentLength),
  form: true,
  bodyName: 'CommentInput',
  answers: {
    201: { description: 'Stored: pending (or spam, said the same way), or approved when auto-approval applies.', body: answer.PostedComment },
    303: {
      description: 'A form post with an allowed `redirect`: back to that page.',
      headers: { Location: { schema: { type: 'string', format: 'uri' } } },
    },
  },
  errors: [
    ['Comments on this article were closed by a moderator.', 'comments_closed'],
    ['`parentId` is not an approved comment of the same article.', 'parent_not_found'],
    [
      'The same author already posted the same text on this article, from the same client (/24 or /48); a repeat from another ' +
        'client is answered 201 and kept as spam.',
      'duplicate_comment',
    ],
    ['The body is neither JSON nor a urlencoded form.', 'unsupported_media_type'],
    ['Too many posts from this client (IP) or this email in a window (configurable).', 'rate_limited'],
    ['The database cannot be reached, does not answer or cannot write for now: try again after Retry-After.', 'unavailable'],
  ],
})

/** GET /api/comments/{id}/status: the author's own page. */
const commentStatusOperation: Operation = {
  method: 'get',
  path: '/api/comments/{id}/status',
  operationId: 'commentStatus',
  tag: 'public',
  summary: 'For the author only: is my comment still awaiting moderation?',
  description:
    'Needs the `statusToken` from the 201 answer. Spam reads as `pending` (a spammer learns nothing); trash and ' +
    'deleted read as `removed`. `Cache-Control: no-store`.',
  params: idParam,
  query: statusQuery,
  answers: { 200: { description: 'Where the comment stands.', body: answer.CommentStatus } },
  errors: [['The token does not belong to this id.', 'not_found'], tooManyReads],
}

/** GET /api/counts: the counts a site shows beside its links to articles. */
const countCommentsOperation: Operation = {
  method: 'get',
  path: '/api/counts',
  operationId: 'countComments',
  tag: 'public',
  summary: 'Approved comments per article',
  description: 'Up to 100 distinct article keys (repeated keys count once). CORS as for /api/comments. `Cache-Control: no-cache`.',
  query: countsQuery,
  answers: { 200: { description: 'A count for every key asked for (0 for an unknown article).', body: answer.Counts } },
  errors: [tooManyReads],
}

function publicOperations(config: Config): Operation[] {
  return [listCommentsOperation, postCommentOperation(config), commentStatusOperation, countCommentsOperation]
}

const queueOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/admin/stats',
    operationId: 'adminStats',
    tag: 'moderator',
    moderator: true,
    summary: 'Comments per status (the console’s tabs), and the site article paths live on',
    answers: { 200: { description: 'Counts per status, and the thresholds the console words reasons by.', body: answer.Stats } },
  },
  {
    method: 'get',
    path: '/api/admin/comments',
    operationId: 'adminListComments',
    tag: 'moderator',
    moderator: true,
    summary: 'The moderation queue, newest first (or most spam-like first)',
    query: queueQuery,
    answers: {
      200: {
        description: 'A page of the queue, with context: each article’s page title and URL, and each author’s other comments.',
        body: answer.Queue,
      },
    },
  },
  {
    method: 'post',
    path: '/api/admin/comments/bulk',
    operationId: 'adminBulk',
    tag: 'moderator',
    moderator: true,
    summary: 'One status, or delete / restore, for up to 200 comments; an audit row each',
    body: bulkBody,
    answers: {
      200: {
        description:
          'What happened to each id: changed (`comments`), `deleted`, `notFound`, or `skipped` (a restore of a comment not in spam or trash).',
        body: answer.BulkResult,
      },
    },
  },
]

const commentOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/admin/comments/{id}',
    operationId: 'adminGetComment',
    tag: 'moderator',
    moderator: true,
    summary: 'One comment, whatever its status',
    params: idParam,
    answers: { 200: { description: 'The comment.', body: answer.AdminComment } },
    errors: [noComment],
  },
  {
    method: 'patch',
    path: '/api/admin/comments/{id}',
    operationId: 'adminSetStatus',
    tag: 'moderator',
    moderator: true,
    summary: 'A moderator’s decision: approve, hold, spam or trash',
    description: 'The spam score learns from it and the audit log keeps it.',
    params: idParam,
    body: patchBody,
    answers: { 200: { description: 'The comment after the change.', body: answer.AdminComment } },
    errors: [noComment],
  },
  {
    method: 'delete',
    path: '/api/admin/comments/{id}',
    operationId: 'adminDeleteComment',
    tag: 'moderator',
    moderator: true,
    summary: 'Delete for good; its replies stay, moved to the top level',
    params: idParam,
    answers: { 204: { description: 'Deleted.' } },
    errors: [noComment],
  },
  {
    method: 'post',
    path: '/api/admin/comments/{id}/restore',
    operationId: 'adminRestore',
    tag: 'moderator',
    moderator: true,
    summary: 'Undo: a comment in spam or trash goes back to its previous status (pending if the checks sent it to spam)',
    params: idParam,
    answers: { 200: { description: 'The restored comment.', body: answer.AdminComment } },
    errors: [['The comment is not in spam or trash (`fields.status` says so).', 'validation_failed'], noComment],
  },
]

/** A moderator's reply: its length limit is the deployment's MAX_CONTENT_LENGTH. */
function replyOperation(config: Config): Operation {
  return {
    method: 'post',
    path: '/api/admin/comments/{id}/reply',
    operationId: 'adminReply',
    tag: 'moderator',
    moderator: true,
    summary: 'Reply as the site: posted as the signed-in moderator (their display name), approved at once, threaded under the comment',
    description:
      'The text goes through the same rules and HTML rendering as any comment. At the MAX_DEPTH limit the reply is placed ' +
      'beside the comment, under its parent. The public answer marks it `byModerator: true`. A reply is allowed on a closed article.',
    params: idParam,
    // The route checks the length against MAX_CONTENT_LENGTH after parsing; the document states it here.
    body: replyBody.extend({ content: replyBody.shape.content.max(config.maxContentLength) }),
    answers: { 201: { description: 'The reply, and the comment it answers (approved now if `approve` was sent).', body: answer.Reply } },
    errors: [
      ['The comment is not published and `approve` was not sent (`fields.approve` says so).', 'validation_failed'],
      noComment,
      ['The same reply was already posted under this comment.', 'duplicate_comment'],
    ],
  }
}

const articleOperations: Operation[] = [
  {
    method: 'patch',
    path: '/api/admin/articles',
    operationId: 'adminSetArticlePage',
    tag: 'moderator',
    moderator: true,
    summary: 'Name an article’s page: its title and URL (null clears one; a field left out stays as it is)',
    description:
      'The embed sends the page’s title and canonical URL with a post; the first one kept names the article, and readers’ later posts never overwrite it.',
    body: articlePageBody,
    answers: { 200: { description: 'The article’s page.', body: answer.NamedArticlePage } },
    errors: [noArticle],
  },
  {
    method: 'get',
    path: '/api/admin/articles',
    operationId: 'adminArticle',
    tag: 'moderator',
    moderator: true,
    summary: 'Whether an article takes comments, and when it closes',
    query: articleQuery,
    answers: { 200: { description: 'The article’s state.', body: answer.ArticleState } },
    errors: [noArticle],
  },
  {
    method: 'post',
    path: '/api/admin/articles/close',
    operationId: 'adminCloseArticle',
    tag: 'moderator',
    moderator: true,
    summary: 'Close comments: new posts get 403 `comments_closed` (an unknown article is created closed)',
    body: articleQuery,
    answers: { 200: { description: 'The article’s state.', body: answer.ArticleState } },
  },
  {
    method: 'post',
    path: '/api/admin/articles/reopen',
    operationId: 'adminReopenArticle',
    tag: 'moderator',
    moderator: true,
    summary: 'Open comments again; the article is never auto-closed afterwards',
    body: articleQuery,
    answers: { 200: { description: 'The article’s state.', body: answer.ArticleState } },
    errors: [noArticle],
  },
]

const moderatorTools: Operation[] = [
  {
    method: 'get',
    path: '/api/admin/me',
    operationId: 'adminMe',
    tag: 'moderator',
    moderator: true,
    summary: 'The signed-in moderator, and the name their replies are signed with',
    answers: { 200: { description: 'The moderator.', body: answer.Moderator } },
  },
  {
    method: 'put',
    path: '/api/admin/me',
    operationId: 'adminSetDisplayName',
    tag: 'moderator',
    moderator: true,
    summary: 'Set the display name of this token’s moderator (replies already posted keep theirs)',
    body: displayNameBody,
    answers: { 200: { description: 'The moderator.', body: answer.Moderator } },
  },
  {
    method: 'get',
    path: '/api/admin/audit',
    operationId: 'adminAudit',
    tag: 'moderator',
    moderator: true,
    summary: 'Every moderator action, newest first',
    query: auditQuery,
    answers: { 200: { description: 'A page of the audit log.', body: answer.AuditPage } },
  },
  {
    method: 'get',
    path: '/api/admin/words',
    operationId: 'adminGetWords',
    tag: 'moderator',
    moderator: true,
    summary: 'The hold (`moderation`), spam (`disallowed`), `profanity` and `allowed` word lists',
    answers: { 200: { description: 'The four lists.', body: answer.WordLists } },
    errors: [noWords],
  },
  {
    method: 'put',
    path: '/api/admin/words',
    operationId: 'adminPutWords',
    tag: 'moderator',
    moderator: true,
    summary: 'Replace any of the lists, whole; takes effect at once on this instance, within 5 s on others',
    body: wordListsBody,
    answers: { 200: { description: 'The four lists as stored (trimmed, deduplicated).', body: answer.WordLists } },
    errors: [noWords],
  },
  {
    method: 'get',
    path: '/api/admin/personal-data',
    operationId: 'adminExportPersonalData',
    tag: 'moderator',
    moderator: true,
    summary: 'Everything held about an email address, as a JSON download',
    description: 'Found by its keyed hash; the audit log records the request, never the address.',
    query: personalDataQuery,
    answers: {
      200: {
        description: 'The export, sent with `Content-Disposition: attachment; filename="parley-personal-data.json"`.',
        body: answer.PersonalData,
        headers: { 'Content-Disposition': { schema: string } },
      },
    },
  },
  {
    method: 'delete',
    path: '/api/admin/personal-data',
    operationId: 'adminErasePersonalData',
    tag: 'moderator',
    moderator: true,
    summary: 'Erase an email address’s comments: anonymized or deleted, as `ERASE_MODE` says',
    query: personalDataQuery,
    answers: { 200: { description: 'The comments affected and the articles whose lists changed.', body: answer.Erased } },
  },
]

const deliveryOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/admin/webhooks/failed',
    operationId: 'adminFailedWebhooks',
    tag: 'moderator',
    moderator: true,
    summary: 'Webhook deliveries that failed for good, newest first (kept 30 days)',
    description:
      'A delivery is listed once its retries are spent (network error, timeout, 429 or 5xx on every attempt; retries after 1, 4 ' +
      'and 15 s, all within 25 s) or the receiver refused it with another 4xx (not retried). Never the payload, the secret or ' +
      'the receiver’s full URL. Each can be resent (POST …/{id}/resend) or dismissed (DELETE).',
    query: failuresQuery,
    answers: { 200: { description: 'A page of failed deliveries.', body: answer.FailedDeliveryPage } },
  },
  {
    method: 'delete',
    path: '/api/admin/webhooks/failed',
    operationId: 'adminDismissAllFailedWebhooks',
    tag: 'moderator',
    moderator: true,
    summary: 'Dismiss every failed delivery, or those up to an id (nothing is sent); audited as `webhook.dismiss_all`',
    description:
      'With `upTo`, only failures whose `id` is at most `upTo` are dismissed: a client that lists failures and then ' +
      'dismisses them all passes the highest id it showed, so a failure recorded in the meantime stays listed.',
    query: dismissAllQuery,
    answers: { 204: { description: 'Those failures are no longer listed.' } },
  },
  {
    method: 'delete',
    path: '/api/admin/webhooks/failed/{id}',
    operationId: 'adminDismissFailedWebhook',
    tag: 'moderator',
    moderator: true,
    summary: 'Dismiss one failed delivery (nothing is sent); audited as `webhook.dismiss`',
    params: failureParam,
    answers: { 204: { description: 'No longer listed.' } },
    errors: [noFailure],
  },
  {
    method: 'post',
    path: '/api/admin/webhooks/failed/{id}/resend',
    operationId: 'adminResendFailedWebhook',
    tag: 'moderator',
    moderator: true,
    summary: 'Send a failed delivery again, now, and wait for the outcome (up to 25 s)',
    description:
      'The payload was never stored, so the event is built again from the comment as it is now, exactly as a first ' +
      'announcement is, under the failed delivery’s id (`X-Parley-Delivery` and the event’s `id`), so a receiver that did ' +
      'get an earlier try can recognise it. It goes to the `WEBHOOK_URL` configured now, signed, with the usual retries ' +
      'within 25 s. Delivered: the failure is removed. Failed again: the failure is kept and updated. Either way the answer ' +
      'is 200 and `delivered` says how it ended. Audited as `webhook.resend`.',
    params: failureParam,
    answers: { 200: { description: 'The resend was made; `delivered` says whether the receiver took it.', body: answer.ResendResult } },
    errors: [
      noFailure,
      [
        'Nothing can be resent: the comment was deleted since; it was decided since; the event is not one Parley builds; or ' +
          'webhooks are not configured now (`WEBHOOK_URL` and `WEBHOOK_SECRET`). The failure is kept (it can be dismissed)',
        'comment_gone',
        'comment_decided',
        'not_resendable',
        'webhooks_off',
      ],
    ],
  },
  {
    method: 'get',
    path: '/api/admin/email/failed',
    operationId: 'adminFailedEmail',
    tag: 'moderator',
    moderator: true,
    summary: 'Email given up after its retries (about 22 hours by default) or refused for good (SMTP 5xx): the newest 100',
    answers: { 200: { description: 'Failed messages: what each was about and the last error.', body: answer.FailedEmails } },
  },
  {
    method: 'delete',
    path: '/api/admin/email/failed/{id}',
    operationId: 'adminDismissFailedEmail',
    tag: 'moderator',
    moderator: true,
    summary: 'Dismiss one failed message (nothing is sent)',
    params: emailIdParam,
    answers: { 204: { description: 'No longer listed.' } },
    errors: [noEmail],
  },
  {
    method: 'post',
    path: '/api/admin/email/failed/{id}/retry',
    operationId: 'adminRetryFailedEmail',
    tag: 'moderator',
    moderator: true,
    summary: 'Queue a failed message again, due now, with a fresh count of attempts (built from what is true now)',
    params: emailIdParam,
    answers: { 202: { description: 'Queued.', body: z.object({ queued: z.literal(true) }) } },
    errors: [noEmail],
  },
]

const pageOperations: Operation[] = [
  {
    method: 'get',
    path: '/',
    operationId: 'demoPage',
    tag: 'pages',
    summary: 'A demo article with the embed under it',
    query: z.object({
      lang: z
        .string()
        .regex(/^[a-z]{2}(-[A-Za-z]{2})?$/)
        .optional(),
    }),
    answers: { 200: html('The page.') },
  },
  {
    method: 'get',
    path: '/embed.js',
    operationId: 'embedScript',
    tag: 'pages',
    summary: 'The embed script',
    description: 'With `?v=` its current version it is cached for a year (immutable); otherwise for a day, revalidated by `ETag`.',
    query: z.object({ v: z.string().optional() }),
    requestHeaders: ifNoneMatch,
    answers: {
      200: { description: 'The script.', media: 'text/javascript', headers: etag },
      304: { description: 'The `If-None-Match` matched.' },
    },
    errors: [['The script has not been built (`npm run build:embed`).', 'not_found']],
  },
  {
    method: 'get',
    path: '/embed/lang/{file}',
    operationId: 'embedStrings',
    tag: 'pages',
    summary: 'A language’s strings for the embed (fetched on pages in that language; English is in the script)',
    params: z.object({ file: z.string().regex(/^[a-z]{2}\.json$/) }),
    answers: {
      200: {
        description: 'Key → text, or key → plural forms (`zero`, `one`, `two`, `few`, `many`, `other`) with `{n}`; cached for a day, to any origin.',
        body: answer.EmbedStrings,
      },
    },
    errors: [['No table for this language.', 'not_found']],
  },
  {
    method: 'get',
    path: '/avatar/{file}',
    operationId: 'avatar',
    tag: 'pages',
    summary: 'An identicon drawn from a comment’s `avatar` seed (a keyed hash, not the email)',
    params: z.object({ file: z.string().regex(/^[0-9a-f]{20}\.svg$/) }),
    answers: { 200: { description: 'The picture, cached for a year.', media: 'image/svg+xml' } },
    errors: [['Not a seed (20 hex digits) followed by `.svg`.', 'not_found']],
  },
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    tag: 'pages',
    summary: 'Readiness: the database answers within 1 s and can write',
    answers: {
      200: { description: 'It does.', body: answer.Health },
      503: {
        description:
          'It does not (`unavailable`): no answer within 1 s, a write failed for want of space in the last 10 s, the embedded ' +
          'database’s disk is full, or the instance is starting or stopping. The body carries `ok: false` beside the usual error object.',
        body: answer.Unhealthy,
      },
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApi',
    tag: 'pages',
    summary: 'This document',
    answers: {
      200: { description: 'OpenAPI 3.1, with `servers` set to this service and the limits it is configured with.', body: z.looseObject({}) },
    },
  },
  {
    method: 'get',
    path: '/admin',
    operationId: 'console',
    tag: 'console',
    summary: 'The moderator console (the token stays in the browser tab)',
    answers: { 200: html('The console page.') },
  },
  {
    method: 'get',
    path: '/admin/console.js',
    operationId: 'consoleScript',
    tag: 'console',
    summary: 'The console’s script',
    answers: { 200: { description: 'The script.', media: 'text/javascript' } },
  },
  {
    method: 'get',
    path: '/admin/console.css',
    operationId: 'consoleStyle',
    tag: 'console',
    summary: 'The console’s style sheet',
    answers: { 200: { description: 'The style sheet.', media: 'text/css' } },
  },
  {
    method: 'get',
    path: '/admin/act/{token}',
    operationId: 'actionLinkPage',
    tag: 'console',
    summary: 'A one-click link from a webhook: shows a button only (link previews must not decide)',
    params: actionLink,
    answers: { 200: html('A page with the button that POSTs.'), 410: html('The link is expired or not valid.') },
  },
  {
    method: 'post',
    path: '/admin/act/{token}',
    operationId: 'actionLinkDecide',
    tag: 'console',
    summary: 'Decides (approve, spam or trash), once; audited as moderator `webhook-link`',
    params: actionLink,
    answers: {
      200: html('Done.'),
      403: html('The page was opened more than 10 minutes ago (its confirm ticket is too old, or missing): open the link again.'),
      404: html('The comment was deleted.'),
      410: html('The link is expired, not valid, or already used.'),
    },
  },
  {
    method: 'get',
    path: '/email/confirm/{token}',
    operationId: 'emailConfirmPage',
    tag: 'email',
    summary: 'The link in a confirmation message: shows a button only (mail scanners must not subscribe anyone)',
    params: emailLink,
    answers: { 200: html('A page with the button that POSTs.'), 410: deadEmailLink },
  },
  {
    method: 'post',
    path: '/email/confirm/{token}',
    operationId: 'emailConfirm',
    tag: 'email',
    summary: 'Confirms the subscription (double opt-in): replies to the reader’s comment are mailed from now on',
    params: emailLink,
    answers: { 200: html('Done.'), 410: deadEmailLink },
  },
  {
    method: 'get',
    path: '/email/unsubscribe/{token}',
    operationId: 'emailUnsubscribePage',
    tag: 'email',
    summary: 'The link in every reader’s message: buttons for “this article” and “everything”',
    params: emailLink,
    answers: { 200: html('A page with the buttons that POST.'), 410: deadEmailLink },
  },
  {
    method: 'post',
    path: '/email/unsubscribe/{token}',
    operationId: 'emailUnsubscribe',
    tag: 'email',
    summary: 'Unsubscribes without signing in (RFC 8058 one-click: `List-Unsubscribe=One-Click` ends the article’s subscription)',
    description: 'A form body `scope=everything` ends every subscription of the address and sends it nothing more, not even a confirmation.',
    params: emailLink,
    answers: { 200: html('Done.'), 410: deadEmailLink },
  },
]

/** Every operation, for a deployment configured as `config` (its limits show in the schemas). */
export function operations(config: Config): Operation[] {
  return [
    ...publicOperations(config),
    ...queueOperations,
    ...commentOperations,
    replyOperation(config),
    ...articleOperations,
    ...moderatorTools,
    ...deliveryOperations,
    ...pageOperations,
  ]
}
