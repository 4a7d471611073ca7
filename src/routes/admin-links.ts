import { Hono } from 'hono'
import { html } from 'hono/html'
import { withModeratorTables } from '../db/moderator-schema.js'
import type { Status } from '../db/schema.js'
import type { AppEnv } from '../env.js'
import { readActionToken, type LinkAction } from '../webhooks/sign.js'
import { decide } from './admin-decide.js'

const target: Record<LinkAction, Status> = { approve: 'approved', spam: 'spam', trash: 'trash' }
/** Who the audit log names for a decision made through a webhook's link. */
export const LINK_MODERATOR = 'webhook-link'

function page(title: string, body: ReturnType<typeof html>) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title} · Parley</title>
        <link rel="stylesheet" href="/admin/console.css" />
      </head>
      <body class="link-page">
        <main>
          <h1>${title}</h1>
          ${body}
          <p><a href="/admin">Open the moderator console</a></p>
        </main>
      </body>
    </html>`
}

/**
 * One-click links from webhook notifications. GET only shows a button: link previews and mail
 * scanners fetch GETs, and must not decide anything. POST decides, once (the nonce is then spent).
 */
export const adminLinkRoutes = new Hono<AppEnv>()
  .get('/:token', async (c) => {
    const check = await readActionToken(c.var.deps.keys, c.req.param('token'), c.var.deps.clock())
    c.header('Cache-Control', 'no-store')
    c.header('Referrer-Policy', 'no-referrer')
    if (!check.ok) return c.html(page('This link does not work', html`<p>It is ${check.reason === 'expired' ? 'expired' : 'not valid'}.</p>`), 410)
    const { action, commentId } = check.link
    return c.html(
      page(
        `${action[0]!.toUpperCase()}${action.slice(1)} comment #${commentId}?`,
        html`<form method="post"><button class="big" type="submit">${action[0]!.toUpperCase()}${action.slice(1)}</button></form>`,
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
    const spent = await withModeratorTables(db)
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
