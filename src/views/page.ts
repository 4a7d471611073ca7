import { html } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>

/**
 * The shell of the pages Parley builds on the server (the demo, the one-click and email link pages): hono/html
 * escapes everything interpolated, so a page is safe by default. Link pages are kept out of search engines.
 */
export function htmlPage(page: { lang: string; title: string; head: Html; body: Html; bodyClass?: string; noindex?: boolean }): Html {
  return html`<!doctype html>
    <html lang="${page.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        ${page.noindex && html`<meta name="robots" content="noindex" />`}
        <title>${page.title}</title>
        ${page.head}
      </head>
      <body class="${page.bodyClass ?? ''}">
        ${page.body}
      </body>
    </html>`
}
