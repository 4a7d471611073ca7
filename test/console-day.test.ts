// The moderator's day in a real browser (Chromium through playwright-core), issue 16: undo puts the cursor back on the
// comment it restored, a delete names its comments and asks first, a reply from the console shows in the embed under its
// parent with the badge (English and French), the queue shows the article's title and link and the author's history,
// every tap target on a phone is at least 44 x 44 px (measured), dark mode follows the system. Screenshots of both
// themes and both viewports go to $CONSOLE_SHOTS (default: a folder under the system's temporary directory).
import { mkdirSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, type BrowserContextOptions, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium } from './support/browser.js'
import { startParleyAndHost, type HostSite, type ParleyServer } from './support/server.js'

/** Waits for the page to catch up (a loaded machine can be slow; this is not a speed check). */
const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 })
/** Per test (the suite's timeout): several pages and a browser context each, on a machine shared with other work (not a speed check). */
const SLOW = 180_000
const SHOTS = process.env.CONSOLE_SHOTS ?? join(tmpdir(), 'parley-console-shots')
const DESKTOP: BrowserContextOptions = { viewport: { width: 1100, height: 900 } }
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }

describe.skipIf(!hasChromium)("the moderator's day in Chromium", { timeout: SLOW }, () => {
  let parley: ParleyServer
  let host: HostSite
  let browser: Browser

  beforeAll(async () => {
    ;({ parley, host } = await startParleyAndHost())
    browser = await launchChromium()
    mkdirSync(SHOTS, { recursive: true })
  }, 200_000)

  afterAll(async () => {
    await browser?.close()
    await host?.stop()
    await parley?.stop()
  })

  const newArticle = (label: string) => `/posts/${label}-${randomUUID().slice(0, 8)}`
  const emailOf = (author: string) => `${author.toLowerCase().replace(/\W/g, '')}.${randomUUID().slice(0, 6)}@example.com`
  async function post(article: string, author: string, content: string, email = emailOf(author)): Promise<string> {
    const res = await parley.post({ article, author, email, content })
    expect(res.status).toBe(201)
    return (await res.json()).comment.id
  }
  const setStatus = async (id: string, status: string) => expect((await parley.admin('PATCH', `/comments/${id}`, { status })).status).toBe(200)
  const statusOf = async (id: string) => {
    const res = await parley.admin('GET', `/comments/${id}`)
    return res.status === 404 ? 'gone' : ((await res.json()).status as string)
  }

  async function openConsole(options: BrowserContextOptions, article?: string, tab?: string): Promise<Page> {
    const context = await browser.newContext(options)
    const page = await context.newPage()
    await page.goto(`${parley.url}/admin`)
    await page.getByLabel('Moderator token').fill(parley.adminToken)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await eventually(() => page.locator('#tabs button').count()).toBe(4)
    if (tab) await page.locator(`#tabs [data-status="${tab}"]`).click()
    if (article) {
      await page.locator('#article').fill(article)
      await eventually(() => page.locator('#article-bar').isVisible()).toBe(true)
    }
    return page
  }
  const shown = (page: Page) => page.locator('#list .item').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))
  const current = (page: Page) => page.locator('#list .item.current').getAttribute('data-id')

  it('approve → undo → approve acts on the same comment, and the status line keeps saying what happened', async () => {
    const article = newArticle('undo')
    // As the review had it: the held profane comment above the one the moderator approves.
    const margaret = await post(article, 'Margaret Hale', 'A thoughtful comment about the article.')
    const gus = await post(article, 'Grumpy Gus', 'This is shit, honestly.')
    const page = await openConsole(DESKTOP, article)
    await eventually(() => shown(page)).toEqual([gus, margaret])
    const status = page.locator('#status')

    await page.locator('#list').click({ position: { x: 1, y: 1 } })
    await page.keyboard.press('j')
    expect(await current(page)).toBe(margaret)
    await page.keyboard.press('a')
    await eventually(() => shown(page)).toEqual([gus])
    expect(await statusOf(margaret)).toBe('approved')
    // The message survives the reload that follows the action, and names the comment.
    expect(await status.textContent()).toBe(`Comment #${margaret} (Margaret Hale) approved. Press u to undo.`)
    expect(await current(page)).toBe(gus)

    await page.keyboard.press('u')
    await eventually(() => shown(page)).toEqual([gus, margaret])
    expect(await statusOf(margaret)).toBe('pending')
    // The cursor is on the comment the undo restored, not on the row number it was on (that was Grumpy Gus).
    expect(await current(page)).toBe(margaret)
    expect(await status.textContent()).toBe(`Undone: Comment #${margaret} (Margaret Hale) back to pending.`)

    await page.keyboard.press('a')
    await eventually(() => shown(page)).toEqual([gus])
    expect(await statusOf(margaret)).toBe('approved')
    expect(await statusOf(gus)).toBe('pending')
    await page.context().close()
  })

  it('keeps Delete away from approve: only in spam and trash, set apart, and a bulk delete names its comments and asks first', async () => {
    const article = newArticle('delete')
    const ids = [
      await post(article, 'Ann', 'First of three.'),
      await post(article, 'Ben', 'Second of three.'),
      await post(article, 'Cat', 'Third of three.'),
    ]
    const keeper = await post(article, 'Dee', 'Held, and never deleted from the pending tab.')

    // Pending: no Delete anywhere, and no key deletes.
    const pending = await openConsole(DESKTOP, article)
    await eventually(() => shown(pending)).toContain(keeper)
    expect(await pending.locator('button:visible', { hasText: /delete/i }).count()).toBe(0)
    await pending.locator(`#comment-${keeper} .pick`).click()
    expect(await pending.locator('#bulk').isVisible()).toBe(true)
    expect(await pending.locator('#bulk button:visible', { hasText: /delete/i }).count()).toBe(0)
    for (const key of ['d', 'Delete', 'Backspace', 'D']) await pending.keyboard.press(key)
    expect(await statusOf(keeper)).toBe('pending')
    await pending.context().close()

    for (const id of ids) await setStatus(id, 'trash')
    const page = await openConsole(DESKTOP, article, 'trash')
    await eventually(() => shown(page)).toEqual([...ids].reverse())
    expect(await page.locator('#bulk').isVisible()).toBe(false)
    await page.locator('#select-all').check()
    expect(await page.locator('#bulk-count').textContent()).toBe(
      `3 comments selected (${[...ids]
        .reverse()
        .map((id) => `#${id}`)
        .join(', ')}):`,
    )
    const bulkDelete = page.locator('#bulk [data-bulk="delete"]')
    expect(await bulkDelete.isVisible()).toBe(true)
    // Set apart from the other actions: not next to Restore.
    const [restoreBox, deleteBox] = [await page.locator('#bulk [data-bulk="restore"]').boundingBox(), await bulkDelete.boundingBox()]
    expect(deleteBox!.x - (restoreBox!.x + restoreBox!.width)).toBeGreaterThan(100)

    await bulkDelete.click()
    const dialog = page.locator('#confirm-delete')
    await eventually(() => dialog.isVisible()).toBe(true)
    expect(await page.locator('#confirm-title').textContent()).toBe('Delete these 3 comments for good?')
    const listed = await page.locator('#confirm-list li').allTextContents()
    expect(listed.map((l) => l.split(' ')[0])).toEqual([...ids].reverse().map((id) => `#${id}`))
    expect(listed.join('\n')).toContain('Ann · trash · “First of three.”')
    expect(await page.locator('#confirm-go').textContent()).toBe('Delete 3 comments for good')
    // Cancel has the focus: Enter or Escape straight away deletes nothing.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel')
    await page.screenshot({ path: join(SHOTS, 'console-delete-confirm-desktop.png') })
    await page.keyboard.press('Escape')
    await eventually(() => dialog.isVisible()).toBe(false)
    // The dialog's close event (which says so) comes in a task after it is hidden.
    await eventually(() => page.locator('#status').textContent()).toBe('Nothing deleted.')
    expect(await Promise.all(ids.map(statusOf))).toEqual(['trash', 'trash', 'trash'])

    await bulkDelete.click()
    await eventually(() => dialog.isVisible()).toBe(true)
    await page.locator('#confirm-go').click()
    await eventually(() => Promise.all(ids.map(statusOf))).toEqual(['gone', 'gone', 'gone'])
    await eventually(() => page.locator('#status').textContent()).toMatch(/^3 comments: #\d+ \(Cat\), #\d+ \(Ben\), #\d+ \(Ann\) deleted for good\.$/)
    expect(await statusOf(keeper)).toBe('pending')
    await page.context().close()
  })

  it('a reply from the console appears in the embed under its parent with the badge, in English and in French', async () => {
    const article = newArticle('reply')
    const held = await post(article, 'Reader Rosa', 'Will there be a follow-up article?')
    const page = await openConsole(DESKTOP, article)
    // The display name is set per moderator token, from the header.
    await eventually(() => page.locator('#me').textContent()).toBe('Replies as admin')
    await page.locator('#me').click()
    await page.locator('#display-name').fill('Site Author')
    await page.locator('#me-form').getByRole('button', { name: 'Save' }).click()
    await eventually(() => page.locator('#me').textContent()).toBe('Replies as Site Author')

    await eventually(() => shown(page)).toEqual([held])
    await page
      .locator(`#comment-${held}`)
      .getByRole('button', { name: `Approve and reply to comment ${held} by Reader Rosa` })
      .click()
    const text = page.locator(`#reply-${held}`)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`reply-${held}`)
    expect(await page.locator(`label[for="reply-${held}"]`).textContent()).toBe('Reply to Reader Rosa as Site Author')
    await text.fill('Yes, next week. Thanks for asking!')
    await page.screenshot({ path: join(SHOTS, 'console-reply-desktop.png') })
    const submit = page.getByRole('button', { name: 'Approve and post reply' })
    // Readable: its text is not drawn in its own background colour (it once was, white on white).
    expect(await submit.evaluate((e) => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor])).toEqual([
      'rgb(255, 255, 255)',
      'rgb(26, 95, 180)',
    ])
    await submit.click()
    await eventually(() => page.locator('#status').textContent()).toMatch(
      new RegExp(
        `^Replied to comment ${held} \\(Reader Rosa\\) as Site Author: reply #(\\d+) is published under it, and comment ${held} was approved first\\.$`,
      ),
    )
    const replyId = /reply #(\d+)/.exec((await page.locator('#status').textContent())!)![1]!
    expect(await statusOf(held)).toBe('approved')
    expect(await statusOf(replyId)).toBe('approved')
    await page.context().close()

    // The site's own word for the badge: data-author-badge on the container.
    const ownWord = host.page(`/own-word-${replyId}`, `<div id="comments" data-article="${article}" data-author-badge="Editor"></div>`)
    for (const [lang, badge, url] of [
      ['', 'Author', host.articleUrl(article)],
      ['fr', 'Auteur', host.articleUrl(article, { lang: 'fr' })],
      ['own', 'Editor', ownWord],
    ] as const) {
      const reader = await browser.newPage()
      await reader.goto(url)
      const reply = reader.locator(`#comment-${held} .parley-children > #comment-${replyId}`)
      await eventually(() => reply.count()).toBe(1)
      expect(await reply.locator('.parley-author').first().textContent()).toBe('Site Author')
      expect(await reply.locator('.parley-badge').textContent()).toBe(badge)
      expect(await reader.locator(`#comment-${held} > article .parley-badge`).count()).toBe(0)
      expect(await reply.locator('.parley-body').textContent()).toBe('Yes, next week. Thanks for asking!')
      await reader.screenshot({ path: join(SHOTS, `embed-reply-badge${lang ? `-${lang}` : ''}.png`), fullPage: true })
      await reader.close()
    }
  })

  it('shows each comment with its article’s title and link (sent by the embed), its author’s history, and its reasons in words', async () => {
    const article = newArticle('context')
    const email = emailOf('Returning Reader')
    // Earlier comments of the same author: one approved, one spam (on another article).
    const earlier = newArticle('earlier')
    await setStatus(await post(earlier, 'Returning Reader', 'An earlier, approved comment.', email), 'approved')
    await setStatus(await post(earlier, 'Returning Reader', 'An earlier comment marked as spam.', email), 'spam')

    // A reader posts through the embed on the host's article page: the page's title and URL come with it.
    const reader = await browser.newPage()
    const pageUrl = host.articleUrl(article)
    await reader.goto(pageUrl)
    await reader.getByLabel('Name').fill('Returning Reader')
    await reader.getByLabel('Email').fill(email)
    await reader.getByRole('textbox', { name: 'Comment' }).fill('Posted from the article page itself.')
    await reader.getByRole('button', { name: 'Post Comment' }).click()
    await eventually(() => reader.locator('.parley-comment[data-pending="true"]').count()).toBe(1)
    const id = (await reader.locator('.parley-comment[data-pending="true"]').getAttribute('id'))!.slice('comment-'.length)
    await reader.close()

    const page = await openConsole(DESKTOP, article)
    await eventually(() => shown(page)).toEqual([id])
    const card = page.locator(`#comment-${id}`)
    const title = card.locator('a.article-title')
    expect(await title.textContent()).toBe('A host article')
    expect(await title.getAttribute('href')).toBe(`${pageUrl}#comment-${id}`)
    expect(await card.locator('.article').textContent()).toBe(article)
    expect(await card.locator('.history').textContent()).toBe('Author’s history: 1 approved · 1 spam')
    // Posted within the form token's minimum (seconds): said in words, the raw reason on hover.
    const reasons = await card.locator('.chips button').evaluateAll((els) => els.map((e) => [e.textContent, e.getAttribute('data-reason')]))
    for (const [words, raw] of reasons) {
      expect(words).not.toBe(raw)
      if (raw === 'too_fast') expect(words).toMatch(/^posted less than \d+ s after the form loaded$/)
    }
    // A first-time author says so.
    const newcomer = await post(article, 'New Nina', 'My very first comment here.')
    await page.locator('#list').click({ position: { x: 1, y: 1 } })
    await page.keyboard.press('o')
    await page.keyboard.press('o')
    await page.locator('#article').fill(article)
    await eventually(() => shown(page)).toEqual([newcomer, id])
    expect(await page.locator(`#comment-${newcomer} .history`).textContent()).toBe('First comment from this address')
    expect(await page.locator(`#comment-${newcomer} .chip`, { hasText: 'not sent from the comment form' }).getAttribute('data-reason')).toBe(
      'no_form_token',
    )
    // A score below the spam threshold is a neutral chip, not a warning.
    const scores = await page.locator('#list .chip.score').evaluateAll((els) => els.map((e) => [e.textContent, e.classList.contains('high')]))
    for (const [text, high] of scores) expect(high).toBe(Number(String(text).split(' ').pop()) >= 0.92)

    // The moderator renames the article from the article bar; the card follows.
    await page.getByRole('button', { name: 'Title and link…' }).click()
    await page.getByLabel('Title shown for this article').fill('Hello again')
    await page.locator('#article-page-form').getByRole('button', { name: 'Save' }).click()
    await eventually(() => card.locator('a.article-title').textContent()).toBe('Hello again')
    const stored = await (await parley.admin('GET', `/comments?article=${encodeURIComponent(article)}`)).json()
    expect(stored.articles[article]).toEqual({ title: 'Hello again', url: pageUrl })
    await page.context().close()
  })

  it('on a phone, every tap target is at least 44 x 44 px (measured), with a selection and a reply open', async () => {
    const article = newArticle('phone')
    await post(article, 'Phone Phil', 'A comment to look at on a phone.')
    const second = await post(article, 'Tapping Tess', 'Another one, with a longer name and text to wrap on a narrow screen.')
    const page = await openConsole(PHONE, article)
    await eventually(() => page.locator('#list .item').count()).toBe(2)
    // A tap near the corner of a checkbox's 44 px label selects its comment.
    const pick = page.locator(`#comment-${second} .pick`)
    const box = (await pick.boundingBox())!
    await page.touchscreen.tap(box.x + 3, box.y + 3)
    await eventually(() => page.locator('#selection').textContent()).toBe('1 selected')
    await page.locator(`#comment-${second} [data-action="reply"]`).tap()
    await page.locator('#me').tap()
    await page.getByRole('button', { name: 'Title and link…' }).tap()

    const small = await page.evaluate(() => {
      const targets = document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary')
      const out: string[] = []
      let measured = 0
      for (const el of targets) {
        if (el.getClientRects().length === 0) continue // not shown
        if (el.closest('.body')) continue // a link inside a comment's sentence: WCAG 2.5.8's inline exception
        // A checkbox is tapped through its label, which is the target that counts.
        const target = el instanceof HTMLInputElement && el.type === 'checkbox' ? (el.closest('label') ?? el) : el
        const r = target.getBoundingClientRect()
        measured++
        if (r.width < 44 || r.height < 44)
          out.push(
            `${el.tagName.toLowerCase()}#${el.id}.${el.className} "${(el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`,
          )
      }
      return { out, measured }
    })
    expect(small.out).toEqual([])
    expect(small.measured).toBeGreaterThan(30)
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    await page.context().close()
  })

  it('follows the system’s dark mode, loads without a 404 (favicon), and names /admin on the demo page', async () => {
    const article = newArticle('shots')
    const first = await post(article, 'Light Lena', 'Is this readable in both themes? http://example.org/link')
    await post(article, 'Dark Dan', 'A second comment, so the list has more than one card.')
    await setStatus(first, 'approved')
    await post(article, 'Held Hugo', 'Held for a moderator, shown with its reasons.')
    const backgrounds: Record<string, string> = {}
    for (const scheme of ['light', 'dark'] as const) {
      for (const [name, options] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const context = await browser.newContext({ ...options, colorScheme: scheme })
        const page = await context.newPage()
        const failures: string[] = []
        page.on('response', (res) => {
          if (res.status() >= 400) failures.push(`${res.status()} ${res.url()}`)
        })
        await page.goto(`${parley.url}/admin`)
        await page.getByLabel('Moderator token').fill(parley.adminToken)
        await page.getByRole('button', { name: 'Sign in' }).click()
        await page.locator('#article').fill(article)
        await eventually(() => page.locator('#list .item').count()).toBe(2)
        await page.locator('#list .item .pick').first().click()
        expect(failures).toEqual([])
        backgrounds[`${scheme}-${name}`] = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
        await page.screenshot({ path: join(SHOTS, `console-${scheme}-${name}.png`), fullPage: true })
        await context.close()
      }
    }
    expect(backgrounds['light-desktop']).toBe('rgb(246, 247, 248)')
    expect(backgrounds['dark-desktop']).toBe('rgb(20, 24, 28)')
    expect(backgrounds['dark-phone']).toBe(backgrounds['dark-desktop'])
    const demo = await (await fetch(`${parley.url}/`)).text()
    expect(demo).toContain(`<a href="/admin">${parley.url}/admin</a>`)
  })
})
