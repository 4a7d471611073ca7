import { Hono, type Context } from 'hono'
import * as z from 'zod'
import { toCommentRow } from '../db/comment-row.js'
import { rememberArticlePage } from '../db/articles.js'
import { findDuplicate, findParent, type AfterInsert } from '../db/comments.js'
import type { NewComment } from '../db/schema.js'
import { mailLanguage } from '../email/messages.js'
import { queueForPost } from '../email/outbox.js'
import type { CachedArticle } from '../cache/public-cache.js'
import { articleForPost, existingArticle, listEtag, readArticles, readListAnswer, readPage } from '../cache/public-reads.js'
import type { AppEnv, Deps } from '../env.js'
import type { Submission } from '../moderation/types.js'
import { AppError, UNAVAILABLE_RETRY_SECONDS } from '../errors.js'
import { contentHash, emailHash, keyedHash, NEW_COMMENT_AVATAR } from '../privacy/email.js'
import { anonymizeIp } from '../privacy/ip.js'
import { limitKeys, type LimitVerdict } from '../moderation/rate-limit.js'
import { checkStatusToken, issueStatusToken } from '../privacy/status-token.js'
import { formErrorPage } from '../views/form-error.js'
import { toPublicComment } from '../views/comment.js'
import { commentInputSchema, missingRequired, summarize, textForChecks, type CommentInput } from './comment-input.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import { clientIp as clientIpOf, header } from '../http/request-header.js'
import { fastJson } from '../http/fast-json.js'
import { secureHtmlAnswers } from './secure-html.js'
import { articleKey, cursor, limit } from './fields.js'
import { fieldErrors, refuseUnstorable, validate } from './validate.js'

export const listQuery = z.object({ article: articleKey, limit: limit(100), cursor })

export const statusQuery = z.object({ token: z.string({ error: 'The status token is missing.' }) })

const HOUR = 3_600_000

// The no-JavaScript refusal page runs nothing; its only form posts back here.
// The refusal page's form posts to Parley, whose 303 then returns to the article: CSP's form-action
// covers that redirect too, so the page allows the (already allowed) origin of its return page.
const returnOrigin = new WeakMap<object, string>()
const formErrorSecurity = secureHtmlAnswers({
  styleSrc: ["'unsafe-inline'"],
  formAction: ["'self'", (c) => returnOrigin.get(c) ?? "'self'"],
})

export function commentRoutes(maxContentLength: number) {
  const inputSchema = commentInputSchema(maxContentLength)
  const app = new Hono<AppEnv>()

  // GET /api/comments — the approved comments of an article, and a form token for its form.
  app.get('/', validate('query', listQuery), (c) => listComments(c, c.req.valid('query')))

  // GET /api/comments/:id/status — the author's page asks whether their comment still awaits a moderator.
  // Spam reads as pending, so a spammer learns nothing; trash and deleted read as removed.
  app.get('/:id{[1-9][0-9]{0,15}}/status', validate('query', statusQuery), async (c) => {
    const { db, keys } = c.get('deps')
    const id = Number(c.req.param('id'))
    if (!(await checkStatusToken(keys, id, c.req.valid('query').token))) {
      throw new AppError('not_found', 'No comment has this id.')
    }
    const row = await findParent(db, id)
    const status = row?.status === 'approved' ? 'approved' : row && row.status !== 'trash' ? 'pending' : 'removed'
    c.header('Cache-Control', 'no-store')
    return c.json({ id: String(id), status })
  })

  // POST /api/comments — a reader's comment: validated, checked, stored as pending (or spam, silently).
  app.post('/', formErrorSecurity, async (c) => {
    const { body, isForm } = await readBody(c)
    try {
      return await postComment(c, inputSchema, body, isForm)
    } catch (error) {
      // A browser posting the plain form (no JavaScript) gets the refusal as a page, same status.
      if (isForm && error instanceof AppError && header(c, 'accept')?.includes('text/html')) {
        for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value)
        const back = safeBack(c, body.redirect)
        if (back) returnOrigin.set(c, new URL(back).origin)
        return c.html(formErrorPage(error, back, { action: `${c.get('baseUrl')}/api/comments`, body, back }), error.status)
      }
      throw error
    }
  })

  return app
}

