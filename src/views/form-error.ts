import type { AppError } from '../errors.js'
import { escapeHtml } from './html.js'

const labels: Record<string, string> = { author: 'Name', email: 'Email', url: 'Website', content: 'Comment', redirect: 'Return page' }

/**
 * What a reader without JavaScript sees when the plain form is refused: the same messages as the
 * JSON error, on a page, with the way back. Everything in it is escaped.
 */
export function formErrorPage(error: AppError, back: string | undefined): string {
  const fields = Object.entries(error.fields ?? {})
    .map(([name, message]) => `<li><strong>${escapeHtml(labels[name] ?? name)}</strong>: ${escapeHtml(message)}</li>`)
    .join('')
  // Only a web address becomes the link back (a javascript: link here would run on Parley's origin).
  const link = back && /^https?:\/\//i.test(back)
    ? `<p><a href="${escapeHtml(back)}">Go back to the article</a> (your browser's Back button keeps what you typed).</p>`
    : `<p>Use your browser's Back button to correct the form; it keeps what you typed.</p>`
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>Your comment was not posted</title><style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}</style></head>` +
    `<body><h1>Your comment was not posted</h1><p role="alert">${escapeHtml(error.message)}</p>` +
    (fields ? `<ul>${fields}</ul>` : '') +
    `${link}</body></html>`
  )
}
