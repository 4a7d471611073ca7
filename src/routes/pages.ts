import { Hono } from 'hono'
import { html, raw } from 'hono/html'
import type { AppEnv } from '../env.js'
import { embedVersion } from './assets.js'
import { htmlPage } from '../views/page.js'
import { secureHtml } from './secure-html.js'

export const DEMO_ARTICLE = 'parley-demo'

// The demo page is strict about what runs: the embed must work with no inline script and no eval.
const demoSecurity = secureHtml({
  scriptSrc: ["'self'"],
  connectSrc: ["'self'"],
  imgSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
})

const style = `
:root{color-scheme:light dark;--bg:#fdfcfa;--fg:#1f2328;--muted:#59636e;--code:#f1efe9}
@media (prefers-color-scheme:dark){:root{--bg:#15171a;--fg:#e6e3dd;--muted:#a0a7b0;--code:#23262b}}
body{margin:0;background:var(--bg);color:var(--fg);font:18px/1.65 Georgia,'Iowan Old Style',serif}
main{max-width:42rem;margin:0 auto;padding:3rem 1.25rem 4rem}
h1{font-size:2.2rem;line-height:1.2;margin:0 0 .3rem}
.byline{color:var(--muted);margin:0 0 2rem;font-style:italic}
pre{background:var(--code);padding:1rem;border-radius:8px;overflow-x:auto;font-size:.8rem;line-height:1.5}
code{font-family:ui-monospace,'SFMono-Regular',Menlo,monospace}
hr{border:0;border-top:1px solid color-mix(in srgb,currentColor 20%,transparent);margin:3rem 0 0}
`

/** GET / — an article with Parley under it, so `npm start` then http://localhost:8787 shows it working. */
export const pageRoutes = new Hono<AppEnv>().get('/', demoSecurity, async (c) => {
  const version = await embedVersion(c.var.deps.assets)
  const lang = /^[a-z]{2}(-[A-Za-z]{2})?$/.test(c.req.query('lang') ?? '') ? c.req.query('lang')! : ''
  const base = c.var.baseUrl
  const snippet = `<div id="comments" data-article="/my-article"></div>\n<script src="${base}/embed.js" async></script>`
  const thread = lang
    ? html`<div id="comments" data-article="${DEMO_ARTICLE}" data-lang="${lang}"></div>`
    : html`<div id="comments" data-article="${DEMO_ARTICLE}"></div>`
  c.header('Cache-Control', 'no-cache')
  return c.html(
    htmlPage({
      lang: lang || 'en',
      title: 'Hello from Parley',
      head: html`<link rel="icon" href="/avatar/0a1b2c3d4e5f60718293.svg" type="image/svg+xml" />
        <style>
          ${raw(style)}
        </style>`,
      body: html`<main>
          <article>
            <h1>Hello from Parley</h1>
            <p class="byline">A demo article, served by your Parley at ${base}</p>
            <p>
              Parley is a comment service for article pages. Under this article is its embed: the approved comments, threaded, and the “Leave a Reply”
              form. Post a comment below: it waits for a moderator, and only you see it until then (marked “Your comment is awaiting moderation.”).
            </p>
            <p>
              Approve it in the moderator console, <a href="/admin">${base}/admin</a>, signed in with the moderator token that Parley printed at its
              first start (the console also lets you reply as the site), or with <code>curl</code>:
            </p>
            <pre><code>curl -X PATCH -H "Authorization: Bearer $ADMIN_TOKEN" -H "Content-Type: application/json" \\
  -d '{"status":"approved"}' ${base}/api/admin/comments/ID</code></pre>
            <p>To put Parley under your own articles, add these two lines (and your site’s origin to <code>ALLOWED_ORIGINS</code>):</p>
            <pre><code>${snippet}</code></pre>
          </article>
          <hr />
          ${thread}
        </main>
        ${version ? html`<script src="/embed.js?v=${version}" async></script>` : html`<p>The embed script has not been built: run <code>npm run build:embed</code>.</p>`}`,
    }),
  )
})
