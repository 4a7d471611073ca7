import { randomUUID } from 'node:crypto'
import { type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium } from './support/browser.js'
import { startParleyAndHost, freePort, type HostSite, type ParleyServer } from './support/server.js'
import { startSmtp, type TestSmtp } from './support/smtp.js'

const MODERATOR = 'moderator@example.com'

let parley: ParleyServer
let host: HostSite
let smtp: TestSmtp
let browser: Browser

const linkAfter = (text: string | undefined, label: string) => {
  const match = new RegExp(`${label}: (\\S+)`).exec(text ?? '')
  if (!match) throw new Error(`no "${label}" link in:\n${text}`)
  return match[1]!
}

async function post(body: Record<string, unknown>): Promise<string> {
  const res = await parley.post(body)
  expect(res.status).toBe(201)
  return (await res.json()).comment.id
}
const approve = async (id: string) => expect((await parley.admin('PATCH', `/comments/${id}`, { status: 'approved' })).status).toBe(200)

describe.skipIf(!hasChromium)('email in the browser: tick, confirm by the emailed link, hear of a reply, unsubscribe', () => {
  beforeAll(async () => {
    smtp = await startSmtp()
    const port = await freePort()
    ;({ parley, host } = await startParleyAndHost({
      port,
      env: { SMTP_URL: smtp.url, PUBLIC_URL: `http://127.0.0.1:${port}`, SITE_NAME: 'Browser Blog', MODERATOR_EMAILS: MODERATOR },
    }))
    browser = await launchChromium()
  }, 200_000)
  afterAll(async () => {
    await browser?.close()
    await host?.stop()
    await parley?.stop()
    await smtp?.stop()
  })

  it('works end to end', async () => {
    const key = `/e2e/email/${randomUUID().slice(0, 8)}`
    const address = `reader.${randomUUID().slice(0, 8)}@example.com`
    const context = await browser.newContext({ viewport: { width: 900, height: 900 } })
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))

    await page.goto(host.articleUrl(key))
    const box = page.getByLabel('Notify me of follow-up comments by email')
    await box.waitFor()
    expect(await box.isChecked()).toBe(false)
    await page.locator('input[name=author]').fill('Ada')
    await page.locator('input[name=email]').fill(address)
    await page.locator('textarea[name=content]').fill('Tell me when someone answers.')
    await box.check()
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await page.getByText('Check your inbox to confirm your subscription.').waitFor()
    const id = (await page.locator('.parley li[id^="comment-"]').last().getAttribute('id'))!.replace('comment-', '')

    // The confirmation, followed in the browser: the page asks, the button confirms.
    const confirm = await smtp.waitFor((m) => m.envelopeTo.includes(address))
    expect(confirm.mail.subject).toBe('[Browser Blog] Confirm email notifications')
    await page.goto(linkAfter(confirm.mail.text, 'Confirm'))
    await page.getByRole('button', { name: 'Yes, notify me' }).click()
    await page.getByText('Done: you will get an email when a reply to your comment is published.').waitFor()

    // A moderator approves Ada's comment, then a reply to it: Ada is told, with a link back to the article.
    await approve(id)
    // A reply to Ada's comment from another reader, approved: its id.
    const approvedReply = async (author: string, content: string) => {
      const reply = await post({
        article: key,
        parentId: id,
        author,
        email: `${author.toLowerCase()}.${randomUUID().slice(0, 8)}@example.com`,
        content,
      })
      await approve(reply)
      return reply
    }
    const reply = await approvedReply('Grace', 'Here is an answer.')
    const note = await smtp.waitFor((m) => m.envelopeTo.includes(address) && m.mail.subject === '[Browser Blog] Grace replied to your comment')
    expect(note.mail.text).toContain('> Here is an answer.')
    await page.goto(linkAfter(note.mail.text, 'Read the conversation'))
    await page.locator(`#comment-${reply}`).getByText('Here is an answer.').waitFor()

    // Unsubscribe by the link in the message: the page offers this article or everything.
    await page.goto(linkAfter(note.mail.text, 'Stop these emails'))
    await page.getByRole('button', { name: 'Replies on this article' }).click()
    await page.getByText('Done: you will get no more of these emails.').waitFor()

    // Another approved reply: nothing more for Ada (the marker's notice, queued after it, arrives first or alone).
    await approvedReply('Hal', 'Another answer.')
    const marker = `/e2e/email-marker/${randomUUID().slice(0, 8)}`
    await post({ article: marker, author: 'Marker', email: `m.${randomUUID().slice(0, 8)}@example.com`, content: 'marker' })
    await smtp.waitFor((m) => m.mail.text?.includes(marker) ?? false)
    expect(smtp.received.filter((m) => m.envelopeTo.includes(address)).map((m) => m.mail.subject)).toEqual([
      '[Browser Blog] Confirm email notifications',
      '[Browser Blog] Grace replied to your comment',
    ])
    expect(errors).toEqual([])
    await context.close()
  }, 120_000)
})
