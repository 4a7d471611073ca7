// The embed in a real browser (Debian's Chromium through playwright-core), on a host page of another origin,
// against the real server (child process, embedded PostgreSQL). One browser for the file; a fresh context per test.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium } from './support/browser.js'
import { startParleyAndHost, freePort, type HostSite, type ParleyServer } from './support/server.js'

const PRIVACY = 'Your email address will not be published. Required fields are marked *'
const AWAITING = 'Your comment is awaiting moderation.'
const article = (label: string) => `/e2e/${label}/${randomUUID().slice(0, 8)}`
const email = () => `reader.${randomUUID().slice(0, 8)}@example.com`

let parley: ParleyServer
let host: HostSite

beforeAll(async () => {
  ;({ parley, host } = await startParleyAndHost())
}, 200_000)

afterAll(async () => {
  await host?.stop()
  await parley?.stop()
})

/** Posts through the API (as another reader would) and approves it as a moderator; returns its id. */
async function approved(articleKey: string, fields: Record<string, string> = {}): Promise<string> {
  const res = await parley.post({ article: articleKey, author: 'Grace', email: email(), content: `Hello ${randomUUID()}`, ...fields })
  const body = await res.text()
  if (res.status !== 201) throw new Error(`POST /api/comments gave ${res.status} ${body}\nserver output:\n${parley.output().slice(-2000)}`)
  const id: string = JSON.parse(body).comment.id
  expect((await parley.admin('PATCH', `/comments/${id}`, { status: 'approved' })).status).toBe(200)
  return id
}

