// Importing a WordPress export (WXR): reading and mapping (pure), then storing on each backend.
import { createHash, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { commentsWithArticle } from '../src/db/comments.js'
import { closeArticles, importComments, type ImportedComment } from '../src/db/import.js'
import { decodeEntities, htmlToText } from '../src/import/html-text.js'
import { articleKey, parseWordPressDate, parseWxr, planImport, WxrError } from '../src/import/wordpress.js'
import { createLearner, type Learner } from '../src/moderation/learner.js'
import { PostgresModelStore } from '../src/db/spam-examples.js'
import { decryptEmail, emailHash } from '../src/privacy/email.js'
import { eventually, cachingReaderForSuite } from './support/cache.js'
import { backends } from './support/db.js'
import { validComment, appForSuite } from './support/app.js'

const fixture = readFileSync(new URL('./fixtures/wordpress-export.xml', import.meta.url), 'utf8')
const hello = '/2024/01/hello-world/'
const cafe = '/2024/02/cafe-notes/'

/** The fixture as exported by a site living under /RUN/: its own article keys, so tests sharing a database stay apart. */
const exportUnder = (run: string) => fixture.replaceAll('https://blog.example/', `https://blog.example/${run}/`)
const planFor = (xml: string) => planImport(parseWxr(xml), { key: 'path' })
const byAuthor = (comments: ImportedComment[], name: string) => comments.find((c) => c.author.startsWith(name))!

describe('reading a WordPress export (pure)', () => {
  it('reads the posts and the fields of each comment', () => {
    const wxr = parseWxr(fixture)
    expect(wxr.version).toBe('1.2')
    expect(wxr.posts.map((p) => [p.postId, p.link, p.comments.length])).toEqual([
      ['12', 'https://blog.example/2024/01/hello-world/', 8],
      ['20', 'https://blog.example/2024/02/cafe-notes/', 4],
      ['2', 'https://blog.example/about/', 0],
    ])
    const bob = wxr.posts[0]!.comments[1]!
    expect(bob).toMatchObject({
      id: '102',
      parentId: '101',
      author: 'Bob',
      email: 'bob@mail.example',
      ip: '2001:db8:85a3::8a2e:370:7334',
      dateGmt: '2024-01-15 12:05:00',
      approved: '1',
      type: 'comment',
    })
    // Entity-escaped content outside CDATA comes back as the HTML WordPress stored.
    expect(wxr.posts[1]!.comments[0]!.content).toBe('<p>Lovely caf&eacute;.</p><p>We went twice:<br />once for coffee,<br />once for cake.</p>')
    expect(wxr.posts[1]!.comments[2]!.agent).toBe('Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0')
  })

  it('maps statuses, parents, dates, names, websites and text; counts what it leaves out', () => {
    const plan = planFor(fixture)
    expect(plan).toMatchObject({
      posts: 3,
      postsWithComments: 2,
      commentsInFile: 12,
      skipped: { pingback: 1, trackback: 1, no_email: 1, empty_content: 1, other_type: 0, invalid_email: 0, no_date: 0, no_article: 0 },
      madeTopLevel: 1,
      urlsDropped: 1,
      articles: 2,
      closed: ['/about/'],
      heldNotPublic: 0,
      sharedKeys: [],
    })
    const c = plan.comments
    expect(c.map((x) => [x.author, x.status, x.article])).toEqual([
      ['Ann Example', 'approved', hello],
      ['Bob', 'approved', hello],
      ['Cleo', 'approved', hello],
      ['cheap pills', 'spam', hello],
      ['Dan', 'trash', hello],
      ['Eve', 'pending', hello],
      ['Tom & Jerry', 'approved', cafe],
      ['Fay', 'approved', cafe],
    ])
    // A reply chain; Eve answered a pingback (skipped), so she is at the top level.
    expect(byAuthor(c, 'Bob').parentRef).toBe(byAuthor(c, 'Ann').ref)
    expect(byAuthor(c, 'Cleo').parentRef).toBe(byAuthor(c, 'Bob').ref)
    expect(byAuthor(c, 'Eve').parentRef).toBeNull()
    expect(byAuthor(c, 'Ann').createdAt.toISOString()).toBe('2024-01-15T11:30:00.000Z')
    // Fay's GMT date is WordPress's zero date: her local date is used.
    expect(byAuthor(c, 'Fay').createdAt.toISOString()).toBe('2024-02-04T10:00:00.000Z')
    expect(byAuthor(c, 'Ann').content).toBe(
      'Great post & thanks! I\u2019d add the docs (https://example.org/docs).\n\nSecond paragraph, with a line\nbreak <3',
    )
    expect(byAuthor(c, 'Tom').content).toBe('Lovely caf\u00e9.\n\nWe went twice:\nonce for coffee,\nonce for cake.')
    expect(byAuthor(c, 'Ann').url).toBe('https://ann.example/')
    expect(byAuthor(c, 'Cleo').url).toBeNull() // javascript: is no website
    expect(byAuthor(c, 'Fay').userAgent).toBe('Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0')
    expect(byAuthor(c, 'Eve').ip).toBeNull()
  })

  it.each([
    ['<p>One</p><p>Two</p>', 'One\n\nTwo'],
    ['a<br>b<br/>c', 'a\nb\nc'],
    ['line one\nline two\n\n\n\nnext', 'line one\nline two\n\nnext'],
    ['<script>alert(1)</script>kept<style>p{}</style>', 'kept'],
    ['<SCRIPT type="text/javascript">x()</SCRIPT >ok', 'ok'],
    ['<script>never closed', ''],
    ['<a href="https://example.org/x">https://example.org/x</a>', 'https://example.org/x'],
    ['<a href="https://example.org/">example.org</a>', 'example.org'],
    ['see <a href="javascript:alert(1)">this</a>', 'see this'],
    ["<a href='http://a.example/?q=1&amp;r=2'>here</a>", 'here (http://a.example/?q=1&r=2)'],
    ['<ul><li>one</li><li>two</li></ul>after', '- one\n- two\n\nafter'],
    ['&lt;b&gt;not bold&lt;/b&gt; &amp;amp; &#x1F600; &#0; &bogus;', '<b>not bold</b> &amp; \u{1F600} \ufffd &bogus;'],
    ['2 < 3 and 5 > 4', '2 < 3 and 5 > 4'],
    ['<!-- hidden --><img src="x.png" alt="pic">text', 'text'],
    ['&nbsp;&nbsp;', ''],
  ])('htmlToText(%j) = %j', (html, text) => {
    expect(htmlToText(html)).toBe(text)
  })

  it('decodes the Latin-1 and typographic entities, and every other name HTML knows', () => {
    expect(decodeEntities('&eacute;&Uuml;&yuml;&nbsp;&hellip;&mdash;&rsquo;&euro;')).toBe('\u00e9\u00dc\u00ff\u00a0\u2026\u2014\u2019\u20ac')
    // Outside the 100 names the hand-written table knew (left "as written" before the entities package).
    expect(htmlToText('&alpha;&check;&frac13;&rang;&NotEqualTilde; &bogus;')).toBe('\u03b1\u2713\u2153\u27e9\u2242\u0338 &bogus;')
  })

  it.each([
    ['2024-01-15 11:30:00', '2024-01-15T11:30:00.000Z'],
    ['0000-00-00 00:00:00', undefined],
    ['2024-02-30 10:00:00', undefined],
    ['2024-01-15 24:00:00', undefined],
    ['yesterday', undefined],
  ])('parseWordPressDate(%j)', (value, iso) => {
    expect(parseWordPressDate(value)?.toISOString()).toBe(iso)
  })

  it('keys an article by its link path as the embed does, or by the whole link', () => {
    expect(articleKey('https://blog.example/2024/01/hello-world/', 'path')).toBe('/2024/01/hello-world/')
    expect(articleKey('https://blog.example/2024/01/hello-world', 'path')).toBe('/2024/01/hello-world')
    expect(articleKey('https://blog.example/caf\u00e9/', 'path')).toBe('/caf%C3%A9/') // as location.pathname has it
    expect(articleKey('https://blog.example/?p=12', 'path')).toBe('/')
    expect(articleKey('not a link', 'path')).toBeUndefined()
    expect(articleKey(' https://blog.example/?p=12 ', 'url')).toBe('https://blog.example/?p=12')
  })

  it('flags posts whose links share one path (plain ?p= permalinks); --key url keeps them apart', () => {
    const plain = fixture
      .replace('<link>https://blog.example/2024/01/hello-world/</link>', '<link>https://blog.example/?p=12</link>')
      .replace('<link>https://blog.example/2024/02/cafe-notes/</link>', '<link>https://blog.example/?p=20</link>')
    expect(planFor(plain).sharedKeys).toEqual([{ key: '/', links: ['https://blog.example/?p=12', 'https://blog.example/?p=20'] }])
    const byUrl = planImport(parseWxr(plain), { key: 'url' })
    expect(byUrl.sharedKeys).toEqual([])
    expect(new Set(byUrl.comments.map((c) => c.article))).toEqual(new Set(['https://blog.example/?p=12', 'https://blog.example/?p=20']))
  })

  it('puts a reply dated before its parent after it, and cuts a parent loop', () => {
    const swapped = fixture
      .replace('<wp:comment_date_gmt><![CDATA[2024-01-15 12:05:00]]>', '<wp:comment_date_gmt><![CDATA[2024-01-01 00:00:00]]>')
      .replace('<wp:comment_parent>0</wp:comment_parent>', '<wp:comment_parent>103</wp:comment_parent>') // Ann answers Cleo
    const plan = planFor(swapped)
    const order = plan.comments.map((c) => c.author)
    const [ann, bob, cleo] = ['Ann', 'Bob', 'Cleo'].map((n) => byAuthor(plan.comments, n))
    // Ann → Cleo → Bob → Ann: one link is cut, each remaining parent still comes before its reply.
    expect([ann, bob, cleo].filter((x) => x!.parentRef === null)).toHaveLength(1)
    for (const x of plan.comments) {
      if (x.parentRef) expect(order.indexOf(plan.comments.find((p) => p.ref === x.parentRef)!.author)).toBeLessThan(order.indexOf(x.author))
    }
    expect(plan.madeTopLevel).toBe(2) // Eve's (pingback parent) and the loop's
  })

  it.each([
    ['a truncated file', fixture.slice(0, 5000), /not well-formed XML \(line \d+, column \d+\)/],
    ['mismatched tags', fixture.replace('</wp:comment_id>', '</wp:comment_idx>'), /not well-formed XML/],
    ['another XML document', '<?xml version="1.0"?><feed><entry/></feed>', /not a WordPress export/],
  ])('refuses %s', (_name, xml, message) => {
    expect(() => parseWxr(xml)).toThrow(WxrError)
    expect(() => parseWxr(xml)).toThrow(message)
  })

  it('holds the approved comments of a post readers could not see, and closes only published posts and pages', () => {
    const cafePost = /(<link>https:\/\/blog\.example\/2024\/02\/cafe-notes\/<\/link>[\s\S]*?<wp:status><!\[CDATA\[)publish/
    const approvedOnCafe = planFor(fixture).comments.filter((c) => c.article === cafe && c.status === 'approved').length
    expect(approvedOnCafe).toBeGreaterThan(0)
    for (const xml of [
      fixture.replace(cafePost, '$1private'),
      fixture.replace(/(cafe-notes\/<\/link>[\s\S]*?<wp:post_password><!\[CDATA\[)/, '$1secret'),
    ]) {
      const plan = planFor(xml)
      expect(plan.heldNotPublic).toBe(approvedOnCafe)
      expect(plan.comments.filter((c) => c.article === cafe && c.status === 'approved')).toEqual([])
      expect(plan.comments.filter((c) => c.article === hello && c.status === 'approved').length).toBeGreaterThan(0)
    }
    // The closed page, turned into a draft or a menu item, closes nothing; a closed post at a path another published post shares, neither.
    expect(planFor(fixture.replace(/(about\/<\/link>[\s\S]*?<wp:status><!\[CDATA\[)publish/, '$1draft')).closed).toEqual([])
    expect(planFor(fixture.replace(/(about\/<\/link>[\s\S]*?<wp:post_type><!\[CDATA\[)page/, '$1nav_menu_item')).closed).toEqual([])
    expect(planFor(fixture.replace('https://blog.example/about/</link>', 'https://blog.example/2024/01/hello-world/?p=2</link>')).closed).toEqual([])
  })

  it('skips a comment over 64 KiB of stored HTML, and refuses a file the parser cannot take as a WxrError', () => {
    const first = /(<wp:comment_content><!\[CDATA\[)/
    const plan = planFor(fixture.replace(first, `$1${'<p>long</p>'.repeat(7000)}`))
    expect(plan.skipped.too_long).toBe(1)
    expect(plan.comments.length).toBe(planFor(fixture).comments.length - 1)
    const deep = fixture.replace('<wp:post_password>', `${'<x>'.repeat(300)}${'</x>'.repeat(300)}<wp:post_password>`)
    expect(() => parseWxr(deep)).toThrow(WxrError)
  })

  it('drops control characters that XML forbids instead of failing', () => {
    const plan = planFor(fixture.replace('Agreed with Ann.', 'Agreed\u000b with Ann.'))
    expect(byAuthor(plan.comments, 'Bob').content).toBe('Agreed with Ann.')
  })
})

/** The store's identity of a message (learner.ts): the same text by the same name is one example. */
const exampleKey = (c: ImportedComment) =>
  createHash('sha256')
    .update(`${c.author}\u0000${c.url ?? ''}\u0000${c.content}`)
    .digest('hex')

describe.each(backends)('importing a WordPress export into $name PostgreSQL', (backend) => {
  const t = appForSuite(backend)
  // A second instance that caches public answers and hears the database's NOTIFYs, as a running server does.
  const { reader } = cachingReaderForSuite(backend)

  const rowsOf = (articles: string[]) => commentsWithArticle(t.deps.db).where('articles.key', 'in', articles).orderBy('comments.id').execute()

  it('stores each comment as a posted one would be, shows only the approved ones, and adds nothing the second time', async () => {
    const run = randomUUID().slice(0, 8)
    const plan = planFor(exportUnder(run))
    const [a, b] = [`/${run}${hello}`, `/${run}${cafe}`]
    const countsPath = `/api/counts?article=${encodeURIComponent(a)}&article=${encodeURIComponent(b)}`
    // A running instance has cached the empty list and counts.
    expect((await (await reader.list(a)).json()).total).toBe(0)
    expect((await (await reader.request(countsPath)).json()).counts).toEqual({ [a]: 0, [b]: 0 })

    const result = await importComments(t.deps.db, plan.comments, { keys: t.deps.keys })
    expect(result).toEqual({ imported: { approved: 5, pending: 1, spam: 1, trash: 1 }, alreadyPresent: 0, articlesCreated: 2, learned: 0, lifted: 0 })

    const rows = await rowsOf([a, b])
    expect(rows).toHaveLength(8)
    const row = (name: string) => rows.find((r) => r.author.startsWith(name))!
    expect(rows.map((r) => [r.author, r.status, r.depth])).toEqual([
      ['Ann Example', 'approved', 0],
      ['Bob', 'approved', 1],
      ['Cleo', 'approved', 2],
      ['cheap pills', 'spam', 0],
      ['Dan', 'trash', 0],
      ['Eve', 'pending', 0],
      ['Tom & Jerry', 'approved', 0],
      ['Fay', 'approved', 0],
    ])
    expect(row('Bob').parent_id).toBe(row('Ann').id)
    expect(row('Cleo').parent_id).toBe(row('Bob').id)
    expect(row('Eve').parent_id).toBeNull()
    expect(row('Ann').created_at.toISOString()).toBe('2024-01-15T11:30:00.000Z')
    expect(row('Fay').created_at.toISOString()).toBe('2024-02-04T10:00:00.000Z')
    expect(rows.every((r) => r.reasons.length === 1 && r.reasons[0] === 'imported' && r.spam_score === null)).toBe(true)
    // IPs anonymized as a post's are: /24, /48, an IPv4-mapped one as IPv4, none stays none.
    expect([row('Ann').ip, row('Bob').ip, row('Fay').ip, row('Eve').ip]).toEqual(['203.0.113.0', '2001:db8:85a3::', '192.0.2.0', null])
    expect(row('Fay').user_agent).toBe('Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0')
    expect(row('Cleo').url).toBeNull()

    // The email: nowhere in the row in plain text, encrypted and keyed-hashed exactly as a post's.
    for (const r of rows) {
      const email = plan.comments.find((c) => c.author === r.author)!.email
      expect(JSON.stringify(r).toLowerCase()).not.toContain(email.toLowerCase())
      expect(await decryptEmail(t.deps.keys, r.email_enc)).toBe(email)
      expect(r.email_hash).toBe(await emailHash(t.deps.keys, email))
    }

    // Articles: created with the approved counts, dated by their oldest comment (auto-close counts from it).
    const articles = await t.deps.db.selectFrom('articles').selectAll().where('key', 'in', [a, b]).orderBy('key').execute()
    expect(articles.map((x) => [x.key, x.approved_count, x.created_at.toISOString()])).toEqual([
      [a, 3, '2024-01-15T11:30:00.000Z'],
      [b, 2, '2024-02-02T08:15:00.000Z'],
    ])

    // The public list: the approved ones only, oldest first, threads kept, safe HTML, no email anywhere.
    const listText = await (await t.list(a)).text()
    const list = JSON.parse(listText)
    expect(list.total).toBe(3)
    expect(list.comments.map((c: { author: string; parentId: string | null }) => [c.author, c.parentId])).toEqual([
      ['Ann Example', null],
      ['Bob', String(row('Ann').id)],
      ['Cleo', String(row('Bob').id)],
    ])
    const ann = list.comments[0]
    expect(ann.content).toContain('I\u2019d add the docs (https://example.org/docs).')
    expect(ann.html).toBe(
      '<p>Great post &amp; thanks! I\u2019d add the docs (<a href="https://example.org/docs" rel="nofollow ugc noopener">https://example.org/docs</a>).</p>' +
        '<p>Second paragraph, with a line<br>break &lt;3</p>',
    )
    expect(listText).not.toMatch(/<script|alert|<strong/i)
    for (const c of plan.comments) expect(listText.toLowerCase()).not.toContain(c.email.toLowerCase())
    expect((await (await t.list(b)).json()).comments.map((c: { html: string }) => c.html)).toEqual([
      '<p>Lovely caf\u00e9.</p><p>We went twice:<br>once for coffee,<br>once for cake.</p>',
      '<p>Is the caf\u00e9 open on Sundays?</p>',
    ])
    // The running instance dropped what it had cached.
    await eventually(async () => expect((await (await reader.list(a)).json()).total).toBe(3))
    await eventually(async () => expect((await (await reader.request(countsPath)).json()).counts).toEqual({ [a]: 3, [b]: 2 }))

    // The same file again: nothing added, nothing counted twice.
    const again = await importComments(t.deps.db, planFor(exportUnder(run)).comments, { keys: t.deps.keys })
    expect(again).toEqual({ imported: { approved: 0, pending: 0, spam: 0, trash: 0 }, alreadyPresent: 8, articlesCreated: 0, learned: 0, lifted: 0 })
    expect(await rowsOf([a, b])).toHaveLength(8)
    expect((await (await t.request(countsPath)).json()).counts).toEqual({ [a]: 3, [b]: 2 })
  })

  it('a comment already posted is the same comment: not imported again, and its replies attach to it', async () => {
    const run = randomUUID().slice(0, 8)
    const plan = planFor(exportUnder(run))
    const ann = byAuthor(plan.comments, 'Ann')
    // Ann posted the same text (different case and spacing) through Parley before the import.
    const posted = await t.post({ article: ann.article, author: 'Ann', email: ann.email.toUpperCase(), content: `  ${ann.content.toUpperCase()} ` })
    expect(posted.status).toBe(201)
    const { comment } = await posted.json()

    const result = await importComments(t.deps.db, plan.comments, { keys: t.deps.keys, batchSize: 2 })
    expect(result.alreadyPresent).toBe(1)
    expect(result.imported).toEqual({ approved: 4, pending: 1, spam: 1, trash: 1 })
    const rows = await rowsOf([ann.article])
    expect(rows.find((r) => r.author === 'Bob')!.parent_id).toBe(Number(comment.id))
    expect(rows.find((r) => r.author === 'Cleo')!.depth).toBe(2)
    // The posted comment is still pending: only the imported approved ones count.
    expect(
      (await t.deps.db.selectFrom('articles').select('approved_count').where('key', '=', ann.article).executeTakeFirstOrThrow()).approved_count,
    ).toBe(2)

    // And the other way round: posting an imported comment again is a duplicate.
    const fay = byAuthor(plan.comments, 'Fay')
    const duplicate = await t.post({ article: fay.article, author: fay.author, email: fay.email, content: fay.content })
    expect(duplicate.status).toBe(409)
  })

  it('replies find their parents whatever the batch size', async () => {
    for (const batchSize of [1, 3]) {
      const run = randomUUID().slice(0, 8)
      await importComments(t.deps.db, planFor(exportUnder(run)).comments, { keys: t.deps.keys, batchSize })
      const rows = await rowsOf([`/${run}${hello}`])
      const id = (name: string) => rows.find((r) => r.author.startsWith(name))!.id
      expect(rows.map((r) => [r.author, r.parent_id])).toEqual([
        ['Ann Example', null],
        ['Bob', id('Ann')],
        ['Cleo', id('Bob')],
        ['cheap pills', null],
        ['Dan', null],
        ['Eve', null],
      ])
    }
  })

  it('teaches the spam model each approved and spam comment as a moderator decision, newest first when capped', async () => {
    const store = new PostgresModelStore(t.deps.db)
    const real = createLearner(store)
    const taught: [string, string][] = []
    const learner: Pick<Learner, 'learn'> = {
      learn: async (m, to) => {
        taught.push([m.author, to])
        await real.learn(m, to)
      },
    }
    const plan = planFor(exportUnder(randomUUID().slice(0, 8)))
    const result = await importComments(t.deps.db, plan.comments, { keys: t.deps.keys, learner })
    expect(result.learned).toBe(6)
    expect(taught).toEqual([
      ['Ann Example', 'approved'],
      ['Bob', 'approved'],
      ['Cleo', 'approved'],
      ['cheap pills', 'spam'],
      ['Tom & Jerry', 'approved'],
      ['Fay', 'approved'],
    ])
    // Stored as the moderator's decisions are: one example per message, ham or spam, hashed features only.
    const examples = await sql<{ key: string; label: string; features: number[] }>`
      select key, label, features from spam_examples where key = any(${plan.comments.map(exampleKey)}::text[])`.execute(t.deps.db)
    const labels = Object.fromEntries(examples.rows.map((r) => [r.key, r.label]))
    expect(plan.comments.map((c) => labels[exampleKey(c)] ?? null)).toEqual(['ham', 'ham', 'ham', 'spam', null, null, 'ham', 'ham'])
    expect(examples.rows.every((r) => r.features.length > 0)).toBe(true)

    // Capped: only the newest decisions are taught (the rest of the file is stored all the same).
    taught.length = 0
    const capped = await importComments(t.deps.db, planFor(exportUnder(randomUUID().slice(0, 8))).comments, {
      keys: t.deps.keys,
      learner,
      learnLimit: 2,
    })
    expect(capped.learned).toBe(2)
    expect(taught).toEqual([
      ['Tom & Jerry', 'approved'],
      ['Fay', 'approved'],
    ])
    expect(capped.imported.approved).toBe(5)
  })

  it('closes the articles whose comments were closed on WordPress, with or without comments, once', async () => {
    const run = randomUUID().slice(0, 8)
    const xml = exportUnder(run).replace(
      /(<link>https:\/\/blog\.example\/[^<]*cafe-notes\/<\/link>[\s\S]*?<wp:comment_status><!\[CDATA\[)open/,
      '$1closed',
    )
    const plan = planFor(xml)
    const [cafeKey, aboutKey, helloKey] = [`/${run}${cafe}`, `/${run}/about/`, `/${run}${hello}`]
    expect(plan.closed.sort()).toEqual([cafeKey, aboutKey].sort())
    await importComments(t.deps.db, plan.comments, { keys: t.deps.keys })
    expect(await closeArticles(t.deps.db, plan.closed, new Date())).toBe(2)
    expect(await closeArticles(t.deps.db, plan.closed, new Date())).toBe(0)
    for (const key of [cafeKey, aboutKey]) {
      const res = await t.post(validComment(key))
      expect(res.status).toBe(403)
      expect((await res.json()).error.code).toBe('comments_closed')
    }
    // The imported comments of a closed article still show; an open one takes new comments.
    expect((await (await t.list(cafeKey)).json()).total).toBeGreaterThan(0)
    expect((await t.post(validComment(helloKey))).status).toBe(201)
  })

  it('moves a reply nested deeper than MAX_DEPTH allows up to an ancestor, as the embed answers at the limit', async () => {
    const run = randomUUID().slice(0, 8)
    const plan = planFor(exportUnder(run))
    const result = await importComments(t.deps.db, plan.comments, { keys: t.deps.keys, maxDepth: 2 })
    expect(result.lifted).toBeGreaterThan(0)
    const rows = await rowsOf([`/${run}${hello}`, `/${run}${cafe}`])
    expect(Math.max(...rows.map((r) => r.depth))).toBe(1)
    const byId = new Map(rows.map((r) => [r.id, r]))
    for (const r of rows) {
      const parent = r.parent_id === null ? undefined : byId.get(r.parent_id)
      expect(r.depth).toBe(parent ? parent.depth + 1 : 0)
    }
    // With the default, the same export keeps its deeper threads.
    const again = await importComments(t.deps.db, planFor(exportUnder(`${run}b`)).comments, { keys: t.deps.keys })
    expect(again.lifted).toBe(0)
    expect(Math.max(...(await rowsOf([`/${run}b${hello}`])).map((r) => r.depth))).toBeGreaterThan(1)
  })

  it('does not announce imported held comments as new ones to the webhook', async () => {
    const run = randomUUID().slice(0, 8)
    await importComments(t.deps.db, planFor(exportUnder(run)).comments, { keys: t.deps.keys })
    const eve = await sql<{ notified_at: Date | null }>`
      select c.notified_at from comments c join articles a on a.id = c.article_id
      where a.key = ${`/${run}${hello}`} and c.author = 'Eve'`.execute(t.deps.db)
    expect(eve.rows[0]?.notified_at).toBeInstanceOf(Date)
  })
})
