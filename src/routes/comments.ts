import { Hono, type Context } from 'hono'
import * as z from 'zod'
import { findParent, type AfterInsert } from '../db/comments.js'
import type { NewComment } from '../db/schema.js'
import { mailLanguage } from '../email/messages.js'
import { queueForPost } from '../email/outbox.js'
import { articleForPost, readArticles, readFormToken, readPage } from '../cache/public-reads.js'
import type { AppEnv } from '../env.js'
import { AppError } from '../errors.js'
import { avatarSeed, contentHash, emailHash, encryptEmail, keyedHash } from '../privacy/email.js'
import { anonymizeIp } from '../privacy/ip.js'
import { checkStatusToken, issueStatusToken } from '../privacy/status-token.js'
import { formErrorPage } from '../views/form-error.js'
import { renderCommentHtml } from '../views/html.js'
import { toPublicComment } from '../views/comment.js'
import { commentInputSchema, missingRequired, summarize, type CommentInput } from './comment-input.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import { clientIp as clientIpOf, header } from '../request-header.js'
import { fastJson } from './fast-json.js'
import { fieldErrors, validate } from './validate.js'

const listQuery = z.object({
  article: z
    .string({ error: 'The article is missing.' })
    .trim()
    .min(1, 'The article is missing.')
    .max(512, 'The article key can be at most 512 characters.'),
  limit: z.coerce.number({ error: 'The limit must be a number.' }).int().min(1).max(200).default(100),
  cursor: z.string().optional(),
})

const statusQuery = z.object({ token: z.string({ error: 'The status token is missing.' }) })

const HOUR = 3_600_000

export function commentRoutes(maxContentLength: number) {
  const inputSchema = commentInputSchema(maxContentLength)
  const app = new Hono<AppEnv>()

  // GET /api/comments — the approved comments of an article, and a form token for its form.
  app.get('/', validate('query', listQuery), async (c) => {
    const deps = c.get('deps')
    const query = c.req.valid('query')
    const afterId = decodeCursor(query.cursor)
    const now = deps.clock()
    const entry = (await readArticles(deps, [query.article])).get(query.article)!
    const { article } = entry
    // The list changes only when the article's version does; the hour bucket keeps cached form tokens fresh.
    const etag = `W/"${article?.id ?? 0}.${article?.version ?? 0}.${query.limit}.${afterId ?? 0}.${Math.floor(now.getTime() / HOUR)}"`
    if (header(c, 'if-none-match')?.split(/\s*,\s*/).includes(etag)) {
      c.header('ETag', etag)
      c.header('Cache-Control', 'no-cache')
      return c.body(null, 304)
    }

    const page = await readPage(deps, query.article, entry, { afterId, limit: query.limit }, c.get('baseUrl'))
    const token = await readFormToken(deps, query.article, entry, now)
    // Assembled from the cached, already serialized page: the hot path does no per-comment work.
    const body =
      `{"article":${JSON.stringify(query.article)},"comments":${page.json},"total":${article?.approvedCount ?? 0},` +
      `"nextCursor":${page.lastId === null ? 'null' : `"${encodeCursor(page.lastId)}"`},"formToken":${JSON.stringify(token)}` +
      // The site sends email: the embed offers "Notify me of follow-up comments".
      `${deps.config.email ? ',"notify":true' : ''}}`
    return fastJson(c, body, { ETag: etag, 'Cache-Control': 'no-cache' })
  })

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
  app.post('/', async (c) => {
    const { body, isForm } = await readBody(c)
    try {
      return await post(c, body, isForm)
    } catch (error) {
      // A browser posting the plain form (no JavaScript) gets the refusal as a page, same status.
      if (isForm && error instanceof AppError && header(c, 'accept')?.includes('text/html')) {
        for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value)
        return c.html(formErrorPage(error, safeBack(c, body.redirect)), error.status)
      }
      throw error
    }
  })

  async function post(c: Context<AppEnv>, body: Record<string, unknown>, isForm: boolean) {
    const parsed = inputSchema.safeParse(body)
    if (!parsed.success) {
      const fields = fieldErrors(parsed.error)
      throw new AppError('validation_failed', summarize(fields, missingRequired(body)), { fields })
    }
    const input = parsed.data
    const redirect = isForm ? allowedRedirect(c, input.redirect) : undefined
    const { comment, status } = await storeComment(c, input)
    if (redirect) return c.redirect(redirect, 303)
    const published = status === 'approved'
    const answer = {
      comment: { ...comment, status: published ? 'approved' : 'pending' },
      message: published ? 'Your comment has been published.' : 'Your comment is awaiting moderation.',
      statusToken: await issueStatusToken(c.get('deps').keys, Number(comment.id)),
    }
    return fastJson(c, JSON.stringify(answer), {}, 201)
  }

  return app
}