describe('the embed bundle', () => {
  it('is at most 8 KB gzipped', () => {
    const script = readFileSync(new URL('../dist/embed.js', import.meta.url))
    const gzipped = gzipSync(script).length
    console.log(`dist/embed.js: ${script.length} bytes, ${gzipped} bytes gzipped (budget 8192)`)
    expect(script.length).toBeGreaterThan(1000)
    expect(gzipped).toBeLessThanOrEqual(8192)
  })

  it('is served with an ETag, a 304 on revalidation, and a year of caching at its versioned URL', async () => {
    const plain = await fetch(`${parley.url}/embed.js`)
    expect(plain.status).toBe(200)
    expect(plain.headers.get('Content-Type')).toMatch(/^text\/javascript/)
    expect(await plain.text()).toBe(readFileSync(new URL('../dist/embed.js', import.meta.url), 'utf8'))
    const etag = plain.headers.get('ETag')!
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/)
    expect(plain.headers.get('Cache-Control')).toContain('max-age=86400')
    const again = await fetch(`${parley.url}/embed.js`, { headers: { 'If-None-Match': etag } })
    expect(again.status).toBe(304)
    const pinned = await fetch(`${parley.url}/embed.js?v=${etag.slice(1, -1)}`)
    expect(pinned.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
    const stale = await fetch(`${parley.url}/embed.js?v=0000000000000000`)
    expect(stale.headers.get('Cache-Control')).not.toContain('immutable')
  })

  it('GET / is a demo article that loads the versioned embed under a strict CSP', async () => {
    const res = await fetch(`${parley.url}/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Security-Policy')).toContain("script-src 'self'")
    const html = await res.text()
    expect(html).toMatch(/<div id="comments" data-article="parley-demo"><\/div>/)
    expect(html).toMatch(/<script src="\/embed\.js\?v=[0-9a-f]{16}" async><\/script>/)
  })
})

describe.skipIf(!hasChromium)('the embed in Chromium, on a page of another origin', { timeout: 90_000 }, () => {
  let browser: Browser

  beforeAll(async () => void (browser = await launchChromium()), 60_000)
  afterAll(() => browser?.close())

  /** A fresh reader (own storage), watching console errors, page errors and POSTs to the API. */
  async function reader(colorScheme: 'light' | 'dark' = 'light') {
    const context = await browser.newContext({ colorScheme, viewport: { width: 900, height: 900 } })
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    const errors: string[] = []
    const posts: string[] = []
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    page.on('pageerror', (e) => errors.push(String(e)))
    page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()))
    return { page, errors, posts }
  }

  async function openArticle(page: Page, key: string, data: Parameters<HostSite['articleUrl']>[1] = {}) {
    await page.goto(host.articleUrl(key, data))
    await page
      .locator('.parley h2')
      .filter({ hasText: /comment/i })
      .waitFor()
  }

  const field = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true })
  const pendingOf = (page: Page) => page.locator('.parley-comment[data-pending="true"]')

  async function fillForm(page: Page, values: { author: string; email: string; content: string; url?: string }) {
    await field(page, 'Name').fill(values.author)
    await field(page, 'Email').fill(values.email)
    if (values.url) await field(page, 'Website').fill(values.url)
    await field(page, 'Comment').fill(values.content)
  }

  it('shows the form: heading, labels, autocomplete hints, the privacy line tied to the email, the button, a hidden honeypot', async () => {
    const { page, errors } = await reader()
    await openArticle(page, article('form'))
    await expect(page.getByRole('heading', { name: 'Leave a Reply', exact: true }).count()).resolves.toBe(1)
    const labels = await page.locator('.parley form label:not(.parley-hp label)').allTextContents()
    expect(labels).toEqual(['Name *', 'Email *', 'Website', 'Comment *'])
    expect(await page.locator('.parley-notes').textContent()).toBe(PRIVACY)
    expect(await page.getByRole('button', { name: 'Post Comment', exact: true }).count()).toBe(1)
    for (const [name, autocomplete, postedAs] of [
      ['Name', 'name', 'author'],
      ['Email', 'email', 'email'],
      ['Website', 'url', 'url'],
    ] as const) {
      expect(await field(page, name).getAttribute('autocomplete')).toBe(autocomplete)
      expect(await field(page, name).getAttribute('name')).toBe(postedAs)
    }
    expect(await field(page, 'Comment').getAttribute('name')).toBe('content')
    const notesId = await page.locator('.parley-notes').getAttribute('id')
    expect((await field(page, 'Email').getAttribute('aria-describedby'))?.split(' ')).toContain(notesId)
    // The honeypot is named `website`, invisible, out of the tab order and out of the accessibility tree.
    const honeypot = page.locator('input[name="website"]')
    const box = await honeypot.boundingBox()
    expect(box!.x + box!.width).toBeLessThanOrEqual(0)
    expect(await honeypot.getAttribute('tabindex')).toBe('-1')
    expect(await page.getByRole('textbox').count()).toBe(4)
    expect(await page.locator('.parley-hp[aria-hidden="true"] input[name="website"]').count()).toBe(1)
    // Scoped styles: every rule Parley adds is under .parley, and its text follows the host page's font and color.
    const outside = await page.evaluate(() => {
      const selectors: string[] = []
      const walk = (rules: CSSRuleList) => {
        for (const rule of Array.from(rules)) {
          if (rule instanceof CSSStyleRule) selectors.push(...rule.selectorText.split(','))
          else if (rule instanceof CSSGroupingRule)
            walk(rule.cssRules) // @media, @container
          else selectors.push(rule.cssText)
        }
      }
      walk((document.getElementById('parley-style') as HTMLStyleElement).sheet!.cssRules)
      return selectors.filter((s) => !s.trim().startsWith('.parley'))
    })
    expect(outside).toEqual([])
    const looks = await page.evaluate(() => {
      const style = (el: Element) => [getComputedStyle(el).fontFamily, getComputedStyle(el).color].join(' / ')
      return [style(document.body), style(document.querySelector('.parley-body, .parley label')!), style(document.querySelector('.parley-notes')!)]
    })
    expect(looks[1]).toBe(looks[0])
    expect(looks[2]).toBe(looks[0])
    expect(errors).toEqual([])
  })

  it('an empty submit posts nothing and shows the errors in the live region and at each field', async () => {
    const { page, errors, posts } = await reader()
    await openArticle(page, article('empty'))
    await page.getByRole('button', { name: 'Post Comment' }).click()
    const alert = page.getByRole('alert')
    await alert.filter({ hasText: 'Please fill the required fields: name, email, comment.' }).waitFor()
    for (const [name, message] of [
      ['Name', 'Please enter your name.'],
      ['Email', 'Please enter your email address.'],
      ['Comment', 'Please write a comment.'],
    ] as const) {
      const input = field(page, name)
      expect(await input.getAttribute('aria-invalid')).toBe('true')
      const errorId = (await input.getAttribute('aria-describedby'))!.split(' ').at(-1)!
      expect(await page.locator(`[id="${errorId}"]`).textContent()).toBe(message)
    }
    expect(await field(page, 'Website').getAttribute('aria-invalid')).toBe('false')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('author')
    expect(posts).toEqual([])
    expect(errors).toEqual([])
  })

  it('a posted comment shows as awaiting moderation, to its author only, across a reload, until approved; then #comment-ID works', async () => {
    const key = article('pending')
    const address = email()
    const { page, errors } = await reader()
    await openArticle(page, key)
    await fillForm(page, { author: 'Ada', email: address, content: 'Pending until a moderator says so.', url: 'ada.example' })
    await page.getByRole('button', { name: 'Post Comment' }).click()
    const mine = pendingOf(page)
    await mine.getByText(AWAITING).waitFor()
    const id = (await mine.getAttribute('id'))!.replace('comment-', '')
    expect(await mine.locator('.parley-body').textContent()).toBe('Pending until a moderator says so.')
    expect(await field(page, 'Comment').inputValue()).toBe('')

    await page.reload()
    await pendingOf(page).getByText(AWAITING).waitFor()
    expect(await page.locator(`#comment-${id}`).count()).toBe(1)
    const stored = await page.evaluate(() => JSON.stringify(localStorage))
    expect(stored).toContain(id)
    expect(stored.toLowerCase()).not.toContain(address.toLowerCase())
    expect(stored).not.toContain(address.split('@')[0]!)

    const other = await reader()
    await openArticle(other.page, key)
    expect(await other.page.locator('.parley-comment').count()).toBe(0)

    expect((await parley.admin('PATCH', `/comments/${id}`, { status: 'approved' })).status).toBe(200)
    await page.goto('about:blank')
    await page.goto(`${host.articleUrl(key)}#comment-${id}`)
    const comment = page.locator(`#comment-${id}`)
    await comment.and(page.locator('.parley-target')).waitFor()
    expect(await comment.getAttribute('data-pending')).toBeNull()
    expect(await comment.getByText(AWAITING).count()).toBe(0)
    expect(await comment.getByRole('link', { name: 'Reply to Ada' }).textContent()).toBe('Reply')
    const author = comment.locator('a.parley-author')
    expect(await author.getAttribute('href')).toBe('https://ada.example')
    expect(await author.getAttribute('rel')).toBe('nofollow ugc noopener')
    expect(await comment.locator('img.parley-avatar').evaluate((img: HTMLImageElement) => img.naturalWidth > 0 || img.loading)).toBeTruthy()
    expect(await page.evaluate(() => localStorage.getItem('parley.pending.v1'))).toBeNull()
    expect(errors).toEqual([])
    expect(other.errors).toEqual([])
  })

  it("drops the author's pending copy once a moderator trashes the comment, but keeps it while it is spam", async () => {
    const key = article('decided')
    const { page, errors } = await reader()
    await openArticle(page, key)
    await fillForm(page, { author: 'Bea', email: email(), content: 'Will a moderator keep me?' })
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await pendingOf(page).getByText(AWAITING).waitFor()
    const id = (await pendingOf(page).getAttribute('id'))!.replace('comment-', '')

    // Spam must look like pending to its author: nothing tells a spammer.
    expect((await parley.admin('PATCH', `/comments/${id}`, { status: 'spam' })).status).toBe(200)
    await page.reload()
    await pendingOf(page).getByText(AWAITING).waitFor()

    expect((await parley.admin('PATCH', `/comments/${id}`, { status: 'trash' })).status).toBe(200)
    await page.reload()
    await page
      .locator('.parley h2')
      .filter({ hasText: /comment/i })
      .waitFor()
    await page.waitForFunction(() => localStorage.getItem('parley.pending.v1') === null)
    expect(await page.locator(`#comment-${id}`).count()).toBe(0)
    expect(errors).toEqual([])
  })

  it('a reply posted through the Reply link lands under its parent, and there after approval', async () => {
    const key = article('reply')
    const parentId = await approved(key, { author: 'Grace' })
    const { page, errors } = await reader()
    await openArticle(page, key)
    await page.locator(`#comment-${parentId}`).getByRole('link', { name: 'Reply to Grace' }).click()
    await page.getByRole('heading', { name: /Leave a Reply to Grace/ }).waitFor()
    // The form moved under the comment, and Cancel reply puts it back.
    expect(await page.locator(`#comment-${parentId} form`).count()).toBe(1)
    await page.getByRole('link', { name: 'Cancel reply' }).click()
    await page.getByRole('heading', { name: 'Leave a Reply', exact: true }).waitFor()
    expect(await page.locator(`#comment-${parentId} form`).count()).toBe(0)

    await page.locator(`#comment-${parentId}`).getByRole('link', { name: 'Reply to Grace' }).click()
    await fillForm(page, { author: 'Ada', email: email(), content: 'A reply, nested.' })
    await page.getByRole('button', { name: 'Post Comment' }).click()
    const reply = page.locator(`#comment-${parentId} .parley-children > .parley-comment[data-pending="true"]`)
    await reply.getByText(AWAITING).waitFor()
    const replyId = (await reply.getAttribute('id'))!.replace('comment-', '')
    expect(await page.getByRole('heading', { name: 'Leave a Reply', exact: true }).count()).toBe(1)

    const admin = await (await parley.admin('GET', `/comments/${replyId}`)).json()
    expect(admin.parentId).toBe(parentId)
    await parley.admin('PATCH', `/comments/${replyId}`, { status: 'approved' })
    await page.reload()
    const landed = page.locator(`#comment-${parentId} > .parley-children > #comment-${replyId}`)
    await landed.waitFor()
    expect(await landed.getAttribute('data-pending')).toBeNull()
    expect(await page.locator('.parley h2').textContent()).toBe('2 comments')
    expect(errors).toEqual([])
  })

  it('indents replies to the depth limit, then answers the deepest comment flat, beside it', async () => {
    const key = article('depth')
    const chain: string[] = []
    for (let depth = 0; depth < 5; depth++) {
      chain.push(await approved(key, { author: `Level ${depth}`, ...(depth ? { parentId: chain[depth - 1]! } : {}) }))
    }
    const { page, errors } = await reader()
    await openArticle(page, key)
    const deepest = page.locator(`#comment-${chain[4]}`)
    expect(await deepest.evaluate((el) => el.parentElement!.closest('.parley-comment')?.id)).toBe(`comment-${chain[3]}`)
    await deepest.getByRole('link', { name: 'Reply to Level 4' }).click()
    await page.getByRole('heading', { name: /Leave a Reply to Level 4/ }).waitFor()
    await fillForm(page, { author: 'Ada', email: email(), content: 'As deep as it goes.' })
    await page.getByRole('button', { name: 'Post Comment' }).click()
    const reply = pendingOf(page)
    await reply.getByText(AWAITING).waitFor()
    // Posted to the deepest comment's parent (the server's limit is 5 levels), shown right beside the deepest one.
    const replyId = (await reply.getAttribute('id'))!.replace('comment-', '')
    expect((await (await parley.admin('GET', `/comments/${replyId}`)).json()).parentId).toBe(chain[3])
    expect(await reply.evaluate((el) => el.parentElement!.closest('.parley-comment')?.id)).toBe(`comment-${chain[3]}`)
    expect(errors).toEqual([])
  })

  it('loads a long thread page by page, and fetches pages until a #comment-ID link finds its comment', async () => {
    const key = article('pages')
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push(await approved(key, { content: `Comment number ${i}` }))
    const { page, errors } = await reader()
    await openArticle(page, key, { 'page-size': '2' })
    expect(await page.locator('.parley-comment').count()).toBe(2)
    expect(await page.locator('.parley h2').textContent()).toBe('5 comments')
    const more = page.getByRole('button', { name: 'Load more comments' })
    await more.click()
    await page.locator(`#comment-${ids[3]}`).waitFor()
    await more.click()
    await page.locator(`#comment-${ids[4]}`).waitFor()
    expect(await more.isVisible()).toBe(false)
    // Oldest first.
    expect(await page.locator('.parley-comment').evaluateAll((els) => els.map((el) => el.id))).toEqual(ids.map((id) => `comment-${id}`))

    await page.goto('about:blank')
    await page.goto(`${host.articleUrl(key, { 'page-size': '2' })}#comment-${ids[4]}`)
    await page.locator(`#comment-${ids[4]}.parley-target`).waitFor()
    expect(errors).toEqual([])
  })

  it('shows markup in an approved comment as text and runs none of it', async () => {
    const key = article('xss')
    const payload = '<img src=x onerror="window.__parleyXss=1"><script>window.__parleyXss=2</script>'
    const id = await approved(key, { author: '<img src=x onerror="window.__parleyXss=3">', content: payload })
    const { page, errors } = await reader()
    await openArticle(page, key)
    const body = page.locator(`#comment-${id} .parley-body`)
    await body.waitFor()
    expect(await body.textContent()).toBe(payload)
    expect(await body.isVisible()).toBe(true)
    expect(await page.locator(`#comment-${id} .parley-author`).textContent()).toBe('<img src=x onerror="window.__parleyXss=3">')
    expect(await page.locator(`#comment-${id} img:not(.parley-avatar), #comment-${id} script`).count()).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { __parleyXss?: number }).__parleyXss)).toBeUndefined()
    expect(errors).toEqual([])
  })

  it('posts with the keyboard alone: Tab, type, Enter; and replies the same way', async () => {
    const key = article('keyboard')
    const parentId = await approved(key, { author: 'Grace' })
    const { page, errors, posts } = await reader()
    await openArticle(page, key)
    const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.tagName)
    for (let i = 0; i < 30 && (await focusedName()) !== 'author'; i++) await page.keyboard.press('Tab')
    expect(await focusedName()).toBe('author')
    await page.keyboard.type('Keyboard Kate')
    await page.keyboard.press('Tab')
    await page.keyboard.type(email())
    await page.keyboard.press('Tab')
    expect(await focusedName()).toBe('url')
    await page.keyboard.press('Tab')
    expect(await focusedName()).toBe('content')
    await page.keyboard.type('Typed without a mouse.')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Post Comment')
    await page.keyboard.press('Enter')
    await pendingOf(page).getByText(AWAITING).waitFor()
    expect(posts).toHaveLength(1)

    // Shift+Tab back to the Reply link, Enter: the form comes to the comment, focus in the comment box
    // (name and email are still filled); Ctrl+Enter posts.
    const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))
    for (let i = 0; i < 30 && (await focusedLabel()) !== 'Reply to Grace'; i++) await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: /Leave a Reply to Grace/ }).waitFor()
    expect(await focusedName()).toBe('content')
    await page.keyboard.type('A reply, by keyboard.')
    await page.keyboard.press('Control+Enter')
    await page.locator(`#comment-${parentId} .parley-comment[data-pending="true"]`).getByText(AWAITING).waitFor()
    expect(posts).toHaveLength(2)
    expect(errors).toEqual([])
  })

  it("shows the server's refusals in words: field messages, a duplicate, a rate limit", async () => {
    const key = article('refused')
    const { page, errors } = await reader()
    await openArticle(page, key)
    // Passes the embed's quick check, fails the server's: its message appears at the field.
    await fillForm(page, { author: 'Ada', email: 'ada@example.c', content: 'Checked by the server.' })
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await page
      .getByRole('alert')
      .filter({ hasText: /valid email/ })
      .waitFor()
    expect(await field(page, 'Email').getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('.parley-field-email .parley-field-error').textContent()).toMatch(/valid email address/)

    const address = email()
    await fillForm(page, { author: 'Ada', email: address, content: 'Said once.' })
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await pendingOf(page).waitFor()
    await field(page, 'Comment').fill('Said once.')
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await page.getByRole('alert').filter({ hasText: 'You have already posted this comment.' }).waitFor()

    await page.route(`${parley.url}/api/comments`, (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 429,
            headers: { 'Access-Control-Allow-Origin': host.origin, 'Access-Control-Expose-Headers': 'Retry-After', 'Retry-After': '120' },
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many comments.' } }),
          })
        : route.continue(),
    )
    await field(page, 'Comment').fill('Once more, too soon.')
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await page.getByRole('alert').filter({ hasText: 'You are posting too quickly. Please wait 2 minutes and try again.' }).waitFor()
    // Chromium logs each refused request ("Failed to load resource"); nothing else may be logged.
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([])
  })

  it('speaks French with data-lang="fr"', async () => {
    const { page, errors } = await reader()
    await page.goto(host.articleUrl(article('fr'), { lang: 'fr' }))
    await page.getByRole('heading', { name: 'Laisser un commentaire' }).waitFor()
    expect(await page.locator('.parley form label:not(.parley-hp label)').allTextContents()).toEqual([
      'Nom *',
      'E-mail *',
      'Site web',
      'Commentaire *',
    ])
    expect(await page.locator('.parley h2').first().textContent()).toBe('Aucun commentaire')
    expect(errors).toEqual([])
  })

  it("fills comment counts on a page listing articles: by data-parley-count, or by a link's path; other languages; more than 100 articles", async () => {
    const two = article('count-two')
    const one = `/posts/${randomUUID().slice(0, 8)}`
    const none = article('count-none')
    await approved(two)
    await approved(two)
    await approved(one)
    // Held comments are not counted.
    const held = await parley.post({ article: none, author: 'Held', email: email(), content: 'Not approved yet.' })
    expect(held.status).toBe(201)
    // 120 more articles: the embed must split them over requests of at most 100 (the API's limit).
    const many = Array.from({ length: 120 }, (_, i) => `/many/${i}-${randomUUID().slice(0, 6)}`)
    const url = host.page(
      `/list-${randomUUID().slice(0, 8)}`,
      [
        `<ul>`,
        `<li><a href="/x">Two</a> <span id="c-two" data-parley-count="${two}">Comments</span></li>`,
        `<li><a id="c-one" href="${one}#comments" data-parley-count>Comments</a></li>`,
        `<li><span id="c-none" data-parley-count="${none}">Comments</span> <span id="c-fr" data-lang="fr" data-parley-count="${two}"></span></li>`,
        ...many.map((key, i) => `<li><span id="m-${i}" data-parley-count="${key}">?</span></li>`),
        `</ul>`,
      ].join('\n'),
    )
    const { page, errors } = await reader()
    const counts: string[] = []
    page.on('request', (r) => r.url().includes('/api/counts') && counts.push(r.url()))
    await page.goto(url)
    await page.locator('#m-119[data-parley-total]').waitFor()
    await page.locator('#c-none[data-parley-total]').waitFor()
    expect(await page.locator('#c-two').textContent()).toBe('2 comments')
    expect(await page.locator('#c-one').textContent()).toBe('One comment')
    expect(await page.locator('#c-one').getAttribute('href')).toBe(`${one}#comments`)
    expect(await page.locator('#c-none').textContent()).toBe('No comments yet')
    expect(await page.locator('#c-fr').textContent()).toBe('2 commentaires')
    expect(await page.locator('#m-0').textContent()).toBe('No comments yet')
    expect(await page.locator('#c-two').getAttribute('data-parley-total')).toBe('2')
    // 124 distinct articles: two requests, each within the limit.
    expect(counts).toHaveLength(2)
    for (const u of counts) expect(new URL(u).searchParams.getAll('article').length).toBeLessThanOrEqual(100)
    expect(errors).toEqual([])
  })

  it("asks for long article keys (non-ASCII ones three times longer encoded) in requests that stay under servers' header limits", async () => {
    // 100 keys of 182 characters would make a 19 KB query, over Node's 16 KiB of headers (431), in one request of 100.
    const long = Array.from({ length: 100 }, (_, i) => `/archive/${i}-${randomUUID()}-`.padEnd(182, 'a-long-title-'))
    const cyrillic = Array.from({ length: 30 }, (_, i) => `/статьи/${i}-${randomUUID()}-`.padEnd(150, 'длинный-заголовок-'))
    await approved(long[7]!)
    await approved(cyrillic[3]!)
    await approved(cyrillic[3]!)
    const keys = [...long, ...cyrillic]
    const url = host.page(
      `/long-${randomUUID().slice(0, 8)}`,
      keys.map((key, i) => `<p><span id="k-${i}" data-parley-count="${key}">Comments</span></p>`).join('\n'),
    )
    const { page, errors } = await reader()
    const counts: string[] = []
    page.on('request', (r) => r.url().includes('/api/counts') && counts.push(r.url()))
    await page.goto(url)
    await page.waitForFunction(() => !document.querySelector('[data-parley-count]:not([data-parley-total])'))
    expect(await page.locator('#k-7').textContent()).toBe('One comment')
    expect(await page.locator(`#k-${100 + 3}`).textContent()).toBe('2 comments')
    expect(await page.locator('#k-0').textContent()).toBe('No comments yet')
    expect(await page.locator(`#k-${keys.length - 1}`).textContent()).toBe('No comments yet')
    // Every key asked once, in requests of at most 100 keys and about 8 KB of query.
    const asked = counts.flatMap((u) => new URL(u).searchParams.getAll('article'))
    expect(asked.sort()).toEqual([...keys].sort())
    for (const u of counts) {
      expect(new URL(u).search.length).toBeLessThanOrEqual(8_200)
      expect(new URL(u).searchParams.getAll('article').length).toBeLessThanOrEqual(100)
    }
    expect(errors).toEqual([])
  })

  it('an element whose count cannot be had keeps its own text (no answer, or an answer without counts); embed.js twice asks once', async () => {
    const key = article('count-kept')
    await approved(key)
    const dead = `http://127.0.0.1:${await freePort()}` // nothing listens there
    const odd = `http://127.0.0.1:${await freePort()}` // answered below: 200, but no counts in it
    const url = host.page(
      `/kept-${randomUUID().slice(0, 8)}`,
      [
        `<span id="c-ok" data-parley-count="${key}">Comments</span>`,
        `<span id="c-dead" data-parley-url="${dead}" data-parley-count="${key}">Comments</span>`,
        `<span id="c-odd" data-parley-url="${odd}" data-parley-count="${key}">Comments</span>`,
        // The same script included a second time (the page adds it once more after this body).
        `<script src="${parley.url}/embed.js"></script>`,
      ].join('\n'),
    )
    const { page } = await reader()
    const pageErrors: string[] = []
    page.on('pageerror', (e) => pageErrors.push(String(e)))
    await page.route(`${odd}/**`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', headers: { 'Access-Control-Allow-Origin': '*' }, body: '{"total":1}' }),
    )
    const requests: string[] = []
    page.on('request', (r) => r.url().includes('/api/counts') && requests.push(r.url()))
    const refused = page.waitForEvent('requestfailed', (r) => r.url().startsWith(dead))
    const answered = page.waitForEvent('requestfinished', (r) => r.url().startsWith(odd))
    await page.goto(url)
    await page.locator('#c-ok[data-parley-total]').waitFor()
    await refused
    await answered
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300))) // time for the answers to be handled
    expect(await page.locator('#c-ok').textContent()).toBe('One comment')
    for (const id of ['#c-dead', '#c-odd']) {
      expect(await page.locator(id).textContent()).toBe('Comments')
      expect(await page.locator(id).getAttribute('data-parley-total')).toBeNull()
    }
    expect(pageErrors).toEqual([])
    // The script is on the page twice, and each base was asked once.
    expect(await page.locator('script[src$="/embed.js"]').count()).toBe(2)
    expect(requests.filter((u) => u.startsWith(parley.url))).toHaveLength(1)
    expect(requests.filter((u) => u.startsWith(dead))).toHaveLength(1)
    expect(requests.filter((u) => u.startsWith(odd))).toHaveLength(1)
  })

  it('the demo page at GET / shows Parley working, light and dark (screenshots in test-artifacts/)', async () => {
    const first = await approved('parley-demo', {
      author: 'Grace Hopper',
      url: 'https://example.com',
      content: 'It works! Comments appear once a moderator approves them.',
    })
    await approved('parley-demo', { author: 'Ada Lovelace', parentId: first, content: 'And replies are threaded under the comment they answer.' })
    mkdirSync(new URL('../test-artifacts/', import.meta.url), { recursive: true })
    for (const scheme of ['light', 'dark'] as const) {
      const { page, errors } = await reader(scheme)
      await page.goto(`${parley.url}/`)
      await page.locator(`#comment-${first}`).waitFor()
      await page.getByRole('button', { name: 'Post Comment' }).waitFor()
      const path = new URL(`../test-artifacts/demo-${scheme}.png`, import.meta.url).pathname
      await page.screenshot({ path, fullPage: true })
      expect(existsSync(path)).toBe(true)
      expect(errors).toEqual([])
    }
  })
})
