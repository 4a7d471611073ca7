import { Hono } from 'hono'
import { html } from 'hono/html'
import type { Status } from '../db/schema.js'
import type { AppEnv } from '../env.js'
import { readActionToken, type LinkAction } from '../privacy/action-link.js'
import type { Keys } from '../privacy/keys.js'
import { sign, verify } from '../privacy/tokens.js'
import { htmlPage } from '../views/page.js'
import { decide } from './admin-decide.js'

const target: Record<LinkAction, Status> = { approve: 'approved', spam: 'spam', trash: 'trash' }
/**
 * An opened link's page must be confirmed within this: its button carries a ticket made when it was opened, so a page
 * left open (a browser tab, a shared screen, a history entry's cached copy) stops working after minutes, not at the
 * link's own expiry (72 h). Opening the link again makes a new page; links in messages nobody opened keep working.
 */
export const CONFIRM_SECONDS = 600

/** The confirm ticket: when the page was made, and a tag binding that to this link's nonce. */
async function confirmTicket(keys: Keys, nonce: string, madeAt: number): Promise<string> {
  return `${madeAt}.${await sign(keys, 'link-confirm', `${nonce}.${madeAt}`)}`
}

async function ticketIsFresh(keys: Keys, nonce: string, ticket: unknown, now: Date): Promise<boolean> {
  const match = typeof ticket === 'string' ? /^(\d{1,12})\.([\w-]{43})$/.exec(ticket) : null
  if (!match) return false
  const madeAt = Number(match[1])
  const age = Math.floor(now.getTime() / 1000) - madeAt
  return age >= 0 && age <= CONFIRM_SECONDS && (await verify(keys, 'link-confirm', `${nonce}.${madeAt}`, match[2]!))
}

/** Who the audit log names for a decision made through a webhook's link. */
export const LINK_MODERATOR = 'webhook-link'

function page(title: string, body: ReturnType<typeof html>) {
  return htmlPage({
    lang: 'en',
    title: `${title} · Parley`,
    noindex: true,
    head: html`<link rel="stylesheet" href="/admin/console.css" />`,
    bodyClass: 'link-page',
    body: html`<main>
      <h1>${title}</h1>
      ${body}
      <p><a href="/admin">Open the moderator console</a></p>
    </main>`,
  })
}

/**
 * One-click links from webhook notifications. GET only shows a button: link previews and mail
 * scanners fetch GETs, and must not decide anything. POST decides, once (the nonce is then spent).
 */
export const adminLinkRoutes = new Hono<AppEnv>()
  .get('/:token', async (c) => {
    const check = await readActionToken(c.var.deps.keys, c.req.param('token'), c.var.deps.clock())
    c.header('Cache-Control', 'no-store')
    if (!check.ok) return c.html(page('This link does not work', html`<p>It is ${check.reason === 'expired' ? 'expired' : 'not valid'}.</p>`), 410)
    const { action, commentId } = check.link
    const ticket = await confirmTicket(c.var.deps.keys, check.link.nonce, Math.floor(c.var.deps.clock().getTime() / 1000))
    return c.html(
      page(
        `${action[0]!.toUpperCase()}${action.slice(1)} comment #${commentId}?`,
        html`<form method="post">
          <input type="hidden" name="confirm" value="${ticket}" />
          <button class="big" type="submit">${action[0]!.toUpperCase()}${action.slice(1)}</button>
        </form>`,
      ),
    )
  })
  .post('/:token', async (c) => {
    const { keys, clock, db } = c.var.deps
    const now = clock()
    c.header('Cache-Control', 'no-store')
    const check = await readActionToken(keys, c.req.param('token'), now)
    if (!check.ok) return c.html(page('This link does not work', html`<p>It is ${check.reason === 'expired' ? 'expired' : 'not valid'}.</p>`), 410)
    const { link } = check
    // Only from the page the link opened, within CONFIRM_SECONDS of opening it (the nonce is not spent otherwise).
    const form = await c.req.parseBody().catch(() => ({}))
    if (!(await ticketIsFresh(keys, link.nonce, (form as Record<string, unknown>).confirm, now))) {
      return c.html(page('Open the link again', html`<p>This page was opened too long ago. Open the link again to confirm.</p>`), 403)
    }
    const spent = await db
      .insertInto('used_links')
      .values({ nonce: link.nonce, expires_at: new Date(link.expires * 1000) })
      .onConflict((oc) => oc.column('nonce').doNothing())
      .returning('nonce')
      .executeTakeFirst()
    if (!spent) return c.html(page('This link has been used', html`<p>Each link works once.</p>`), 410)
    const row = await decide(c.var.deps, LINK_MODERATOR, link.commentId, target[link.action], `link.${link.action}`)
    if (!row) return c.html(page('This comment is gone', html`<p>It was deleted.</p>`), 404)
    return c.html(page(`Comment #${row.id} is now ${row.status}`, html`<p>By ${row.author} on ${row.article}.</p>`))
  })
