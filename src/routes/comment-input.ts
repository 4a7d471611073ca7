import * as z from 'zod'
import { articleKey } from './fields.js'
import { ID } from './ids.js'

const fieldLabels: Record<string, string> = { author: 'name', email: 'email', content: 'comment', article: 'article' }

/** A string field; a missing or non-string value gets the field's "required" message. */
const text = (required: string) => z.string({ error: (issue) => (issue.input == null ? required : `${required.replace(/\.$/, '')} as text.`) })

const parentMessage = 'The comment you are replying to is not valid.'

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

/**
 * A website as stored: as written, but with a lower-case scheme ("HTTP://x" → "http://x"); a form URL
 * parsers accept without "//" ("http:x.com") written out in full. Stored URLs always start http(s)://.
 */
function normalizeUrl(value: string): string {
  return /^https?:\/\//i.test(value) ? value.replace(/^https?/i, (scheme) => scheme.toLowerCase()) : new URL(value).href
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0
  } catch {
    return false
  }
}

/**
 * No user name or password in a website: `http://bank.example:pw@evil.example/` reads as the bank's and goes to
 * evil.example. Checked on the text as written too, whatever a parser makes of it: `https://x.example\@evil.example/`
 * is x.example to a browser (a backslash is a slash there) and evil.example to parsers that follow RFC 3986.
 */
function hasNoUserinfo(value: string): boolean {
  const authority = value.replace(/^[a-z][a-z0-9+.-]*:\/*/i, '').split(/[/?#]/)[0] ?? ''
  if (authority.includes('@') || authority.includes('\\')) return false
  try {
    const url = new URL(value)
    return url.username === '' && url.password === ''
  } catch {
    return true
  }
}

/** A reply's parent: an id as a string or a number; blank is no parent. */
const parentIdField = z
  .preprocess(
    blankToUndefined,
    z
      .union(
        [
          z.string().trim().regex(ID, parentMessage),
          z.number().int(parentMessage).positive(parentMessage).max(Number.MAX_SAFE_INTEGER, parentMessage),
        ],
        { error: parentMessage },
      )
      .transform(Number)
      .optional(),
  )
  .meta({ description: 'An approved comment of the same article, at most MAX_DEPTH levels deep.' })

/** The author's website, stored normalized; blank is none. */
const authorUrlField = z
  .preprocess(
    blankToUndefined,
    z
      .string({ error: 'Your website must be a web address.' })
      .trim()
      .max(200, 'Your website address can be at most 200 characters.')
      .refine(isHttpUrl, 'Your website must be a web address starting with http:// or https://.')
      .refine(hasNoUserinfo, 'Your website address cannot contain a user name or password (an “@” before the site’s name).')
      .transform(normalizeUrl)
      .pipe(z.string().max(200, 'Your website address can be at most 200 characters.'))
      .optional(),
  )
  .meta({ format: 'uri', description: '`http:` or `https:` only, without a user name or password.' })

/** "Notify me of follow-up comments by email": true in JSON, `on` from a form checkbox (unticked: absent). */
const notifyField = z
  .preprocess(
    (v) => (v === 'on' || v === 'true' ? true : v === '' || v === 'false' || v === null ? false : v),
    z.boolean({ error: 'notify must be true or false.' }).default(false),
  )
  .meta({ description: 'Email me follow-up comments: `true` (JSON) or `on` (a form checkbox); a confirmation link is mailed first.' })

/** An optional string that is dropped, never refused, when it is not a string or is longer than `max`. */
function optionalString(max: number, description?: string) {
  const field = z.string().max(max).optional().catch(undefined)
  return description === undefined ? field : field.meta({ description })
}

/** The body of POST /api/comments, with messages a reader understands, per field. */
export function commentInputSchema(maxContentLength: number) {
  return z.object({
    article: articleKey,
    parentId: parentIdField,
    author: text('Please enter your name.').trim().min(1, 'Please enter your name.').max(100, 'Your name can be at most 100 characters.'),
    email: text('Please enter your email address.')
      .trim()
      .min(1, 'Please enter your email address.')
      .max(254, 'Your email address can be at most 254 characters.')
      .pipe(z.email({ error: 'Please enter a valid email address, like name@example.com.' }))
      .meta({ format: 'email', description: 'Never published; stored encrypted.' }),
    url: authorUrlField,
    content: text('Please write a comment.')
      .trim()
      .min(1, 'Please write a comment.')
      .max(maxContentLength, `Your comment is too long: it can be at most ${maxContentLength.toLocaleString('en-US')} characters.`),
    formToken: optionalString(200, 'From GET /api/comments; a missing or bad token counts against the comment.'),
    // The honeypot: any value is accepted here and judged by the checks.
    website: z.string().optional().catch('filled').meta({ description: 'The honeypot: must stay empty (the embed hides it from people).' }),
    redirect: optionalString(2000, 'Form posts only: where to send the reader (303). Its origin must be allowed, else 400 `validation_failed`.'),
    notify: notifyField,
    // The embed's language, for the messages a subscription brings; anything else is ignored.
    lang: optionalString(35),
    // The page the embed sits on, for moderators (kept per article once known). Never a reason to refuse a comment:
    // a title too long is cut, anything else unusable is dropped.
    pageTitle: z
      .string()
      .trim()
      .min(1)
      .transform((t) => t.slice(0, 300).trim())
      .optional()
      .catch(undefined),
    pageUrl: z.string().trim().max(2000).refine(isHttpUrl).optional().catch(undefined),
  })
}

export type CommentInput = z.infer<ReturnType<typeof commentInputSchema>>

/** One summary line for a failed form: the missing required fields first, as WordPress says it. */
export function summarize(fields: Record<string, string>, missing: string[]): string {
  if (missing.length > 0) {
    return `Please fill the required fields: ${missing.map((f) => fieldLabels[f] ?? f).join(', ')}.`
  }
  const messages = Object.values(fields)
  return messages.length === 1 ? messages[0]! : 'Please correct the fields marked below.'
}

/** Which required fields were left empty (as opposed to filled in wrongly). */
export function missingRequired(body: Record<string, unknown>): string[] {
  return ['author', 'email', 'content'].filter((f) => {
    const v = body[f]
    return v == null || (typeof v === 'string' && v.trim() === '')
  })
}

/**
 * How much longer than the content limit a text may read once NFKC has expanded it (U+FDFA alone becomes 18
 * letters: 10,000 of them took ~165 ms of checks per post). Ordinary text, any script, never comes near.
 */
export const MAX_EXPANSION = 2

/**
 * The comment as the checks read it: itself, unless NFKC makes it longer than MAX_EXPANSION times the limit; then
 * its expanded form's head and tail, and `cut` (the comment is held for a moderator whatever the checks found, so
 * nothing hidden in the middle is published by AUTO_APPROVE). The stored text is always the one written.
 */
export function textForChecks(content: string, maxLength: number): { text: string; cut: boolean } {
  const cap = maxLength * MAX_EXPANSION
  // NFKC makes one character at most 18 (U+FDFA): a text that short cannot pass the cap.
  if (content.length * 18 <= cap) return { text: content, cut: false }
  const expanded = content.normalize('NFKC')
  if (expanded.length <= cap) return { text: content, cut: false }
  const half = Math.floor(cap / 2)
  // Cut between characters, never inside a surrogate pair.
  const head = expanded.slice(0, half).replace(/[\uD800-\uDBFF]$/, '')
  const tail = expanded.slice(-half).replace(/^[\uDC00-\uDFFF]/, '')
  return { text: `${head}\n${tail}`, cut: true }
}
