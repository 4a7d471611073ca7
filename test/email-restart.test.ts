import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { uniqueArticle, validComment } from './support/app.js'
import { freePort, startParley, type ParleyServer } from './support/server.js'
import { startSmtp, type TestSmtp } from './support/smtp.js'

// A real server process, killed (SIGKILL) after the comment and its outbox row are committed and before any
// message could be delivered (nothing listens on the SMTP port yet). Started again on the same data directory
// with the SMTP server up, it delivers the message, once.
describe('email outbox across a crash', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-email-crash-'))
  let parley: ParleyServer | undefined
  let smtp: TestSmtp | undefined
  afterAll(async () => {
    await parley?.stop()
    await smtp?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('a kill between commit and send still delivers the held notice exactly once', async () => {
    const smtpPort = await freePort()
    const env = {
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      PUBLIC_URL: 'http://parley.test',
      MODERATOR_EMAILS: 'moderator@example.com',
      EMAIL_RETRY_SECONDS: '1',
    }
    parley = await startParley({ dataDir, env })
    const article = uniqueArticle('crash')
    const res = await parley.post(validComment(article))
    expect(res.status).toBe(201)
    await parley.kill()

    smtp = await startSmtp(smtpPort)
    parley = await startParley({ dataDir, env })
    // Usually the row is due at once; if the kill fell after the first process claimed it and before it marked the
    // failed attempt, the claim's 5-minute lease must run out first (the same Message-ID either way).
    const first = await smtp
      .waitFor((m) => m.mail.text?.includes(article) ?? false, 360_000)
      .catch(async (error: Error) => {
        const stored = await parley!.admin('GET', `/comments?article=${encodeURIComponent(article)}`).then((r) => r.text())
        throw new Error(`${error.message}\nstored: ${stored}\nserver output:\n${parley?.output().slice(-3000)}`)
      })
    expect(first.mail.subject).toContain(article)

    // Another write makes another drain run; the first message is not sent again.
    const other = uniqueArticle('after-crash')
    const again = await parley.post(validComment(other))
    expect(again.status).toBe(201)
    await smtp
      .waitFor((m) => m.mail.text?.includes(other) ?? false, 120_000)
      .catch((error: Error) => {
        throw new Error(`${error.message}\nserver output:\n${parley?.output().slice(-3000)}`)
      })
    expect(smtp.received.filter((m) => m.mail.text?.includes(article))).toHaveLength(1)
  }, 720_000)
})