type CommentInputSchema = ReturnType<typeof commentInputSchema>

/** GET /api/comments: a page of the article's approved comments, from the cache, or 304 when the tag matches. */
async function listComments(c: Context<AppEnv>, query: z.infer<typeof listQuery>): Promise<Response> {
  const deps = c.get('deps')
  const afterId = decodeCursor(query.cursor)
  const now = deps.clock()
  const entry = (await readArticles(deps, [query.article])).get(query.article)!
  const { article } = entry
  // Closed by a moderator or an import, or by age (closedAt set ahead of time, so it is compared with now).
  const closed = article?.closedAt != null && article.closedAt <= now.getTime()
  // The list changes only when the article's version does; the hour bucket keeps cached form tokens fresh.
  // Closing bumps no version, so whether it is closed is part of the tag.
  const etag = await listEtag(deps, query.article, entry, { afterId, limit: query.limit, hour: Math.floor(now.getTime() / HOUR), closed })
  if (
    header(c, 'if-none-match')
      ?.split(/\s*,\s*/)
      .includes(etag)
  ) {
    c.header('ETag', etag)
    c.header('Cache-Control', 'no-cache')
    return c.body(null, 304)
  }

  // Up to ~MAX_PAGE_BYTES per answer, held against what may wait for slow or absent readers in all; when that
  // is full, refused before the page is built (checked again once a build may start: builds wait their turn).
  const budget = deps.answerBudget
  const wanted = budget ? () => budget.wanted(c) : () => true
  if (!wanted()) throw busy()
  const read = await readPage(deps, query.article, entry, { afterId, limit: query.limit }, c.get('baseUrl'), wanted)
  if (read === undefined) throw busy()
  const { page } = read
  if (budget && !budget.hold(c, page.json.length + 1024)) throw busy()
  // Assembled from the cached, already serialized page, and kept encoded for the second its form token is valid:
  // the hot path does no per-comment work and builds no string.
  const body = await readListAnswer(
    deps,
    query.article,
    entry,
    read,
    now,
    closed,
    (token) =>
      `{"article":${JSON.stringify(query.article)},"comments":${page.json},"total":${article?.approvedCount ?? 0},` +
      `"nextCursor":${page.lastId === null ? 'null' : `"${encodeCursor(page.lastId)}"`},"formToken":${JSON.stringify(token)}` +
      // The site sends email: the embed offers "Notify me of follow-up comments".
      `${closed ? ',"closed":true' : ''}${deps.config.email ? ',"notify":true' : ''}}`,
  )
  return fastJson(c, body, { ETag: etag, 'Cache-Control': 'no-cache' })
}

/** POST /api/comments after its body is read: validated, stored, answered (JSON, or a 303 back to the form's page). */
async function postComment(c: Context<AppEnv>, inputSchema: CommentInputSchema, body: Record<string, unknown>, isForm: boolean) {
  const parsed = inputSchema.safeParse(body)
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error)
    throw new AppError('validation_failed', summarize(fields, missingRequired(body)), { fields })
  }
  const input = parsed.data
  refuseUnstorable(input)
  const redirect = isForm ? allowedRedirect(c, input.redirect) : undefined
  const { comment } = await storeComment(c, input)
  // The same answer whatever the checks decided (spam, or AUTO_APPROVE's publishing): it tells no one
  // whether an address was ever approved. The author's page learns of a publication from the list.
  if (redirect) return c.redirect(withOutcome(redirect), 303)
  const answer = {
    comment: { ...comment, status: 'pending' },
    message: 'Your comment is awaiting moderation.',
    statusToken: await issueStatusToken(c.get('deps').keys, Number(comment.id)),
  }
  return fastJson(c, JSON.stringify(answer), {}, 201)
}

