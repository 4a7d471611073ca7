import type { Kysely } from 'kysely'
import { findComment, subscriptionsWithArticle } from '../db/comments.js'
import type { Database, EmailOutboxRow } from '../db/schema.js'
import type { Deps } from '../env.js'
import { decryptEmail, keyedHash } from '../privacy/email.js'
import { createActionToken, LINK_TTL_SECONDS } from '../privacy/action-link.js'
import { confirmMessage, heldMessage, mailLanguage, replyMessage, type HeldItem, type OutgoingMail, type Site } from './messages.js'
import { claimDue, markDone, markFailed, pruneDone } from './outbox.js'
import { CONFIRM_TTL_SECONDS, signEmailLink } from './tokens.js'
import { toMailFailure, type Mailer } from './transport.js'

export type DrainDeps = Pick<Deps, 'db' | 'keys' | 'config' | 'clock' | 'log'>
export type DrainResult = { sent: number; retried: number; failed: number; skipped: number }

const BATCH = 20
const MAX_BATCHES = 10

/**
 * Sends what is due in the outbox: claimed in batches (never twice at once), each message built at its turn from
 * what is true then (a comment decided meanwhile is skipped), sent, and marked; a failure waits its backoff.
 * In digest mode the held comments claimed together go as one message. Never rejects for a failed send.
 */
export async function drainOutbox(deps: DrainDeps, mailer: Mailer): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, retried: 0, failed: 0, skipped: 0 }
  const email = deps.config.email
  if (!email) return result
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const rows = await claimDue(deps.db, deps.clock(), BATCH)
    const held = rows.filter((r) => r.kind === 'held')
    const units =
      email.digest === 'off' || held.length === 0 ? rows.map((r) => [r]) : [held, ...rows.filter((r) => r.kind !== 'held').map((r) => [r])]
    for (const unit of units) await sendUnit(deps, mailer, unit, result)
    if (rows.length < BATCH) break
  }
  await pruneDone(deps.db, deps.clock())
  return result
}

async function sendUnit(deps: DrainDeps, mailer: Mailer, rows: EmailOutboxRow[], result: DrainResult): Promise<void> {
  const { db, config } = deps
  let built: { mail: OutgoingMail; used: EmailOutboxRow[] } | undefined
  try {
    built = await build(deps, rows)
  } catch (error) {
    // A message that cannot be built (an address that no longer decrypts) would fail every time.
    deps.log({ msg: 'email not built', level: 'error', ids: rows.map((r) => r.id), error: error instanceof Error ? error.name : 'unknown' })
    await markFailed(db, rows, { error: 'not_built', permanent: true }, config.email!, deps.clock())
    result.failed += rows.length
    return
  }
  const skipped = rows.filter((r) => !built?.used.includes(r))
  await markDone(
    db,
    skipped.map((r) => r.id),
    'skipped',
    deps.clock(),
  )
  result.skipped += skipped.length
  if (!built) return
  try {
    await mailer.send(built.mail)
  } catch (error) {
    const failure = toMailFailure(error)
    const outcome = await markFailed(db, built.used, failure, config.email!, deps.clock())
    deps.log({ msg: 'email failed', level: 'warn', ids: built.used.map((r) => r.id), error: failure.error, outcome })
    if (outcome === 'failed') result.failed += built.used.length
    else result.retried += built.used.length
    return
  }
  await markDone(
    db,
    built.used.map((r) => r.id),
    'sent',
    deps.clock(),
  )
  result.sent += built.used.length
}

/** `<kind.id.tag@host>`: the tag, keyed, keeps two sites on one host (or a rebuilt database) from sharing ids. */
async function messageId(deps: DrainDeps, kind: string, id: number): Promise<string> {
  const host = new URL(deps.config.publicUrl!).hostname
  const tag = (await keyedHash(deps.keys, 'message-id', `${kind}.${id}`)).slice(0, 16)
  return `<parley.${kind}.${id}.${tag}@${host}>`
}

function site(deps: DrainDeps): Site {
  const email = deps.config.email!
  return { name: email.siteName, from: email.from, replyTo: email.replyTo }
}

/** The message for these rows, and which of them it covers (the rest have nothing left to say). */
async function build(deps: DrainDeps, rows: EmailOutboxRow[]): Promise<{ mail: OutgoingMail; used: EmailOutboxRow[] } | undefined> {
  const [first] = rows
  if (!first) return undefined
  if (first.kind === 'held') return buildHeld(deps, rows)
  return first.kind === 'confirm' ? buildConfirm(deps, first) : buildReply(deps, first)
}

