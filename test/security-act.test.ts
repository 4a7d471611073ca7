// An opened one-click link must be confirmed within minutes of opening (issue 13 item 12): a page left open does not
// keep a 72-hour capability; a link nobody opened keeps working until its own expiry.
import type { Kysely } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../src/db/schema.js'
import { CONFIRM_SECONDS } from '../src/routes/admin-links.js'
import { createActionToken } from '../src/privacy/action-link.js'
import { backends } from './support/db.js'
import { makeApp, uniqueArticle, validComment, type TestApp } from './support/app.js'

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' }
const ticketOf = (page: string) => /name="confirm" value="([^"]+)"/.exec(page)?.[1]

describe.each(backends)('one-click link confirmation on $name PostgreSQL', (backend) => {
  let db: Kysely<Database>
  let now = Date.now()
  let t: TestApp
  beforeAll(async () => {
    db = await backend.open()
    t = await makeApp(db, { deps: { clock: () => new Date(now) } })
  })

  async function heldLink(action: 'approve' | 'spam' = 'approve') {
    const id = (await (await t.post(validComment(uniqueArticle('act')))).json()).comment.id as string
    const token = await createActionToken(t.deps.keys, { commentId: Number(id), action, expires: Math.floor(now / 1000) + 72 * 3600 })
    return { id, path: `/admin/act/${token}` }
  }
  const statusOf = async (id: string) => (await (await t.admin('GET', `/comments/${id}`)).json()).status
  const confirm = (path: string, ticket: string | undefined) =>
    t.request(path, { method: 'POST', headers: FORM, body: ticket === undefined ? '' : new URLSearchParams({ confirm: ticket }).toString() })

  it('the page opened by the link confirms within CONFIRM_SECONDS, once', async () => {
    now = Date.now()
    const { id, path } = await heldLink()
    const ticket = ticketOf(await (await t.request(path)).text())
    expect(ticket).toBeTruthy()
    now += (CONFIRM_SECONDS - 30) * 1000
    expect((await confirm(path, ticket)).status).toBe(200)
    expect(await statusOf(id)).toBe('approved')
    expect((await confirm(path, ticket)).status).toBe(410)
  })

  it('a page confirmed after CONFIRM_SECONDS, or a POST without the page, decides nothing and leaves the link working', async () => {
    now = Date.now()
    const { id, path } = await heldLink()
    const stale = ticketOf(await (await t.request(path)).text())
    now += (CONFIRM_SECONDS + 60) * 1000
    const late = await confirm(path, stale)
    expect(late.status).toBe(403)
    expect(await late.text()).toContain('Open the link again')
    expect((await confirm(path, undefined)).status).toBe(403)
    expect((await t.request(path, { method: 'POST' })).status).toBe(403)
    expect(await statusOf(id)).toBe('pending')
    // Opened again (hours later, within the link's life): it works.
    now += 3 * 3600 * 1000
    const fresh = ticketOf(await (await t.request(path)).text())
    expect((await confirm(path, fresh)).status).toBe(200)
    expect(await statusOf(id)).toBe('approved')
  })

  it("another link's ticket, a ticket from the future, or a forged one do not confirm", async () => {
    now = Date.now()
    const approve = await heldLink('approve')
    const spam = await heldLink('spam')
    const spamTicket = ticketOf(await (await t.request(spam.path)).text())!
    expect((await confirm(approve.path, spamTicket)).status).toBe(403)
    const [madeAt, mac] = ticketOf(await (await t.request(approve.path)).text())!.split('.')
    expect((await confirm(approve.path, `${Number(madeAt) + 3600}.${mac}`)).status).toBe(403)
    expect((await confirm(approve.path, `${madeAt}.${'0'.repeat(64)}`)).status).toBe(403)
    expect(await statusOf(approve.id)).toBe('pending')
  })
})
