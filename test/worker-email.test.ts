import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest'
import { migrateToLatest } from '../src/db/migrate.js'
import { openPostgres } from '../src/db/postgres.js'
import { ADMIN_TOKEN, SECRET_KEY, uniqueArticle, uniqueEmail, validComment } from './support/app.js'
import { freshServerDatabase } from './support/db.js'
import { startSmtp, type TestSmtp } from './support/smtp.js'
import { startWorker, type RunningWorker } from './support/workerd.js'

const serverUrl = process.env.TEST_DATABASE_URL
if (!serverUrl) console.warn('[worker-email.test] skipped: set TEST_DATABASE_URL to a server PostgreSQL to run the Worker in workerd')

describe.skipIf(!serverUrl)('email from the Worker in workerd (worker-mailer over TCP sockets)', () => {
  let worker: RunningWorker
  let smtp: TestSmtp
  let database: Awaited<ReturnType<typeof freshServerDatabase>>

  beforeAll(async () => {
    database = await freshServerDatabase(serverUrl!, 'parley_worker_email')
    const db = openPostgres({ connectionString: database.url, max: 2 })
    await migrateToLatest(db)
    await db.destroy()
    smtp = await startSmtp()
    worker = await startWorker({
      databaseUrl: database.url,
      vars: {
        ADMIN_TOKEN,
        SECRET_KEY,
        LOG_REQUESTS: 'false',
        FLOOD_SECONDS: '0',
        SMTP_URL: smtp.url,
        PUBLIC_URL: 'https://comments.example',
        SITE_NAME: 'Edge Blog',
        MODERATOR_EMAILS: 'moderator@example.com',
        EMAIL_RETRY_SECONDS: '1',
      },
    })
  }, 180_000)
  beforeEach(() => {
    const seen = worker.output().length
    onTestFailed(() => console.log(`[worker-email.test] wrangler dev said:\n${worker.output().slice(seen).slice(-4000)}`))
  })
  afterAll(async () => {
    await worker?.stop()
    await smtp?.stop()
    await database?.drop()
  }, 30_000)

  const post = (body: unknown) =>
    fetch(`${worker.url}/api/comments`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })

  it('mails the held notice after the response (waitUntil), with its headers and links', async () => {
    const article = uniqueArticle('edge')
    const res = await post(validComment(article, { content: 'Held <at> the edge' }))
    expect(res.status).toBe(201)
    const r = await smtp.waitFor((m) => m.mail.text?.includes(article) ?? false, 20_000)
    expect(r.envelopeTo).toEqual(['moderator@example.com'])
    expect(r.mail.subject).toBe(`[Edge Blog] A comment on ${article} is waiting for your approval`)
    expect(r.mail.messageId).toMatch(/^<parley\.held\.\d+\.[0-9a-f]{16}@comments\.example>$/)
    expect(r.mail.text).toContain('> Held <at> the edge')
    expect(r.mail.html).toContain('Held &lt;at&gt; the edge')
    expect(r.mail.text).toMatch(/Approve: https:\/\/comments\.example\/admin\/act\/\S+/)
  })

  it('a refused message is retried by the cron drain; the confirmation carries List-Unsubscribe', async () => {
    const reader = uniqueEmail('edge-reader')
    smtp.refuse(451)
    const res = await post(validComment(uniqueArticle('edge-cron'), { email: reader, notify: true }))
    expect(res.status).toBe(201)
    // The held notice goes first (lower id) and is refused; the confirmation is delivered in the same drain.
    const confirm = await smtp.waitFor((m) => m.envelopeTo.includes(reader), 30_000)
    expect(confirm.mail.subject).toBe('[Edge Blog] Confirm email notifications')
    expect(confirm.raw).toMatch(/List-Unsubscribe: <https:\/\/comments\.example\/email\/unsubscribe\/[\w.-]+>/)
    expect(confirm.raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
    // After the retry wait (1 s), the minute's cron (run here by hand) delivers the refused one.
    await new Promise((r) => setTimeout(r, 1_500))
    expect((await fetch(`${worker.url}/__scheduled?cron=*+*+*+*+*`)).status).toBe(200)
    const held = await smtp.waitFor((m) => m.envelopeTo.includes('moderator@example.com') && (m.mail.text?.includes('edge-cron') ?? false), 30_000)
    expect(smtp.received.filter((m) => m.mail.messageId === held.mail.messageId)).toHaveLength(1)
  }, 90_000) // two waits of up to 30 s each inside: the default 30 s limit cut it short once on a loaded machine
})
