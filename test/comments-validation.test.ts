import { describe, expect, it } from 'vitest'
import { backends } from './support/db.js'
import { makeApp, uniqueArticle, uniqueEmail, validComment, appForSuite } from './support/app.js'

type Case = { name: string; patch: Record<string, unknown>; field: string; message: RegExp }

const fieldCases: Case[] = [
  { name: 'missing name', patch: { author: undefined }, field: 'author', message: /enter your name/ },
  { name: 'blank name', patch: { author: '   ' }, field: 'author', message: /enter your name/ },
  { name: 'name over 100', patch: { author: 'x'.repeat(101) }, field: 'author', message: /at most 100/ },
  { name: 'name not text', patch: { author: 42 }, field: 'author', message: /name/ },
  { name: 'missing email', patch: { email: undefined }, field: 'email', message: /enter your email/ },
  { name: 'bad email', patch: { email: 'not-an-address' }, field: 'email', message: /valid email/ },
  { name: 'email over 254', patch: { email: `${'a'.repeat(250)}@x.io` }, field: 'email', message: /at most 254/ },
  { name: 'empty comment', patch: { content: '  \n ' }, field: 'content', message: /write a comment/ },
  { name: 'comment too long', patch: { content: 'x'.repeat(10_001) }, field: 'content', message: /at most 10,000/ },
  { name: 'javascript: url', patch: { url: 'javascript:alert(1)' }, field: 'url', message: /http:\/\/ or https:\/\// },
  { name: 'ftp url', patch: { url: 'ftp://example.com' }, field: 'url', message: /http:\/\/ or https:\/\// },
  { name: 'url over 200', patch: { url: `https://example.com/${'a'.repeat(200)}` }, field: 'url', message: /at most 200/ },
  { name: 'missing article', patch: { article: undefined }, field: 'article', message: /article is missing/ },
  { name: 'article over 512', patch: { article: 'a'.repeat(513) }, field: 'article', message: /at most 512/ },
  { name: 'parentId not an id', patch: { parentId: 'abc' }, field: 'parentId', message: /replying to is not valid/ },
]

describe.each(backends)('POST /api/comments validation on $name PostgreSQL', (backend) => {
  const t = appForSuite(backend)

  const stored = async (article: string) => (await t.admin('GET', `/comments?article=${encodeURIComponent(article)}`)).json()

  it.each(fieldCases)('400 validation_failed for $name, with the field message, storing nothing', async ({ patch, field, message }) => {
    const article = uniqueArticle('validation')
    const body: Record<string, unknown> = validComment(article)
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) delete body[key]
      else body[key] = value
    }
    const res = await t.post(body)
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.code).toBe('validation_failed')
    expect(error.fields[field]).toMatch(message)
    expect(typeof error.message).toBe('string')
    expect((await stored(article)).comments).toEqual([])
  })

  it('summarizes missing required fields the way a reader reads them', async () => {
    const res = await t.post({ article: uniqueArticle(), content: 'hello' })
    const { error } = await res.json()
    expect(error.message).toBe('Please fill the required fields: name, email.')
    expect(Object.keys(error.fields).sort()).toEqual(['author', 'email'])
  })

  it('accepts the longest allowed values and trims them', async () => {
    const article = uniqueArticle('limits')
    const res = await t.post(
      validComment(article, { author: `  ${'n'.repeat(100)}  `, content: `  ${'c'.repeat(10_000)}  `, url: 'https://example.com/me' }),
    )
    expect(res.status).toBe(201)
    const { comment } = await res.json()
    expect(comment.author).toBe('n'.repeat(100))
    expect(comment.content).toBe('c'.repeat(10_000))
    expect(comment.url).toBe('https://example.com/me')
  })

  it('honours a configured comment length', async () => {
    const short = await makeApp(await backend.open(), { env: { MAX_CONTENT_LENGTH: '20' } })
    const res = await short.post(validComment(uniqueArticle(), { content: 'x'.repeat(21) }))
    expect(res.status).toBe(400)
    expect((await res.json()).error.fields.content).toMatch(/at most 20 characters/)
  })

  it.each([
    [400, 'invalid_body', 'malformed JSON', 'application/json', '{"article": '],
    [400, 'invalid_body', 'a JSON array', 'application/json', '[1,2]'],
    [400, 'invalid_body', 'a JSON string', 'application/json', '"hello"'],
    [415, 'unsupported_media_type', 'content type "text/plain"', 'text/plain', 'article=/a'],
    [415, 'unsupported_media_type', 'content type "multipart/form-data; boundary=x"', 'multipart/form-data; boundary=x', '--x--'],
    [415, 'unsupported_media_type', 'no content type', '', '{}'],
  ])('%i %s for %s', async (status, code, _name, type, body) => {
    const headers: Record<string, string> = type ? { 'Content-Type': type } : {}
    const res = await t.request('/api/comments', { method: 'POST', headers, body })
    expect(res.status).toBe(status)
    expect((await res.json()).error.code).toBe(code)
  })

  it.each([
    ['HTTP://Example.com/Path', 'http://Example.com/Path'],
    ['HttpS://example.com', 'https://example.com'],
    ['http:example.com', 'http://example.com/'],
    ['https:/example.com/a', 'https://example.com/a'],
  ])('a website written %j is stored as %j (the database holds only http:// and https:// addresses)', async (url, storedAs) => {
    const res = await t.post(validComment(uniqueArticle('url'), { url }))
    expect(res.status).toBe(201)
    const { comment } = await res.json()
    expect(comment.url).toBe(storedAs)
    expect((await (await t.admin('GET', `/comments/${comment.id}`)).json()).url).toBe(storedAs)
  })

  it('413 payload_too_large for a body over 64 KiB, storing nothing', async () => {
    const article = uniqueArticle('big')
    const res = await t.post(validComment(article, { content: 'x'.repeat(70_000) }))
    expect(res.status).toBe(413)
    expect((await res.json()).error.code).toBe('payload_too_large')
    expect((await stored(article)).comments).toEqual([])
  })

  it('404 parent_not_found for an unknown parent, a pending parent, and a parent on another article', async () => {
    const article = uniqueArticle('parents')
    const pending = await (await t.post(validComment(article))).json()
    const other = uniqueArticle('other')
    const foreign = await (await t.post(validComment(other))).json()
    await t.admin('PATCH', `/comments/${foreign.comment.id}`, { status: 'approved' })
    for (const parentId of ['999999999', pending.comment.id, foreign.comment.id]) {
      const res = await t.post(validComment(article, { parentId }))
      expect(res.status, `parent ${parentId}`).toBe(404)
      expect((await res.json()).error.code).toBe('parent_not_found')
    }
  })

  it('stores a reply to an approved comment and lists it with its parentId', async () => {
    const article = uniqueArticle('reply')
    const parent = (await (await t.post(validComment(article))).json()).comment
    await t.admin('PATCH', `/comments/${parent.id}`, { status: 'approved' })
    const reply = (await (await t.post(validComment(article, { parentId: parent.id }))).json()).comment
    expect(reply.parentId).toBe(parent.id)
    await t.admin('PATCH', `/comments/${reply.id}`, { status: 'approved' })
    const list = await (await t.list(article)).json()
    expect(list.comments.map((c: { id: string; parentId: string | null }) => [c.id, c.parentId])).toEqual([
      [parent.id, null],
      [reply.id, parent.id],
    ])
  })

  it('refuses replies deeper than the depth limit', async () => {
    const deep = await makeApp(await backend.open(), { env: { MAX_DEPTH: '2' } })
    const article = uniqueArticle('depth')
    let parentId: string | undefined
    for (let level = 0; level < 2; level++) {
      const res = await deep.post(validComment(article, parentId ? { parentId } : {}))
      expect(res.status).toBe(201)
      parentId = (await res.json()).comment.id
      await deep.admin('PATCH', `/comments/${parentId}`, { status: 'approved' })
    }
    const res = await deep.post(validComment(article, { parentId }))
    expect(res.status).toBe(400)
    expect((await res.json()).error.fields.parentId).toMatch(/at most 2 levels/)
  })

  it('403 comments_closed on a closed article', async () => {
    const db = await backend.open()
    const article = uniqueArticle('closed')
    expect((await t.post(validComment(article))).status).toBe(201)
    await db
      .updateTable('articles')
      .set({ closed_at: new Date(Date.now() - 1000) })
      .where('key', '=', article)
      .execute()
    const res = await t.post(validComment(article))
    expect(res.status).toBe(403)
    expect((await res.json()).error.code).toBe('comments_closed')
  })

  it('409 duplicate_comment when the same author posts the same text again (case and spacing aside)', async () => {
    const article = uniqueArticle('dup')
    const first = validComment(article, { email: 'Same.Person@Example.com', content: 'Great   post!' })
    expect((await t.post(first)).status).toBe(201)
    const again = await t.post({ ...first, email: 'same.person@example.com', content: 'great post!' })
    expect(again.status).toBe(409)
    expect((await again.json()).error.code).toBe('duplicate_comment')
    // Another author may say the same thing.
    expect((await t.post({ ...first, email: 'someone.else@example.com' })).status).toBe(201)
  })

  it('shows a browser posting the plain form its refusal as a page (same status), escaped, storing nothing', async () => {
    const article = uniqueArticle('form-error')
    const res = await t.request('/api/comments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html,application/xhtml+xml' },
      body: new URLSearchParams({
        article,
        author: '',
        email: 'not-an-address<script>',
        content: 'Hello',
        redirect: 'https://blog.example/post#comments',
      }).toString(),
    })
    expect(res.status).toBe(400)
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/)
    const page = await res.text()
    expect(page).toContain('Your comment was not posted')
    expect(page).toContain('Please enter your name.')
    expect(page).toContain('Please enter a valid email address')
    expect(page).toContain('href="https://blog.example/post#comments"')
    expect(page).not.toContain('<script>')
    const stored = (await (await t.admin('GET', `/comments?article=${encodeURIComponent(article)}`)).json()).comments
    expect(stored).toEqual([])
  })

  it('a refused plain form comes back with what the reader typed (escaped, no email), and posting it again works', async () => {
    const article = uniqueArticle('form-kept')
    const typed = {
      article,
      author: 'Zoë "Quotes" <b>',
      email: 'kept.reader@example.com',
      url: 'https://zoe.example/',
      content: 'Line one </textarea><script>x</script>\nLine two',
      redirect: 'https://blog.example/post#comments',
      notify: 'on',
    }
    const send = (fields: Record<string, string>) =>
      t.request('/api/comments', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
        body: new URLSearchParams(fields).toString(),
      })
    const refused = await send({ ...typed, email: 'not-an-address' })
    expect(refused.status).toBe(400)
    // Its form posts to Parley, whose 303 goes back to the article: the CSP lets the form go there and nowhere else.
    expect(refused.headers.get('Content-Security-Policy')).toContain("form-action 'self' https://blog.example;")
    const page = await refused.text()
    expect(page).toContain('value="Zoë &quot;Quotes&quot; &lt;b&gt;"')
    expect(page).toContain('value="https://zoe.example/"')
    expect(page).toContain('>Line one &lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;\nLine two</textarea>')
    expect(page).toContain(`name="article" value="${article}"`)
    expect(page).toContain('name="redirect" value="https://blog.example/post#comments"')
    expect(page).toContain('action="http://parley.test/api/comments"')
    expect(page).not.toContain('not-an-address')
    expect(page).not.toContain('<script>')
    // The form as the page holds it, with the email typed again, is a valid post.
    const form = new Map<string, string>()
    for (const m of page.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) form.set(m[1]!, m[2]!)
    for (const m of page.matchAll(/name="(author|url)" [^>]*value="([^"]*)"/g)) form.set(m[1]!, m[2]!)
    const unescape = (v: string) =>
      v
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&')
    const content = unescape(/<textarea[^>]*>([\s\S]*?)<\/textarea>/.exec(page)![1]!)
    const again = await send({ ...Object.fromEntries([...form].map(([k, v]) => [k, unescape(v)])), content, email: typed.email })
    expect(again.status).toBe(303)
    expect(again.headers.get('Location')).toBe('https://blog.example/post#parley-pending')
    const stored = (await (await t.admin('GET', `/comments?article=${encodeURIComponent(article)}`)).json()).comments
    expect(stored.map((c: { author: string; content: string; url: string }) => [c.author, c.content, c.url])).toEqual([
      [typed.author, typed.content, typed.url],
    ])
  })

  it('a plain form post published at once (auto-approval) returns to #parley-pending like any other, telling nothing of the address', async () => {
    const article = uniqueArticle('form-published')
    const email = uniqueEmail('regular')
    const auto = await makeApp(await backend.open(), { env: { AUTO_APPROVE: 'true' } })
    const first = (await (await auto.post(validComment(article, { email }))).json()).comment
    await auto.admin('PATCH', `/comments/${first.id}`, { status: 'approved' })
    const formToken = (await (await auto.list(article)).json()).formToken
    const later = new Date(Date.now() + 10_000)
    const autoLater = await makeApp(await backend.open(), { env: { AUTO_APPROVE: 'true' }, deps: { clock: () => later } })
    const res = await autoLater.request('/api/comments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        article,
        author: 'Ada Reader',
        email,
        content: 'Published at once',
        formToken,
        redirect: 'https://blog.example/p',
      }).toString(),
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('https://blog.example/p#parley-pending')
    const listed = (await (await autoLater.list(article)).json()).comments.map((c: { content: string }) => c.content)
    expect(listed).toContain('Published at once')
  })

  it('posts a plain HTML form and redirects with 303 to an allowed page only', async () => {
    const article = uniqueArticle('form')
    const form = (redirect: string) =>
      t.request('/api/comments', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          article,
          author: 'Form Reader',
          email: 'form@example.com',
          content: `No JS here ${redirect}`,
          url: '',
          website: '',
          redirect,
        }).toString(),
      })
    const ok = await form('https://blog.example/post/1#comments')
    expect(ok.status).toBe(303)
    // The fragment tells the page what happened (a :target notice, or the embed): held for a moderator.
    expect(ok.headers.get('Location')).toBe('https://blog.example/post/1#parley-pending')
    const evil = await form('https://evil.example/phish')
    expect(evil.status).toBe(400)
    expect((await evil.json()).error.fields.redirect).toBeDefined()
    const stored = (await (await t.admin('GET', `/comments?article=${encodeURIComponent(article)}`)).json()).comments
    expect(stored).toHaveLength(1)
  })
})
