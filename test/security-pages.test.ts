// The HTML pages Parley serves: the way back from a refused no-JavaScript post, and the headers of every page.
import { describe, expect, it } from 'vitest'
import { signEmailLink } from '../src/email/tokens.js'
import { createActionToken } from '../src/privacy/action-link.js'
import { backends } from './support/db.js'
import { uniqueArticle, uniqueEmail, type TestApp, appForSuite } from './support/app.js'

const formPost = (t: TestApp, fields: Record<string, string>) =>
  t.request('/api/comments', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
    body: new URLSearchParams(fields).toString(),
  })

/** What every HTML page must carry. */
function expectSecureHtml(res: Response, label: string) {
  expect(res.headers.get('Content-Type'), label).toMatch(/^text\/html/)
  const csp = res.headers.get('Content-Security-Policy') ?? ''
  for (const directive of ["default-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) {
    expect(csp, `${label}: ${directive}`).toContain(directive)
  }
  expect(csp, label).not.toMatch(/script-src[^;]*'unsafe-inline'/)
  expect(res.headers.get('X-Frame-Options'), label).toBe('DENY')
  expect(res.headers.get('X-Content-Type-Options'), label).toBe('nosniff')
  expect(res.headers.get('Referrer-Policy'), label).toBe('no-referrer')
  expect(res.headers.get('Cross-Origin-Opener-Policy'), label).toBe('same-origin')
}

describe.each(backends.slice(0, 1))('HTML pages (on $name PostgreSQL)', (backend) => {
  // ALLOWED_ORIGINS=* is where the review found a javascript: "Go back" link.
  const t = appForSuite(backend, { env: { ALLOWED_ORIGINS: '*' } })

  it.each([
    'javascript:alert(document.domain)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:x',
    'ftp://blog.example/x',
  ])('a redirect of %s is never the link back nor a 303 Location', async (redirect) => {
    const article = uniqueArticle('redirect')
    // Refused for another reason (no name): the page must not link to the redirect.
    const refused = await formPost(t, { article, email: uniqueEmail(), content: 'Hello there', redirect })
    expect(refused.status).toBe(400)
    const page = await refused.text()
    expect(page).not.toMatch(/href="(?!https?:)/i)
    expect(page.toLowerCase()).not.toContain(redirect.slice(0, 10).toLowerCase())
    expectSecureHtml(refused, 'form error page')
    // A valid post with that redirect is refused, not sent there.
    const valid = await formPost(t, { article, author: 'Ada', email: uniqueEmail(), content: 'A fine comment', redirect })
    expect(valid.status).toBe(400)
    expect(valid.headers.get('Location')).toBeNull()
    expect(await valid.text()).toContain('The page to return to is not on an allowed site.')
  })

  it('an http(s) redirect still works with ALLOWED_ORIGINS=*', async () => {
    const res = await formPost(t, {
      article: uniqueArticle('ok'),
      author: 'Ada',
      email: uniqueEmail(),
      content: 'A fine comment',
      redirect: 'https://blog.example/post',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toMatch(/^https:\/\/blog\.example\/post/)
  })

  it('every HTML page carries a strict CSP and the secure headers', async () => {
    const token = await createActionToken(t.deps.keys, { commentId: 1, action: 'approve', expires: Math.floor(Date.now() / 1000) + 60 })
    const unsubscribe = await signEmailLink(t.deps.keys, { p: 'unsubscribe', h: 'a'.repeat(64), a: 1 })
    const pages = ['/', '/admin', `/admin/act/${token}`, '/admin/act/not-a-token', `/email/unsubscribe/${unsubscribe}`, '/email/confirm/not-a-token']
    for (const path of pages) {
      expectSecureHtml(await t.request(path), path)
    }
    // JSON answers of the same route keep their plain headers.
    const json = await t.post({ article: uniqueArticle('json'), author: 'Ada', email: uniqueEmail(), content: 'JSON post' })
    expect(json.status).toBe(201)
    expect(json.headers.get('Content-Security-Policy')).toBeNull()
  })
})
