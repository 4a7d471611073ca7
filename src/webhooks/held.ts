import { createMiddleware } from 'hono/factory'
import { linkBase } from '../config.js'
import { findComment, type AdminRow } from '../db/comments.js'
import { claimUnnotified } from '../db/queue.js'
import type { AppEnv, Deps } from '../env.js'
import { decryptEmail } from '../privacy/email.js'
import { DELIVERY_BUDGET_MS, deliver, type DeliveryOptions, type DeliveryResult } from './deliver.js'
import { createActionToken, LINK_TTL_SECONDS, linkActions } from '../privacy/action-link.js'
import { recordFailure } from './failures.js'

const BATCH = 10
const MAX_BATCHES = 5

export const HELD_EVENT = 'comment.held'

/**
 * The event a receiver gets for one held comment. The email only with WEBHOOK_INCLUDE_EMAIL. A resend passes
 * the failed delivery's id, so a receiver that did get the first try can tell it is the same delivery.
 */
export async function heldEvent(deps: Pick<Deps, 'keys' | 'config'>, row: AdminRow, now: Date, deliveryId: string = crypto.randomUUID()) {
  // PUBLIC_URL, never the request's Host: a link built from a header the client chose would send the
  // moderator (and the one-click token) to the client's host. Config refuses WEBHOOK_URL without it.
  const baseUrl = linkBase(deps.config)
  const expires = Math.floor(now.getTime() / 1000) + LINK_TTL_SECONDS
  const links: Record<string, string> = {}
  for (const action of linkActions) {
    links[action] = `${baseUrl}/admin/act/${await createActionToken(deps.keys, { commentId: row.id, action, expires })}`
  }
  links.console = `${baseUrl}/admin#comment-${row.id}`
  return {
    event: HELD_EVENT,
    id: deliveryId,
    sentAt: now.toISOString(),
    comment: {
      id: String(row.id),
      article: row.article,
      parentId: row.parent_id === null ? null : String(row.parent_id),
      author: row.author,
      url: row.url,
      content: row.content,
      html: row.html,
      createdAt: row.created_at.toISOString(),
      status: row.status,
      reasons: row.reasons,
      spamScore: row.spam_score,
      ...(deps.config.webhook.includeEmail ? { email: await decryptEmail(deps.keys, row.email_enc) } : {}),
    },
    links,
    linksExpireAt: new Date(expires * 1000).toISOString(),
  }
}

/** Where events go, or null when webhooks are off (a URL without a secret sends nothing: never unsigned). */
export function webhookTarget(config: Deps['config']): { url: string; secret: string } | null {
  const { url, secret } = config.webhook
  return url && secret ? { url, secret } : null
}

/**
 * Builds a held comment's event and delivers it (signed, retried within the budget): the one path for a
 * first announcement and a moderator's resend. Never rejects on a failed delivery: the result says how it ended.
 */
export async function sendHeld(
  deps: Deps,
  row: AdminRow,
  now: Date,
  options: Omit<DeliveryOptions, 'log'>,
  deliveryId?: string,
): Promise<{ event: Awaited<ReturnType<typeof heldEvent>>; result: DeliveryResult }> {
  const event = await heldEvent(deps, row, now, deliveryId)
  return { event, result: await deliver(event, { ...options, log: deps.log }) }
}

/** Retry timing and transport, for tests; the defaults otherwise. */
export type RetryOptions = Pick<DeliveryOptions, 'delays' | 'sleep' | 'fetch'>

/** Another batch is claimed only this soon after the start: whatever is claimed must get its retries in time. */
const CLAIM_WINDOW_MS = 2_000

/**
 * Announces every held comment not yet announced (the outbox), one signed POST each, a batch at a
 * time in parallel, all within DELIVERY_BUDGET_MS (a Worker's waitUntil ends 30 s after the response).
 * A delivery that fails for good is stored (webhook_failures) for moderators to see, not only logged.
 */
export async function announceHeld(deps: Deps, retry: RetryOptions = {}): Promise<number> {
  const target = webhookTarget(deps.config)
  if (!target) {
    if (deps.config.webhook.url) deps.log({ msg: 'webhook skipped: WEBHOOK_URL is set but WEBHOOK_SECRET is not', level: 'error' })
    return 0
  }
  const { url, secret } = target
  const started = Date.now()
  const deadline = started + DELIVERY_BUDGET_MS
  let sent = 0
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    // Comments left unclaimed are announced after a later post.
    if (batch > 0 && Date.now() - started > CLAIM_WINDOW_MS) break
    const now = deps.clock()
    const ids = await claimUnnotified(deps.db, now, BATCH)
    const delivered = await Promise.all(ids.map((id) => announceOne(deps, id, now, { ...retry, url, secret, deadline })))
    sent += delivered.filter(Boolean).length
    if (ids.length < BATCH) break
  }
  return sent
}

async function announceOne(deps: Deps, id: number, now: Date, options: Omit<DeliveryOptions, 'log'>): Promise<boolean> {
  const row = await findComment(deps.db, id)
  if (!row) return false
  const { event, result } = await sendHeld(deps, row, now, options)
  if (result.delivered) return true
  const failure = { deliveryId: event.id, event: event.event, commentId: row.id, url: options.url, result }
  await recordFailure(deps.db, failure, deps.clock()).catch((error: unknown) => {
    deps.log({ msg: 'webhook failure not recorded', level: 'error', deliveryId: event.id, error: error instanceof Error ? error.name : 'unknown' })
  })
  return false
}

/**
 * Mounted on /api/comments: after a comment is accepted (201, or 303 for a plain form), announce
 * what is held. The work runs after the response through deps.defer (ctx.waitUntil on Workers).
 */
export const notifyHeld = createMiddleware<AppEnv>(async (c, next) => {
  await next()
  const deps = c.get('deps')
  if (c.req.method !== 'POST' || !deps.config.webhook.url || (c.res.status !== 201 && c.res.status !== 303)) return
  const work = announceHeld(deps).catch((error: unknown) => {
    deps.log({ msg: 'webhook error', level: 'error', error: error instanceof Error ? error.name : 'unknown' })
  })
  if (deps.defer) deps.defer(work)
})