/** The form's return page, for the error page's link: only when it is an allowed one. */
function safeBack(c: Context<AppEnv>, redirect: unknown): string | undefined {
  try {
    return typeof redirect === 'string' ? allowedRedirect(c, redirect) : undefined
  } catch {
    return undefined
  }
}

async function storeComment(c: Context<AppEnv>, input: CommentInput) {
  const { db, keys, clock, moderation, limiter, config } = c.get('deps')
  const now = clock()
  const article = await articleForPost(c.get('deps'), input.article)
  if (article.closedAt !== null && article.closedAt <= now.getTime()) {
    throw new AppError('comments_closed', 'Comments are closed on this article.')
  }
  let depth = 0
  if (input.parentId !== undefined) {
    const parent = await findParent(db, input.parentId)
    if (!parent || parent.article_id !== article.id || parent.status !== 'approved') {
      throw new AppError('parent_not_found', 'The comment you are replying to does not exist on this article.')
    }
    depth = parent.depth + 1
    if (depth >= config.maxDepth) {
      const message = `Replies can be nested at most ${config.maxDepth} levels deep.`
      throw new AppError('validation_failed', message, { fields: { parentId: message } })
    }
  }
  const hash = await emailHash(keys, input.email)
  const clientIp = clientIpOf(c)
  const userAgent = header(c, 'user-agent')?.slice(0, 512) ?? null
  const submission = {
    article: input.article,
    parentId: input.parentId ?? null,
    author: input.author,
    email: input.email,
    emailHash: hash,
    url: input.url ?? null,
    content: input.content,
    formToken: input.formToken,
    website: input.website,
    userAgent,
    ip: clientIp,
    now,
  }
  // The limits count by keyed hashes: the store (possibly PostgreSQL) never holds an address.
  const ipKey = clientIp === null ? null : await keyedHash(keys, 'ip', clientIp)
  await limiter.consume({ ip: ipKey, emailHash: hash })
  const verdict = await moderation.review(submission)
  const [emailEnc, avatar, textHash] = await Promise.all([
    encryptEmail(keys, input.email),
    avatarSeed(keys, input.email),
    contentHash(keys, input.content),
  ])
  const row = {
    article_id: article.id,
    parent_id: input.parentId ?? null,
    depth,
    status: verdict.status,
    previous_status: null,
    author: input.author,
    url: input.url ?? null,
    content: input.content,
    html: renderCommentHtml(input.content),
    email_enc: emailEnc,
    email_hash: hash,
    content_hash: textHash,
    avatar,
    ip: anonymizeIp(clientIp),
    user_agent: userAgent,
    reasons: verdict.reasons,
    spam_score: verdict.spamScore,
  }
  const stored = await c.get('deps').saveComment(row, config.email ? emailHook(c, input, row, emailEnc) : undefined)
  if (!stored) throw new AppError('duplicate_comment', 'You have already posted this comment on this article.')
  const comment = toPublicComment({ ...row, ...stored }, input.article, c.get('baseUrl'))
  return { comment, status: verdict.status }
}

/** What the new comment causes by email (a moderator's notice, a confirmation), committed with it. */
function emailHook(c: Context<AppEnv>, input: CommentInput, row: NewComment, emailEnc: string): AfterInsert {
  const { config, clock } = c.get('deps')
  return (tx, stored) =>
    queueForPost(tx, config.email!, {
      id: stored.id,
      articleId: row.article_id,
      parentId: row.parent_id ?? null,
      status: row.status,
      emailHash: row.email_hash,
      emailEnc,
      notify: input.notify,
      lang: mailLanguage(input.lang, header(c, 'accept-language')),
      articleUrl: articleUrl(c, input),
    }, clock())
}

/**
 * Where a reply notification sends the reader back: the page the embed says it is on, or the form's page
 * (no-JS form), else the embedding page's
 * origin with the article key when the key is a path, or the key itself when it is a URL. Only allowed origins.
 */
function articleUrl(c: Context<AppEnv>, input: CommentInput): string | null {
  if (/^https?:\/\//i.test(input.article)) return input.article.slice(0, 2000)
  const allowed = c.get('deps').config.allowedOrigins
  for (const candidate of [input.page, input.redirect]) {
    const page = candidate ? safeBack(c, candidate) : undefined
    if (page) return page.split('#')[0]!.slice(0, 2000)
  }
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
  throw new AppError(
    'unsupported_media_type',
    'Send the comment as application/json or application/x-www-form-urlencoded.',
  )
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
  if (url.origin !== ownOrigin && !allowed.includes(url.origin) && !allowed.includes('*')) {
    const message = 'The page to return to is not on an allowed site.'
    throw new AppError('validation_failed', message, { fields: { redirect: message } })
  }
  return url.href
}
