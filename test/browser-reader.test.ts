// The reader's side in Chromium (Debian's, through playwright-core), on host pages of another origin against the
// real server: closed articles, the no-JavaScript path (JavaScript off in the browser), languages (Arabic right to
// left, Russian plurals), and a phone's 390 px viewport (text column, 44 px targets).
import { readFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { type Browser, type BrowserContextOptions, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium } from './support/browser.js'
import { buildEmbed, freePort, startParley, type ParleyServer } from './support/server.js'

const key = (label: string) => `/reader/${label}/${randomUUID().slice(0, 8)}`
const email = () => `reader.${randomUUID().slice(0, 8)}@example.com`
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/** A host site of its own origin (localhost, not Parley's 127.0.0.1): whole pages, as a site would serve them. */
async function startHost(port: number): Promise<{ origin: string; page: (path: string, html: string) => string; stop: () => Promise<void> }> {
  const pages = new Map<string, string>()
  const server: Server = createServer((req, res) => {
    const html = pages.get(new URL(req.url ?? '/', 'http://localhost').pathname)
    if (html === undefined) return void res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end()
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html)
  })
  await new Promise<void>((resolve) => server.listen(port, resolve))
  const origin = `http://localhost:${port}`
  return {
    origin,
    page: (path, html) => (pages.set(path, html), origin + path),
    stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  }
}

let parley: ParleyServer
let host: Awaited<ReturnType<typeof startHost>>

/** An article page: `lang` on <html>, the container's data-* attributes, extra markup, and the embed. */
function article(path: string, o: { htmlLang?: string; data?: Record<string, string>; extra?: string; phone?: boolean } = {}): string {
  const data = Object.entries(o.data ?? {})
    .map(([k, v]) => ` data-${k}="${esc(v)}"`)
    .join('')
  const style = o.phone
    ? 'body{margin:0;padding:0 16px;font:16px/1.5 sans-serif}'
    : 'body{max-width:40rem;margin:2rem auto;font:17px/1.6 Georgia,serif}'
  return host.page(
    path,
    `<!doctype html><html lang="${o.htmlLang ?? 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<title>Host</title><style>${style}</style></head><body><h1>An article</h1>${o.extra ?? ''}` +
      `<div id="comments"${data}></div><script src="${parley.url}/embed.js" async></script></body></html>`,
  )
}

/** Posts as readers would and approves them all as a moderator; ids in order. */
async function approvedComments(articleKey: string, n: number, fields: (i: number) => Record<string, string> = () => ({})): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i += 10) {
    const batch = Array.from({ length: Math.min(10, n - i) }, (_, j) =>
      parley
        .post({ article: articleKey, author: 'Grace', email: email(), content: `Comment ${i + j} ${randomUUID()}`, ...fields(i + j) })
        .then(async (res) => {
          if (res.status !== 201) throw new Error(`post: ${res.status} ${await res.text()}`)
          return ((await res.json()) as { comment: { id: string } }).comment.id
        }),
    )
    ids.push(...(await Promise.all(batch)))
  }
  for (let i = 0; i < ids.length; i += 200) {
    const res = await parley.admin('POST', '/comments/bulk', { ids: ids.slice(i, i + 200), status: 'approved' })
    expect(res.status).toBe(200)
  }
  return ids
}

beforeAll(async () => {
  buildEmbed()
  const hostPort = await freePort()
  // MAX_DEPTH 6: a thread as deep as the embed indents (five levels), the worst case for a phone.
  parley = await startParley({ allowedOrigins: [`http://localhost:${hostPort}`], env: { MAX_DEPTH: '6' } })
  host = await startHost(hostPort)
}, 200_000)

afterAll(async () => {
  await host?.stop()
  await parley?.stop()
})