/**
 * The no-JavaScript reader's page, told what happened by its fragment (which replaces the form's own):
 * always #parley-pending, as the JSON answer always says pending (spam and auto-approval read the same).
 * A :target rule shows the host's notice.
 */
function withOutcome(redirect: string): string {
  return `${redirect.replace(/#.*$/s, '')}#parley-pending`
}

/** The form's return page, for the error page's link: only when it is an allowed one. */
function safeBack(c: Context<AppEnv>, redirect: unknown): string | undefined {
  try {
    return typeof redirect === 'string' ? allowedRedirect(c, redirect) : undefined
  } catch {
    return undefined
  }
}

/**
 * The checks in the order that lets a refused post write nothing: the article is only read (a new one is
 * created with its first stored comment), then closed, parent, duplicate, the rate limits, the content checks.
 */
async function storeComment(c: Context<AppEnv>, input: CommentInput) {
  const deps = c.get('deps')
  const { db, keys, clock, moderation, limiter, config } = deps
  const now = clock()
  const existing = await existingArticle(deps, input.article)
  const depth = await openReplyDepth(deps, existing, input, now)
  const clientIp = clientIpOf(c)
  const storedIp = anonymizeIp(clientIp)
  const [hash, textHash] = await Promise.all([emailHash(keys, input.email), contentHash(keys, input.content)])
  // Before the limits: a double-clicked "Post Comment" hears "you already said that", not "too fast".
  const earlier = existing ? await findDuplicate(db, existing.id, hash, textHash) : undefined
  if (earlier && sameClient(earlier.ip, storedIp)) throw duplicate()
  const userAgent = header(c, 'user-agent')?.slice(0, 512) ?? null
  // The limits count by keyed hashes: the store (possibly PostgreSQL) never holds an address.
  const limit = await limiter.consume(await limitKeys(keys, clientIp, input.email))
  if (!limit.allowed) throw rateLimited(limit)
  const verdict = earlier
    ? { status: 'spam' as const, reasons: ['duplicate'], spamScore: null }
    : await review(moderation, { ...submissionFields(input), emailHash: hash, userAgent, ip: clientIp, now }, config.maxContentLength)
  // Only now, with the comment about to be stored, does a new article get its row.
  const article = existing ?? (await articleForPost(deps, input.article))
  const row = await toCommentRow(keys, {
    articleId: article.id,
    parentId: input.parentId ?? null,
    depth,
    status: verdict.status,
    author: input.author,
    email: input.email,
    emailHash: hash,
    url: input.url ?? null,
    content: input.content,
    // A repeat from another client is kept apart from the original (the unique index): as spam, unseen.
    contentHash: earlier ? await keyedHash(keys, 'content-repeat', crypto.randomUUID()) : textHash,
    ip: clientIp,
    userAgent,
    reasons: verdict.reasons,
    spamScore: verdict.spamScore,
  })
  const stored = await saveComment(c, input, row, { hash, textHash, storedIp })
  await rememberPage(c, article.id, input, verdict.status)
  // The answer shows a neutral avatar: the email's own is public only once a moderator approves.
  const comment = toPublicComment({ ...row, ...stored, avatar: NEW_COMMENT_AVATAR }, input.article, c.get('baseUrl'))
  return { comment, status: verdict.status }
}

/**
 * Comments are closed on an article closed by a moderator, an import or its age; a reply's parent must be an
 * approved comment of the same article, not nested too deep. The new comment's depth.
 */
async function openReplyDepth(deps: Deps, existing: CachedArticle, input: CommentInput, now: Date): Promise<number> {
  if (existing && existing.closedAt !== null && existing.closedAt <= now.getTime()) {
    throw new AppError('comments_closed', 'Comments are closed on this article.')
  }
  if (input.parentId === undefined) return 0
  const parent = existing ? await findParent(deps.db, input.parentId) : undefined
  if (!existing || !parent || parent.article_id !== existing.id || parent.status !== 'approved') {
    throw new AppError('parent_not_found', 'The comment you are replying to does not exist on this article.')
  }
  const depth = parent.depth + 1
  if (depth >= deps.config.maxDepth) {
    const message = `Replies can be nested at most ${deps.config.maxDepth} levels deep.`
    throw new AppError('validation_failed', message, { fields: { parentId: message } })
  }
  return depth
}

