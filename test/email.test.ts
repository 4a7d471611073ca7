import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.js'
import { ConfigError, parseConfig } from '../src/config.js'
import { buildDeps } from '../src/deps.js'
import { drainOutbox } from '../src/email/drain.js'
import { smtpMailer } from '../src/node/smtp.js'
import { emailHash } from '../src/privacy/email.js'
import { ADMIN_TOKEN, SECRET_KEY, testConfig, uniqueArticle, uniqueEmail, validComment } from './support/app.js'
import { backends } from './support/db.js'
import { startSmtp, type Received, type TestSmtp } from './support/smtp.js'

const MODERATOR = 'moderator@example.com'
const emailEnv = (smtp: TestSmtp, extra: Record<string, string> = {}) => ({
  SMTP_URL: smtp.url,
  PUBLIC_URL: 'http://parley.test',
  SITE_NAME: 'Test Blog',
  MAIL_FROM: 'Test Blog <comments@parley.test>',
  MODERATOR_EMAILS: MODERATOR,
  EMAIL_RETRY_SECONDS: '1',
  // These posts carry no form token and a random id in their text; the learned score (issue 14) puts some of them
  // over 0.92, and a comment sent to spam mails nobody, so which tests passed depended on the draw. This file is
  // about email: only the honeypot sends to spam here.
  SPAM_THRESHOLD: '1',
  ...extra,
})

/** A header of a received message as it was written (unfolded), from mailparser's header lines. */
function rawHeader(r: Received, name: string): string | undefined {
  const line = r.mail.headerLines.find((h) => h.key === name.toLowerCase())?.line
  return line
    ?.slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim()
}
const linkAfter = (text: string | undefined, label: string) => {
  const match = new RegExp(`${label}: (\\S+)`).exec(text ?? '')
  if (!match) throw new Error(`no "${label}" link in:\n${text}`)
  return match[1]!
}
const pathOf = (url: string) => url.replace('http://parley.test', '')