async function buildHeld(deps: DrainDeps, rows: EmailOutboxRow[]) {
  const now = deps.clock()
  const base = deps.config.publicUrl!
  const expires = Math.floor(now.getTime() / 1000) + LINK_TTL_SECONDS
  const items: HeldItem[] = []
  const used: EmailOutboxRow[] = []
  for (const row of rows) {
    const comment = row.comment_id === null ? undefined : await findComment(deps.db, row.comment_id)
    // Decided (or deleted) before its turn: nothing waits any more.
    if (!comment || comment.status !== 'pending') continue
    const token = (action: 'approve' | 'spam' | 'trash') => createActionToken(deps.keys, { commentId: comment.id, action, expires })
    items.push({
      id: comment.id,
      article: comment.article,
      author: comment.author,
      url: comment.url,
      content: comment.content,
      reasons: comment.reasons,
      spamScore: comment.spam_score,
      links: {
        approve: `${base}/admin/act/${await token('approve')}`,
        spam: `${base}/admin/act/${await token('spam')}`,
        trash: `${base}/admin/act/${await token('trash')}`,
        console: `${base}/admin#comment-${comment.id}`,
      },
    })
    used.push(row)
  }
  if (used.length === 0) return undefined
  const kind = rows.length > 1 ? 'digest' : 'held'
  const mail = heldMessage(site(deps), {
    to: deps.config.email!.moderators,
    items,
    expiresAt: new Date(expires * 1000),
    messageId: await messageId(deps, kind, used[0]!.id),
  })
  return { mail, used }
}

async function subscriptionOf(db: Kysely<Database>, id: number | null) {
  if (id === null) return undefined
  return subscriptionsWithArticle(db).where('email_subscriptions.id', '=', id).executeTakeFirst()
}

async function unsubscribeUrl(deps: DrainDeps, hash: string, articleId: number): Promise<string> {
  return `${deps.config.publicUrl}/email/unsubscribe/${await signEmailLink(deps.keys, { p: 'unsubscribe', h: hash, a: articleId })}`
}

async function buildConfirm(deps: DrainDeps, row: EmailOutboxRow) {
  const sub = await subscriptionOf(deps.db, row.subscription_id)
  if (!sub || sub.confirmed_at !== null || !row.recipient_enc) return undefined
  const expires = Math.floor(deps.clock().getTime() / 1000) + CONFIRM_TTL_SECONDS
  const confirmUrl = `${deps.config.publicUrl}/email/confirm/${await signEmailLink(deps.keys, { p: 'confirm', s: sub.id, e: expires })}`
  const mail = confirmMessage(site(deps), {
    to: await decryptEmail(deps.keys, row.recipient_enc),
    lang: mailLanguage(row.lang, undefined),
    article: sub.article,
    confirmUrl,
    unsubscribeUrl: await unsubscribeUrl(deps, sub.email_hash, sub.article_id),
    messageId: await messageId(deps, 'confirm', row.id),
  })
  return { mail, used: [row] }
}

async function buildReply(deps: DrainDeps, row: EmailOutboxRow) {
  const sub = await subscriptionOf(deps.db, row.subscription_id)
  const reply = row.comment_id === null ? undefined : await findComment(deps.db, row.comment_id)
  // Unsubscribed, or the reply was unpublished, before its turn.
  if (!sub || sub.confirmed_at === null || !reply || reply.status !== 'approved' || !row.recipient_enc) return undefined
  const optedOut = await deps.db.selectFrom('email_optouts').select('email_hash').where('email_hash', '=', sub.email_hash).executeTakeFirst()
  if (optedOut) return undefined
  const mail = replyMessage(site(deps), {
    to: await decryptEmail(deps.keys, row.recipient_enc),
    lang: mailLanguage(row.lang, undefined),
    article: sub.article,
    articleUrl: sub.article_url ? `${sub.article_url}#comment-${reply.id}` : null,
    // Only what the public list shows: the replier's name and text.
    author: reply.author,
    content: reply.content,
    unsubscribeUrl: await unsubscribeUrl(deps, sub.email_hash, sub.article_id),
    messageId: await messageId(deps, 'reply', row.id),
  })
  return { mail, used: [row] }
}

/**
 * Runs drains one at a time: a kick while one runs asks for another pass after it (what it claimed
 * may have missed the newest rows). Errors are logged, never thrown to the caller.
 */
export function outboxRunner(deps: DrainDeps, mailer: Mailer): () => Promise<void> {
  let running: Promise<void> | undefined
  let again = false
  const run = async (): Promise<void> => {
    do {
      again = false
      try {
        const result = await drainOutbox(deps, mailer)
        if (result.sent + result.retried + result.failed + result.skipped > 0) deps.log({ msg: 'email', ...result })
      } catch (error) {
        deps.log({ msg: 'email drain failed', level: 'error', error: error instanceof Error ? error.name : 'unknown' })
      }
    } while (again)
  }
  return () => {
    if (running) {
      again = true
      return running
    }
    running = run().finally(() => {
      running = undefined
    })
    return running
  }
}
