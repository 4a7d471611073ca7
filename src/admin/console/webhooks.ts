import type { FailedDeliveryAnswer, FailedDeliveryPageAnswer, FailedEmailsAnswer, ResendAnswer } from '../../api/answers.js'
import { api, isUnauthorized, messageOf } from './api.js'
import { byId, h, on, say } from './dom.js'
import { failureWords } from './words.js'

// Webhook deliveries that failed for good: a notice above the queue, the latest ones inside it, each with Resend and
// Dismiss, and Dismiss all. Email given up after its retries: a one-line notice.

/** Where the keyboard goes after an action: the same button of the row that took the acted-on row's place. */
type Focus = { at: number; kind: 'resend' | 'dismiss' | 'all' }

/** Newest id first: Dismiss all dismisses up to this one, not failures recorded after the list was loaded. */
let upTo: string | null = null

/**
 * Loads the failures; after an action, `focus` keeps the keyboard where it was (on the same button of the row that
 * took the acted-on row's place, or Dismiss all); once the notice is gone, on the status line that says what
 * happened, not on <body>.
 */
export async function loadWebhookFailures(focus?: Focus): Promise<void> {
  try {
    show(await api<FailedDeliveryPageAnswer>('GET', '/webhooks/failed?limit=20'))
  } catch (e) {
    if (!isUnauthorized(e)) byId('webhooks').hidden = true
  }
  busy(false)
  if (!focus) return
  const rows = byId('webhooks-list').children
  const row = rows[Math.min(focus.at, rows.length - 1)]
  const target = byId('webhooks').hidden
    ? byId('status')
    : focus.kind === 'all'
      ? document.getElementById('webhooks-dismiss-all')
      : row?.querySelector<HTMLElement>(`[data-webhook="${focus.kind}"]`)
  target?.focus()
}

/** Email given up after its retries (issue 18): a one-line notice; GET/POST/DELETE /api/admin/email/failed act on them. */
export async function loadEmailFailures(): Promise<void> {
  const notice = byId('email-failed')
  try {
    const list = (await api<FailedEmailsAnswer>('GET', '/email/failed')).failures
    notice.hidden = list.length === 0
    const d = list[0]
    if (!d) return
    notice.textContent =
      `${list.length}${list.length === 1 ? ' email' : ' emails'} could not be delivered. Latest: ` +
      `${d.kind}${d.commentId ? ` (comment ${d.commentId})` : ''}, ${d.error}, ${d.attempts} attempts. Retry or dismiss: /api/admin/email/failed.`
  } catch {
    notice.hidden = true
  }
}

function show(data: FailedDeliveryPageAnswer): void {
  const list = data.deliveries
  byId('webhooks').hidden = list.length === 0
  const first = list[0]
  if (!first) return
  upTo = first.id
  const n = `${list.length}${data.nextCursor ? '+' : ''}`
  // Newest by id is the newest failure, unless an older one was resent and failed again since.
  const latest = list.reduce((a, d) => (d.failedAt > a.failedAt ? d : a))
  byId('webhooks-summary').textContent =
    `${n}${list.length === 1 && !data.nextCursor ? ' webhook delivery' : ' webhook deliveries'} failed (kept 30 days). ` +
    `Latest: ${new Date(latest.failedAt).toLocaleString()}, ${failureWords(latest)}`
  const ol = byId('webhooks-list')
  ol.textContent = ''
  for (const d of list) {
    const about = d.commentId ? `the delivery for comment ${d.commentId}` : 'this delivery'
    const what = `${new Date(d.failedAt).toLocaleString()} · ${d.event}${d.commentId ? ` (comment ${d.commentId})` : ''} · ${failureWords(d)}`
    const resend = h('button', { type: 'button', 'data-webhook': 'resend', 'aria-label': `Resend ${about}` }, 'Resend')
    const dismiss = h('button', { type: 'button', 'data-webhook': 'dismiss', 'aria-label': `Dismiss ${about}` }, 'Dismiss')
    on(resend, 'click', () => void resendOne(d, resend))
    on(dismiss, 'click', () => void dismissOne(d, dismiss))
    ol.append(h('li', { 'data-failure': d.id }, h('span', { class: 'what' }, what), resend, dismiss))
  }
  if (!document.getElementById('webhooks-dismiss-all')) {
    const all = h('button', { type: 'button', id: 'webhooks-dismiss-all', class: 'danger' }, 'Dismiss all')
    on(all, 'click', () => void dismissAll())
    byId('webhooks').append(h('p', { class: 'tools' }, all))
  }
}

function focusOf(button: HTMLElement): Focus {
  const at = Array.prototype.indexOf.call(byId('webhooks-list').children, button.closest('li'))
  return { at, kind: button.getAttribute('data-webhook') === 'resend' ? 'resend' : 'dismiss' }
}

function busy(on: boolean): void {
  byId('webhooks')
    .querySelectorAll('button')
    .forEach((b) => (b.disabled = on))
}

/** Builds the delivery again from the comment as it is now and sends it (the server waits for its retries, up to 25 s). */
async function resendOne(d: FailedDeliveryAnswer, button: HTMLElement): Promise<void> {
  const focus = focusOf(button)
  const about = d.commentId ? ` for comment ${d.commentId}` : ''
  busy(true)
  button.textContent = 'Resending…'
  say(`Resending the webhook${about}…`)
  try {
    const res = await api<ResendAnswer>('POST', `/webhooks/failed/${d.id}/resend`)
    if (res.delivered) say(`Delivered: the webhook${about} went through${res.attempts > 1 ? ` after ${res.attempts} attempts.` : '.'}`)
    else {
      const target = res.failure ? res.failure.target : 'the receiver'
      say(`Resend failed: ${failureWords({ error: res.error, status: res.status, attempts: res.attempts, target })}. It stays listed.`)
    }
  } catch (e) {
    if (!isUnauthorized(e)) say(`Could not resend: ${messageOf(e)}`)
  }
  await loadWebhookFailures(focus)
}

async function dismissOne(d: FailedDeliveryAnswer, button: HTMLElement): Promise<void> {
  const focus = focusOf(button)
  busy(true)
  try {
    await api<null>('DELETE', `/webhooks/failed/${d.id}`)
    say(`Dismissed the failed webhook${d.commentId ? ` for comment ${d.commentId}` : ''}.`)
  } catch (e) {
    if (!isUnauthorized(e)) say(`Failed: ${messageOf(e)}`)
  }
  await loadWebhookFailures(focus)
}

async function dismissAll(): Promise<void> {
  if (!confirm('Dismiss every failed webhook delivery? Nothing is sent; they are no longer listed.')) return
  busy(true)
  let done = false
  try {
    await api<null>('DELETE', `/webhooks/failed?upTo=${upTo ?? ''}`)
    done = true
    say('Dismissed every failed webhook delivery.')
  } catch (e) {
    if (!isUnauthorized(e)) say(`Failed: ${messageOf(e)}`)
  }
  await loadWebhookFailures({ at: 0, kind: 'all' })
  if (done && !byId('webhooks').hidden) say('Dismissed the failed webhook deliveries you saw; newer ones failed meanwhile and are listed.')
}