describe.each(backends)('email on $name PostgreSQL', (backend) => {
  let smtp: TestSmtp
  let db: Awaited<ReturnType<typeof backend.open>>
  let offset = 0
  const clock = () => new Date(Date.now() + offset)
  const pending: Promise<unknown>[] = []

  async function emailApp(env: Record<string, string> = {}, withMailer = true) {
    const config = testConfig(emailEnv(smtp, env))
    const deps = await buildDeps({ config, db, log: () => {}, clock, ...(withMailer ? { mailer: smtpMailer(smtp.url) } : {}) })
    const app = createApp({ ...deps, defer: (work) => void pending.push(work) })
    const request = (path: string, init?: RequestInit) => app.request(`http://parley.test${path}`, init)
    return {
      deps,
      request,
      post: (body: unknown, headers: Record<string, string> = {}) =>
        request('/api/comments', { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) }),
      admin: (method: string, path: string, body?: unknown) =>
        request(`/api/admin${path}`, {
          method,
          headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      /** Waits for the drains the requests started (as a Worker's waitUntil would). */
      settle: async () => {
        while (pending.length) await pending.shift()
      },
    }
  }
  type EmailApp = Awaited<ReturnType<typeof emailApp>>
  let t: EmailApp

  async function postId(app: EmailApp, body: unknown, headers: Record<string, string> = {}): Promise<string> {
    const res = await app.post(body, headers)
    expect(res.status).toBe(201)
    return (await res.json()).comment.id
  }
  const approve = async (app: EmailApp, id: string) => expect((await app.admin('PATCH', `/comments/${id}`, { status: 'approved' })).status).toBe(200)
  const mailsTo = (address: string) => smtp.received.filter((r) => r.envelopeTo.includes(address))
  const emailHashOf = (address: string) => emailHash(t.deps.keys, address)
  const outboxRows = (commentId: string) => db.selectFrom('email_outbox').selectAll().where('comment_id', '=', Number(commentId)).execute()

  beforeAll(async () => {
    db = await backend.open()
    smtp = await startSmtp()
    // A run stopped half-way may have left messages queued on the server database.
    await db.updateTable('email_outbox').set({ state: 'skipped' }).where('state', 'in', ['queued', 'failed']).execute()
    t = await emailApp()
  })
  afterAll(async () => {
    await t?.settle()
    await smtp?.stop()
  })

  it('mails moderators a held comment, escaped, with one-click links that work over HTTP', async () => {
    const article = uniqueArticle('held')
    const id = await postId(t, validComment(article, { author: 'Eve <b>', content: 'Hello <script>alert(1)</script> & bye' }))
    await t.settle()
    const r = await smtp.waitFor((m) => m.mail.text?.includes(article) ?? false)
    expect(r.envelopeTo).toEqual([MODERATOR])
    expect(r.mail.subject).toBe(`[Test Blog] A comment on ${article} is waiting for your approval`)
    expect(r.mail.from?.value).toEqual([{ name: 'Test Blog', address: 'comments@parley.test' }])
    expect(r.mail.messageId).toMatch(new RegExp(`^<parley\\.held\\.\\d+\\.[0-9a-f]{16}@parley\\.test>$`))
    expect(r.mail.text).toContain('> Hello <script>alert(1)</script> & bye')
    expect(r.mail.text).toContain('no_form_token')
    expect(r.mail.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt; &amp; bye')
    expect(r.mail.html).toContain('Eve &lt;b&gt;')
    expect(r.mail.html).not.toContain('<script')
    expect(r.mail.html).not.toContain('Eve <b>')
    expect(linkAfter(r.mail.text, 'Console')).toBe(`http://parley.test/admin#comment-${id}`)

    // The link's page asks first (a GET decides nothing), then the POST approves, once.
    const approveLink = pathOf(linkAfter(r.mail.text, 'Approve'))
    const page = await t.request(approveLink)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('<form method="post">')
    expect((await (await t.admin('GET', `/comments/${id}`)).json()).status).toBe('pending')
    // The button posts the page's confirm ticket (test/security-act.test.ts).
    const confirm = {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ confirm: /name="confirm" value="([^"]+)"/.exec(html)![1]! }).toString(),
    }
    expect((await t.request(approveLink, confirm)).status).toBe(200)
    expect((await (await t.admin('GET', `/comments/${id}`)).json()).status).toBe('approved')
    expect((await t.request(approveLink, confirm)).status).toBe(410)
    await t.settle()
    expect(smtp.received.filter((m) => m.mail.text?.includes(article))).toHaveLength(1)
  })

  it('says in the list answer that the site sends email (the embed then offers the checkbox)', async () => {
    const list = await (await t.request(`/api/comments?article=${encodeURIComponent(uniqueArticle('list'))}`)).json()
    expect(list.notify).toBe(true)
  })

  it('mails nothing about a comment the checks sent to spam', async () => {
    const article = uniqueArticle('spam')
    const id = await postId(t, validComment(article, { website: 'http://spam.example', notify: true }))
    await t.settle()
    expect((await (await t.admin('GET', `/comments/${id}`)).json()).status).toBe('spam')
    expect(await outboxRows(id)).toEqual([])
    expect(smtp.received.filter((m) => m.mail.text?.includes(article))).toEqual([])
  })

  it('retries a message the SMTP server refuses, then delivers it once under one Message-ID', async () => {
    const article = uniqueArticle('retry')
    smtp.refuse(451, 421)
    const id = await postId(t, validComment(article))
    await t.settle()
    let [row] = await outboxRows(id)
    expect(row).toMatchObject({ state: 'queued', attempts: 1, last_error: 'smtp 451' })
    offset += 1_500 // the first retry waits EMAIL_RETRY_SECONDS (1 s)
    await t.deps.kickOutbox!()
    ;[row] = await outboxRows(id)
    expect(row).toMatchObject({ state: 'queued', attempts: 2, last_error: 'smtp 421' })
    await t.deps.kickOutbox!() // not due yet: the second retry waits four times longer
    expect((await outboxRows(id))[0]!.attempts).toBe(2)
    offset += 4_500
    await t.deps.kickOutbox!()
    ;[row] = await outboxRows(id)
    expect(row).toMatchObject({ state: 'sent', attempts: 3, last_error: null })
    const got = smtp.received.filter((m) => m.mail.text?.includes(article))
    expect(got).toHaveLength(1)
    expect(got[0]!.mail.messageId).toMatch(new RegExp(`^<parley\\.held\\.${row!.id}\\.`))
  })

  it('shows a message refused for good to moderators, who can send it again', async () => {
    const article = uniqueArticle('failed')
    smtp.refuse(550)
    const id = await postId(t, validComment(article, { email: uniqueEmail('secret') }))
    await t.settle()
    const listed = await (await t.admin('GET', '/email/failed')).json()
    const failure = listed.failures.find((f: { commentId: string }) => f.commentId === id)
    expect(failure).toMatchObject({ kind: 'held', attempts: 1, error: 'smtp 550' })
    expect(JSON.stringify(listed)).not.toContain('@')
    expect((await t.request('/api/admin/email/failed')).status).toBe(401)
    expect((await t.admin('POST', '/email/failed/999999999999/retry')).status).toBe(404)

    expect((await t.admin('POST', `/email/failed/${failure.id}/retry`)).status).toBe(202)
    await t.settle()
    await smtp.waitFor((m) => m.mail.text?.includes(article) ?? false)
    const after = await (await t.admin('GET', '/email/failed')).json()
    expect(after.failures.map((f: { id: string }) => f.id)).not.toContain(failure.id)
  })

  it('double opt-in, then a reply notification on approval only, to that reader only; one-click unsubscribe', async () => {
    const article = uniqueArticle('replies')
    const [alice, bob, carol, dave, erin] = ['alice', 'bob', 'carol', 'dave', 'erin'].map((n) => uniqueEmail(n)) as [
      string,
      string,
      string,
      string,
      string,
    ]
    const fromPage = { Origin: 'https://blog.example', 'Accept-Language': 'fr-FR,fr;q=0.9,en;q=0.5' }
    const a = await postId(t, validComment(article, { email: alice, author: 'Alice', notify: true }), fromPage)
    await t.settle()
    const [confirm, ...more] = mailsTo(alice)
    expect(more).toEqual([])
    expect(confirm!.envelopeTo).toEqual([alice])
    expect(confirm!.mail.subject).toBe('[Test Blog] Confirmez les notifications par e-mail')
    expect(confirm!.mail.text).toContain(article)
    const unsubscribeUrl = /^<(http:\/\/parley\.test\/email\/unsubscribe\/[\w.-]+)>$/.exec(rawHeader(confirm!, 'List-Unsubscribe') ?? '')?.[1]
    expect(unsubscribeUrl).toBeDefined()
    expect(rawHeader(confirm!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
    await approve(t, a)

    // Bob's reply is approved before Alice confirmed: nothing is sent to her.
    const b = await postId(t, validComment(article, { email: bob, parentId: a }))
    await approve(t, b)
    await t.settle()
    expect(mailsTo(alice)).toHaveLength(1)

    // The link's GET only asks; the POST confirms.
    const confirmPath = pathOf(linkAfter(confirm!.mail.text, 'Confirmer'))
    const page = await t.request(confirmPath, { headers: { 'Accept-Language': 'fr' } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<form method="post">')
    const sub = () =>
      db
        .selectFrom('email_subscriptions')
        .selectAll()
        .where('email_enc', 'is not', null)
        .where('article_id', 'in', db.selectFrom('articles').select('id').where('key', '=', article))
        .execute()
    expect((await sub())[0]!.confirmed_at).toBeNull()
    const confirmed = await t.request(confirmPath, { method: 'POST' })
    expect(confirmed.status).toBe(200)
    expect(await confirmed.text()).toContain('C’est fait')
    expect((await sub())[0]!.confirmed_at).not.toBeNull()

    // Carol's reply waits, then goes to spam: still nothing.
    const c = await postId(t, validComment(article, { email: carol, parentId: a }))
    await t.settle()
    expect((await t.admin('PATCH', `/comments/${c}`, { status: 'spam' })).status).toBe(200)
    await t.settle()
    expect(mailsTo(alice)).toHaveLength(1)

    // Dave's reply is approved: Alice hears of it, in French, quoting only public text.
    const d = await postId(t, validComment(article, { email: dave, author: 'Dave <i>', parentId: a, content: 'Je réponds <b>ici</b> & là' }))
    await approve(t, d)
    await t.settle()
    const note = mailsTo(alice)[1]!
    expect(mailsTo(alice)).toHaveLength(2)
    expect(note.envelopeTo).toEqual([alice])
    expect(note.mail.subject).toBe('[Test Blog] Dave <i> a répondu à votre commentaire')
    expect(note.mail.text).toContain('> Je réponds <b>ici</b> & là')
    expect(note.mail.html).toContain('Je réponds &lt;b&gt;ici&lt;/b&gt; &amp; là')
    expect(note.mail.text).toContain(`https://blog.example${article}#comment-${d}`)
    for (const other of [bob, carol, dave, erin]) expect(note.raw).not.toContain(other)
    expect(rawHeader(note, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
    // Approving it again (after a round trip through pending) does not mail twice.
    expect((await t.admin('PATCH', `/comments/${d}`, { status: 'pending' })).status).toBe(200)
    await approve(t, d)
    await t.settle()
    expect(mailsTo(alice)).toHaveLength(2)

    // RFC 8058 one-click: a mail client POSTs List-Unsubscribe=One-Click to the header's URL.
    const oneClick = await t.request(pathOf(rawHeader(note, 'List-Unsubscribe')!.slice(1, -1)), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(oneClick.status).toBe(200)
    expect(await sub()).toEqual([])
    const e = await postId(t, validComment(article, { email: erin, parentId: a }))
    await approve(t, e)
    await t.settle()
    expect(mailsTo(alice)).toHaveLength(2)
    // A forged or altered link does nothing.
    expect((await t.request(`/email/unsubscribe/${'x'.repeat(40)}.${'y'.repeat(43)}`, { method: 'POST' })).status).toBe(410)
    expect((await t.request(`${confirmPath.slice(0, -2)}AA`, { method: 'POST' })).status).toBe(410)
  })

  it('unsubscribes from everything by the link in the body: no confirmation is sent to that address again', async () => {
    const frank = uniqueEmail('frank')
    await postId(t, validComment(uniqueArticle('all'), { email: frank, notify: true }))
    await t.settle()
    const [confirm] = mailsTo(frank)
    expect(confirm!.mail.subject).toBe('[Test Blog] Confirm email notifications')
    const unsubscribe = pathOf(linkAfter(confirm!.mail.text, 'Stop these emails'))
    const page = await t.request(unsubscribe)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('value="everything"')
    const done = await t.request(unsubscribe, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'scope=everything',
    })
    expect(done.status).toBe(200)
    expect(await done.text()).toContain('no more email')
    await postId(t, validComment(uniqueArticle('all-again'), { email: frank, notify: true }))
    await t.settle()
    expect(mailsTo(frank)).toHaveLength(1)
  })

  it('accepts notify as `on` from a plain form and refuses a value that is neither', async () => {
    const grace = uniqueEmail('grace')
    const form = new URLSearchParams({ ...validComment(uniqueArticle('form'), { email: grace }), notify: 'on' })
    const res = await t.request('/api/comments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    })
    expect(res.status).toBe(201)
    await t.settle()
    expect(mailsTo(grace)).toHaveLength(1)
    const bad = await t.post(validComment(uniqueArticle('bad'), { notify: 'yes please' }))
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.fields.notify).toBe('notify must be true or false.')
  })

  it("exports and erases a reader's subscriptions and messages with their personal data", async () => {
    const hana = uniqueEmail('hana')
    const article = uniqueArticle('personal')
    const id = await postId(t, validComment(article, { email: hana, notify: true }))
    await t.settle()
    const exported = await (await t.admin('GET', `/personal-data?email=${encodeURIComponent(hana)}`)).json()
    expect(exported.emailSubscriptions).toEqual([expect.objectContaining({ article, confirmedAt: null })])
    expect(exported.emailMessages).toEqual([expect.objectContaining({ kind: 'confirm', state: 'sent', attempts: 1 })])
    expect(exported.emailOptedOut).toBe(false)
    expect((await t.admin('DELETE', `/personal-data?email=${encodeURIComponent(hana)}`)).status).toBe(200)
    const after = await (await t.admin('GET', `/personal-data?email=${encodeURIComponent(hana)}`)).json()
    expect(after).toMatchObject({ comments: [], emailSubscriptions: [], emailMessages: [], emailOptedOut: false })
    const hash = await emailHashOf(hana)
    expect(await db.selectFrom('email_outbox').select('id').where('recipient_hash', '=', hash).execute()).toEqual([])
    expect(await db.selectFrom('email_subscriptions').select('id').where('email_hash', '=', hash).execute()).toEqual([])
    // The moderators' notice about the comment stays: it names no reader.
    expect((await outboxRows(id)).map((r) => r.kind)).toEqual(['held'])
  })

  it('two drains at once send each message once', async () => {
    const quiet = await emailApp({}, false) // queues, sends nothing by itself
    const article = uniqueArticle('race')
    const ids = []
    for (let i = 0; i < 5; i++) ids.push(await postId(quiet, validComment(article)))
    const mailer = smtpMailer(smtp.url)
    await Promise.all([drainOutbox(quiet.deps, mailer), drainOutbox(quiet.deps, mailer), drainOutbox(quiet.deps, mailer)])
    const got = smtp.received.filter((m) => m.mail.text?.includes(article))
    expect(got).toHaveLength(5)
    expect(new Set(got.map((m) => m.mail.messageId)).size).toBe(5)
  })

  it('a digest groups the held comments of the hour into one message', async () => {
    const digest = await emailApp({ MODERATOR_EMAIL_DIGEST: 'hourly' })
    const article = uniqueArticle('digest')
    const first = await postId(digest, validComment(article, { content: 'first of the hour' }))
    const second = await postId(digest, validComment(article, { content: 'second of the hour' }))
    await digest.settle()
    expect(smtp.received.filter((m) => m.mail.text?.includes(article))).toEqual([])
    offset += 3_600_000
    await digest.deps.kickOutbox!()
    const got = smtp.received.filter((m) => m.mail.text?.includes(article))
    expect(got).toHaveLength(1)
    expect(got[0]!.mail.subject).toMatch(/^\[Test Blog\] \d+ comments are waiting for your approval$/)
    expect(got[0]!.mail.text).toContain('first of the hour')
    expect(got[0]!.mail.text).toContain('second of the hour')
    expect(got[0]!.mail.text).toContain(`#comment-${first}`)
    expect(got[0]!.mail.text).toContain(`#comment-${second}`)
  })
})

describe('email configuration', () => {
  it('needs PUBLIC_URL with SMTP_URL, and refuses a bad SMTP_URL or moderator address', () => {
    const base = { ADMIN_TOKEN, SECRET_KEY }
    expect(() => parseConfig({ ...base, SMTP_URL: 'smtp://mail.example' })).toThrow(/PUBLIC_URL: is required when SMTP_URL is set/)
    expect(() => parseConfig({ ...base, SMTP_URL: 'http://mail.example', PUBLIC_URL: 'https://c.example' })).toThrow(ConfigError)
    expect(() => parseConfig({ ...base, SMTP_URL: 'smtp://m.example', PUBLIC_URL: 'https://c.example', MODERATOR_EMAILS: 'not-an-address' })).toThrow(
      /MODERATOR_EMAILS/,
    )
    expect(parseConfig(base).email).toBeUndefined()
    expect(parseConfig({ ...base, SMTP_URL: 'smtps://u:p@m.example', PUBLIC_URL: 'https://c.example/' }).email).toMatchObject({
      from: 'c.example <noreply@c.example>',
      siteName: 'c.example',
      digest: 'off',
    })
  })
})