describe.skipIf(!hasChromium)('the reader’s side in Chromium', { timeout: 120_000 }, () => {
  let browser: Browser

  beforeAll(async () => void (browser = await launchChromium()), 60_000)
  afterAll(() => browser?.close())

  async function open(options: BrowserContextOptions = {}) {
    const context = await browser.newContext({ viewport: { width: 900, height: 900 }, ...options })
    context.setDefaultTimeout(20_000)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    page.on('pageerror', (e) => errors.push(String(e)))
    return { page, errors }
  }

  const field = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true })

  it('a closed article shows its comments and "Comments are closed." instead of the form; a post racing a close is told in words', async () => {
    const closed = key('closed')
    const [id] = await approvedComments(closed, 1)
    expect((await parley.admin('POST', '/articles/close', { article: closed })).status).toBe(200)
    const { page, errors } = await open()
    await page.goto(article('/closed', { data: { article: closed } }))
    await page.locator('.parley-closed').filter({ hasText: 'Comments are closed.' }).waitFor()
    expect(await page.locator(`#comment-${id}`).isVisible()).toBe(true)
    expect(await page.locator('.parley form').count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Post Comment' }).count()).toBe(0)
    expect(await page.locator('.parley-reply').first().isVisible()).toBe(false)
    expect(await page.locator('.parley h2').textContent()).toBe('One comment')

    // Open when the page loaded, closed before the reader posts: the 403 comments_closed is said in words.
    const racing = key('racing')
    await page.goto(article('/racing', { data: { article: racing } }))
    await field(page, 'Name').fill('Ada')
    await field(page, 'Email').fill(email())
    await field(page, 'Comment').fill('Just in time?')
    expect((await parley.admin('POST', '/articles/close', { article: racing })).status).toBe(200)
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await page.getByRole('alert').filter({ hasText: 'Comments are closed on this article.' }).waitFor()
    expect(await field(page, 'Comment').inputValue()).toBe('Just in time?')
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([])
  })

  it('without JavaScript: the README snippet posts, the page then says the comment awaits moderation; a refused post keeps what was typed', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const section = readme.slice(readme.indexOf('### Without JavaScript'))
    const snippet = /```html\n([\s\S]*?)```/.exec(section)![1]!
    const articleKey = key('nojs')
    const path = `/nojs-${randomUUID().slice(0, 8)}`
    const url = host.page(
      path,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>No JS</title></head><body><h1>An article</h1>` +
        snippet
          .replaceAll('https://comments.example.com', parley.url)
          .replaceAll('https://blog.example/my-article', `${host.origin}${path}`)
          .replaceAll('/my-article', articleKey) +
        `<script src="${parley.url}/embed.js" async></script></body></html>`,
    )
    const { page } = await open({ javaScriptEnabled: false })
    await page.goto(url)
    expect(await page.locator('#parley-pending').isVisible()).toBe(false)
    const content = `Posted with JavaScript off ${randomUUID()}`
    const address = email()
    await page.getByLabel('Name *').fill('Nadia')
    await page.getByLabel('Email *').fill(address)
    await page.getByLabel('Comment *').fill(content)
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await page.waitForURL(`${host.origin}${path}#parley-pending`)
    expect(await page.locator('#parley-pending').isVisible()).toBe(true)
    expect(await page.locator('#parley-pending').textContent()).toBe('Thank you! Your comment is awaiting moderation.')

    // The same again is a duplicate (409): the refusal page holds the form with the words typed, but not the email.
    await page.getByLabel('Name *').fill('Nadia')
    await page.getByLabel('Email *').fill(address)
    await page.getByLabel('Comment *').fill(content)
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await page.getByRole('heading', { name: 'Your comment was not posted' }).waitFor()
    expect(await page.getByRole('alert').textContent()).toContain('already posted')
    expect(await page.getByLabel('Comment *').inputValue()).toBe(content)
    expect(await page.getByLabel('Name *').inputValue()).toBe('Nadia')
    expect(await page.getByLabel('Email *').inputValue()).toBe('')
    expect(await page.content()).not.toContain(address)
    // Corrected there and posted: back on the article, told it awaits moderation.
    await page.getByLabel('Email *').fill(address)
    await page.getByLabel('Comment *').fill(`${content}, and a second thought`)
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await page.waitForURL(`${host.origin}${path}#parley-pending`)
    const held = await (await parley.admin('GET', `/comments?status=pending&article=${encodeURIComponent(articleKey)}`)).json()
    expect(held.comments.map((c: { content: string }) => c.content).sort()).toEqual([content, `${content}, and a second thought`].sort())
  })

  it('with JavaScript, the embed understands the same marker, and the reader’s own pending comment replaces "No comments yet"', async () => {
    const { page, errors } = await open()
    const empty = key('empty')
    await page.goto(article('/marker', { data: { article: empty } }) + '#parley-pending')
    await page.getByRole('status').filter({ hasText: 'Thank you! Your comment is awaiting moderation.' }).waitFor()
    expect(await page.locator('.parley h2').textContent()).toBe('No comments yet')
    expect(await page.locator('.parley h2').isVisible()).toBe(true)
    await field(page, 'Name').fill('Ada')
    await field(page, 'Email').fill(email())
    await field(page, 'Comment').fill('My first words here.')
    await page.getByRole('button', { name: 'Post Comment' }).click()
    await page.locator('.parley-comment[data-pending="true"]').waitFor()
    expect(await page.locator('.parley h2').isVisible()).toBe(false)
    await page.reload()
    await page.locator('.parley-comment[data-pending="true"]').waitFor()
    expect(await page.getByText('No comments yet').isVisible()).toBe(false)
    expect(errors).toEqual([])
  })

  describe('languages', () => {
    const counts: Record<number, string> = {}
    beforeAll(async () => {
      for (const n of [0, 1, 2, 5, 11, 21, 100]) {
        counts[n] = key(`n${n}`)
        await approvedComments(counts[n], n)
      }
    }, 240_000)

    const countSpans = (lang?: string) =>
      Object.entries(counts)
        .map(([n, k]) => `<p><span id="n${n}" data-parley-count="${esc(k)}"${lang ? ` data-lang="${lang}"` : ''}>…</span></p>`)
        .join('')

    it('Arabic from <html lang="ar">: laid out right to left, with the plural forms for 0, 1, 2, 5, 11 and 100', async () => {
      const { page, errors } = await open()
      await page.goto(article('/ar', { htmlLang: 'ar', data: { article: counts[2]! }, extra: countSpans() }))
      await page.getByRole('heading', { name: 'اترك تعليقًا' }).waitFor()
      const section = page.locator('section.parley')
      expect(await section.getAttribute('lang')).toBe('ar')
      expect(await section.getAttribute('dir')).toBe('rtl')
      expect(await section.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl')
      await expect.poll(() => page.locator('.parley h2').textContent()).toBe('تعليقان')
      expect(await page.locator('.parley form label:not(.parley-hp label)').allTextContents()).toEqual([
        'الاسم *',
        'البريد الإلكتروني *',
        'الموقع الإلكتروني',
        'التعليق *',
      ])
      expect(await page.getByRole('button', { name: 'إرسال التعليق' }).count()).toBe(1)
      // Right to left: the avatar on the right of the words, labels flush with the right edge.
      const avatar = (await page.locator('.parley-avatar').first().boundingBox())!
      const body = (await page.locator('.parley-body').first().boundingBox())!
      expect(avatar.x).toBeGreaterThan(body.x + body.width - 1)
      const sectionBox = (await section.boundingBox())!
      const label = (await page.locator('.parley form label').first().boundingBox())!
      expect(Math.abs(label.x + label.width - (sectionBox.x + sectionBox.width))).toBeLessThan(2)
      const expected = await page.evaluate(() => {
        const f = new Intl.NumberFormat('ar')
        return ['لا توجد تعليقات بعد', 'تعليق واحد', 'تعليقان', `${f.format(5)} تعليقات`, `${f.format(11)} تعليقًا`, `${f.format(100)} تعليق`]
      })
      for (const [i, n] of [0, 1, 2, 5, 11, 100].entries()) {
        await expect.poll(() => page.locator(`#n${n}`).textContent()).toBe(expected[i])
      }
      expect(errors).toEqual([])
    })

    it('Russian from data-lang="ru" on an English page: one, few and many forms', async () => {
      const { page, errors } = await open()
      await page.goto(article('/ru', { data: { article: counts[21]!, lang: 'ru' }, extra: countSpans('ru') }))
      await page.getByRole('heading', { name: 'Оставить комментарий' }).waitFor()
      expect(await page.locator('section.parley').getAttribute('dir')).toBe('ltr')
      await expect.poll(() => page.locator('.parley h2').textContent()).toBe('21 комментарий')
      const expected: Record<number, string> = {
        0: 'Комментариев пока нет',
        1: '1 комментарий',
        2: '2 комментария',
        5: '5 комментариев',
        11: '11 комментариев',
        21: '21 комментарий',
        100: '100 комментариев',
      }
      for (const [n, text] of Object.entries(expected)) await expect.poll(() => page.locator(`#n${n}`).textContent()).toBe(text)
      // Dates from Intl: a comment of a minute ago in Russian words, the full date in its tooltip.
      const time = page.locator('.parley-comment time').first()
      expect(await time.textContent()).toMatch(/назад|в эту минуту/)
      expect(await time.getAttribute('title')).toMatch(/2\d{3}/)
      // The rate-limit wait in the right case: 1 секунду, 2 секунды, 5 секунд.
      await page.route(`${parley.url}/api/comments`, (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({
              status: 429,
              headers: {
                'Retry-After': '5',
                'Access-Control-Allow-Origin': '*',
                'Access-Control-Expose-Headers': 'Retry-After',
                'Content-Type': 'application/json',
              },
              body: '{"error":{"code":"rate_limited","message":"x"}}',
            })
          : route.continue(),
      )
      await field(page, 'Имя').fill('Иван')
      await field(page, 'Email').fill(email())
      await field(page, 'Комментарий').fill('Привет')
      await page.getByRole('button', { name: 'Отправить комментарий' }).click()
      await page.getByRole('alert').filter({ hasText: 'Подождите 5 секунд и попробуйте снова.' }).waitFor()
      expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([])
    })
  })

  it('on a 390 px phone: replies indent less as they deepen, the deepest text column stays over 240 px, targets are 44 px', async () => {
    const deep = key('deep')
    const chain: string[] = []
    for (let depth = 0; depth < 6; depth++) {
      const [id] = await approvedComments(deep, 1, () => ({
        author: `Level ${depth}`,
        url: 'https://example.com/',
        ...(depth ? { parentId: chain[depth - 1]! } : {}),
      }))
      chain.push(id!)
    }
    await approvedComments(deep, 2)
    const { page, errors } = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
    await page.goto(article('/phone', { phone: true, data: { article: deep, 'max-depth': '6', 'page-size': '7' } }))
    await page.locator(`#comment-${chain[5]}`).waitFor()
    const widths = await page.evaluate(
      (ids) => ids.map((id) => document.querySelector(`#comment-${id} > article > .parley-body`)!.getBoundingClientRect().width),
      chain,
    )
    const indents = await page.evaluate((ids) => ids.map((id) => document.querySelector(`#comment-${id}`)!.getBoundingClientRect().x), chain)
    console.log(`390 px phone: text column per level ${widths.map(Math.round).join(' → ')} px; left edges ${indents.map(Math.round).join(', ')}`)
    expect(Math.min(...widths)).toBeGreaterThanOrEqual(240)
    const steps = indents.slice(1).map((x, i) => x - indents[i]!)
    for (let i = 1; i < steps.length; i++) expect(steps[i]!).toBeLessThanOrEqual(steps[i - 1]!)
    expect(steps[1]!).toBeLessThan(steps[0]!)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)

    await page.locator(`#comment-${chain[2]}`).getByRole('link', { name: 'Reply to Level 2' }).click()
    await page.getByRole('link', { name: 'Cancel reply' }).waitFor()
    const targets = [
      ...(await page.locator('.parley-reply').all()),
      ...(await page.locator('.parley-meta a').all()),
      page.getByRole('link', { name: 'Cancel reply' }),
      page.getByRole('button', { name: 'Post Comment' }),
      page.getByRole('button', { name: 'Load more comments' }),
      ...(await page.locator('.parley input:not([name=website]), .parley textarea').all()),
    ]
    const small: string[] = []
    for (const target of targets) {
      const box = await target.boundingBox()
      if (!box || box.width < 44 || box.height < 44)
        small.push(`${await target.evaluate((el) => el.outerHTML.slice(0, 80))}: ${box?.width}×${box?.height}`)
    }
    expect(targets.length).toBeGreaterThan(20)
    expect(small).toEqual([])
    expect(errors).toEqual([])
  })
})
