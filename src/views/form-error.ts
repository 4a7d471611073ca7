import { html } from 'hono/html'
import type { AppError } from '../errors.js'
import { htmlPage } from './page.js'

const labels: Record<string, string> = { author: 'Name', email: 'Email', url: 'Website', content: 'Comment', redirect: 'Return page' }

const style =
  'body{font:1.1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}input,textarea{font:inherit;width:100%;padding:.5em;box-sizing:border-box}input[type=checkbox]{width:auto}button{font:inherit;padding:.6em 1.2em;min-height:44px}'

/**
 * What a reader without JavaScript sees when the plain form is refused: the same messages as the
 * JSON error, on a page, with the way back. hono/html escapes everything interpolated.
 */
export function formErrorPage(error: AppError, back: string | undefined, typed?: Typed) {
  const fields = Object.entries(error.fields ?? {}).map(([name, message]) => html`<li><strong>${labels[name] ?? name}</strong>: ${message}</li>`)
  // Only a web address becomes the link back (a javascript: link here would run on Parley's origin).
  const link =
    back && /^https?:\/\//i.test(back)
      ? html`<p><a href="${back}">Go back to the article</a> (your browser's Back button keeps what you typed).</p>`
      : html`<p>Use your browser's Back button to correct the form; it keeps what you typed.</p>`
  return htmlPage({
    lang: 'en',
    title: 'Your comment was not posted',
    head: html`<style>
      ${style}
    </style>`,
    body: html`<h1>Your comment was not posted</h1>
      <p role="alert">${error.message}</p>
      ${
        fields.length > 0 &&
        html`<ul>
          ${fields}
        </ul>`
      }${link}${typed && retryForm(typed, error.code !== 'comments_closed')}`,
  })
}

/** What the refused form held, and where to post it again. */
export type Typed = { action: string; body: Record<string, unknown>; back: string | undefined }

/**
 * The reader's words, kept: the form again with what they typed, to correct and post (or, on a closed
 * article, to copy). The email is the one thing not sent back: an answer never carries an address.
 */
function retryForm({ action, body, back }: Typed, canPost: boolean) {
  const value = (name: string) => (typeof body[name] === 'string' ? body[name] : '')
  // The fields as earlier releases wrote them (one line, no "/>"), which scripts and the tests parse.
  // prettier-ignore
  const hidden = (name: string, v: string) => v && html`<input type="hidden" name="${name}" value="${v}">`
  // prettier-ignore
  const input = (name: string, label: string, type: string, auto: string, required: boolean) =>
    html`<p><label for="f-${name}">${label}${required && ' *'}</label><br><input id="f-${name}" name="${name}" type="${type}" autocomplete="${auto}"${name !== 'email' && html` value="${value(name)}"`}${required && ' required'}></p>`
  return html`<form method="post" action="${action}">
    <h2>Your comment</h2>
    ${hidden('article', value('article'))}${hidden('parentId', value('parentId'))}${hidden('formToken', value('formToken'))}${hidden('redirect', back ?? '')}${input('author', 'Name', 'text', 'name', true)}${input('email', 'Email', 'email', 'email', true)}
    <p><small>Please type your email address again: Parley never sends it back.</small></p>
    ${input('url', 'Website', 'url', 'url', false)}
    <p><label for="f-content">Comment *</label><br /><textarea id="f-content" name="content" rows="8" required>${value('content')}</textarea></p>
    ${
      value('notify') &&
      html`<p>
        <label><input type="checkbox" name="notify" checked /> Notify me of follow-up comments by email</label>
      </p>`
    }
    <p hidden><input name="website" tabindex="-1" autocomplete="off" /></p>
    ${canPost && html`<p><button type="submit">Post Comment</button></p>`}
  </form>`
}