/** What the checks read of the input (the request's own facts are added by the caller). */
function submissionFields(input: CommentInput) {
  return {
    article: input.article,
    parentId: input.parentId ?? null,
    author: input.author,
    email: input.email,
    url: input.url ?? null,
    content: input.content,
    formToken: input.formToken,
    website: input.website,
  }
}

/** The keyed hashes that find a repeat of this text, and the stored address that tells whose it is. */
type RepeatKey = { hash: string; textHash: string; storedIp: string | null }

/**
 * Stores the row, with what it causes by email. Two posts of the same text at once: the one that lost the
 * race is judged like any other repeat (409 to the same client, kept as spam from another).
 */
async function saveComment(c: Context<AppEnv>, input: CommentInput, row: NewComment, repeatKey: RepeatKey) {
  const deps = c.get('deps')
  const stored = await deps.saveComment(row, deps.config.email ? emailHook(c, input, row, row.email_enc) : undefined)
  if (stored) return stored
  const winner = await findDuplicate(deps.db, row.article_id, repeatKey.hash, repeatKey.textHash)
  if (!winner || sameClient(winner.ip, repeatKey.storedIp)) throw duplicate()
  const repeat = { ...row, status: 'spam' as const, reasons: ['duplicate'], spam_score: null }
  const saved = await deps.saveComment({ ...repeat, content_hash: await keyedHash(deps.keys, 'content-repeat', crypto.randomUUID()) })
  if (!saved) throw duplicate()
  return saved
}

/** The page's title and URL, for moderators: not from spam, and a URL only on a site the embed may serve. */
async function rememberPage(c: Context<AppEnv>, articleId: number, input: CommentInput, status: string): Promise<void> {
  if (!(input.pageTitle || input.pageUrl) || status === 'spam') return
  const url = input.pageUrl && isAllowedPage(c, input.pageUrl) ? input.pageUrl : undefined
  await rememberArticlePage(c.get('deps').db, articleId, { title: input.pageTitle, url })
}

/** Too many big answers wait for their readers: the client tries again shortly. */
const busy = () =>
  new AppError('unavailable', 'Too many answers are waiting to be read; please try again in a moment.', {
    headers: { 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS) },
  })

/**
 * The checks, on at most MAX_EXPANSION times the content limit of NFKC-expanded text (security review I8); a text
 * cut for them is held with the reason expanded_text, never published by AUTO_APPROVE.
 */
async function review(moderation: Deps['moderation'], submission: Submission, maxLength: number) {
  const checked = textForChecks(submission.content, maxLength)
  if (!checked.cut) return moderation.review(submission)
  const verdict = await moderation.review({ ...submission, content: checked.text })
  return { ...verdict, status: verdict.status === 'approved' ? ('pending' as const) : verdict.status, reasons: [...verdict.reasons, 'expanded_text'] }
}

const duplicate = () => new AppError('duplicate_comment', 'You have already posted this comment on this article.')

/** 429 for a post over a limit: the flood rule and the rate limits say so in their own words; Retry-After in seconds. */
function rateLimited({ limit, retryAfterSeconds: seconds }: Extract<LimitVerdict, { allowed: false }>): AppError {
  const message = limit.startsWith('flood')
    ? `You are posting too quickly. Please wait ${seconds} seconds before posting again.`
    : `Too many comments in a short time. Please try again in ${seconds} seconds.`
  return new AppError('rate_limited', message, { headers: { 'Retry-After': String(seconds) } })
}

/**
 * Whether a repeated text comes from the client that posted it first (the same stored /24 or /48). Only then
 * is it answered 409: from anyone else, "duplicate" would confirm that a guessed email wrote a public text,
 * so the repeat is taken like any post and kept as spam.
 */
function sameClient(earlierIp: string | null, ip: string | null): boolean {
  return earlierIp !== null && earlierIp === ip
}

/** What the new comment causes by email (a moderator's notice, a confirmation), committed with it. */
function emailHook(c: Context<AppEnv>, input: CommentInput, row: NewComment, emailEnc: string): AfterInsert {
  const { config, clock } = c.get('deps')
  return (tx, stored) =>
    queueForPost(
      tx,
      config.email!,
      {
        id: stored.id,
        articleId: row.article_id,
        parentId: row.parent_id ?? null,
        status: row.status,
        emailHash: row.email_hash,
        emailEnc,
        notify: input.notify,
        lang: mailLanguage(input.lang, header(c, 'accept-language')),
        articleUrl: articleUrl(c, input),
      },
      clock(),
    )
}

/**
 * Where a reply notification sends the reader back: the page the embed says it is on (pageUrl), or the form's
 * page (no-JS form), else the embedding page's origin with the article key when the key is a path, or the key
 * itself when it is a URL. Only allowed origins.
 */
function articleUrl(c: Context<AppEnv>, input: CommentInput): string | null {
  if (input.pageUrl && isAllowedPage(c, input.pageUrl)) return input.pageUrl.split('#')[0]!.slice(0, 2000)
  const back = input.redirect ? safeBack(c, input.redirect) : undefined
  if (back) return back.split('#')[0]!.slice(0, 2000)
  if (/^https?:\/\//i.test(input.article)) return input.article.slice(0, 2000)
  const allowed = c.get('deps').config.allowedOrigins
  const origin = header(c, 'origin')
  if (origin && allowed.includes(origin) && input.article.startsWith('/')) return `${origin}${input.article}`.slice(0, 2000)
  return null
}

/** JSON or a plain HTML form; anything else is refused before it is read. */
async function readBody(c: Context<AppEnv>): Promise<{ body: Record<string, unknown>; isForm: boolean }> {
  const type = (header(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type === 'application/json') {
    let body: unknown
    try {
      body = await c.req.json()
    } catch (error) {
      if (error instanceof AppError) throw error
      throw new AppError('invalid_body', 'The body is not valid JSON.')
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AppError('invalid_body', 'The body must be a JSON object.')
    }
    return { body: body as Record<string, unknown>, isForm: false }
  }
  if (type === 'application/x-www-form-urlencoded') {
    try {
      const text = await c.req.text()
      return { body: Object.fromEntries(new URLSearchParams(text)), isForm: true }
    } catch (error) {
      if (error instanceof AppError) throw error
      throw new AppError('invalid_body', 'The form could not be read.')
    }
  }
  throw new AppError('unsupported_media_type', 'Send the comment as application/json or application/x-www-form-urlencoded.')
}

function isAllowedPage(c: Context<AppEnv>, url: string): boolean {
  const allowed = c.get('deps').config.allowedOrigins
  const origin = new URL(url).origin
  return allowed.includes('*') || allowed.includes(origin) || origin === new URL(c.get('baseUrl')).origin
}

/** A form post returns the reader to their page, but only to an allowed origin (no open redirect). */
function allowedRedirect(c: Context<AppEnv>, redirect: string | undefined): string | undefined {
  if (!redirect) return undefined
  let url: URL
  try {
    url = new URL(redirect)
  } catch {
    url = new URL('invalid:')
  }
  const allowed = c.get('deps').config.allowedOrigins
  const ownOrigin = new URL(c.get('baseUrl')).origin
  // http(s) only, whatever ALLOWED_ORIGINS says: `*` must never let javascript: or data: become a link or a Location.
  const web = url.protocol === 'https:' || url.protocol === 'http:'
  if (!web || (url.origin !== ownOrigin && !allowed.includes(url.origin) && !allowed.includes('*'))) {
    const message = 'The page to return to is not on an allowed site.'
    throw new AppError('validation_failed', message, { fields: { redirect: message } })
  }
  return url.href
}
