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

/** The body of POST /api/comments, with messages a reader understands, per field. */
export function commentInputSchema(maxContentLength: number) {
  return z.object({
    article: articleKey,
    parentId: z
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
      .meta({ description: 'An approved comment of the same article, at most MAX_DEPTH levels deep.' }),
    author: text('Please enter your name.').trim().min(1, 'Please enter your name.').max(100, 'Your name can be at most 100 characters.'),
    email: text('Please enter your email address.')
      .trim()
      .min(1, 'Please enter your email address.')
      .max(254, 'Your email address can be at most 254 characters.')
      .pipe(z.email({ error: 'Please enter a valid email address, like name@example.com.' }))
      .meta({ format: 'email', description: 'Never published; stored encrypted.' }),
    url: z
      .preprocess(
        blankToUndefined,
        z
          .string({ error: 'Your website must be a web address.' })
          .trim()
          .max(200, 'Your website address can be at most 200 characters.')
          .refine(isHttpUrl, 'Your website must be a web address starting with http:// or https://.')
          .transform(normalizeUrl)
          .pipe(z.string().max(200, 'Your website address can be at most 200 characters.'))
          .optional(),
      )
      .meta({ format: 'uri', description: '`http:` or `https:` only.' }),
    content: text('Please write a comment.')
      .trim()
      .min(1, 'Please write a comment.')
      .max(maxContentLength, `Your comment is too long: it can be at most ${maxContentLength.toLocaleString('en-US')} characters.`),
    formToken: z
      .string()
      .max(200)
      .optional()
      .catch(undefined)
      .meta({ description: 'From GET /api/comments; a missing or bad token counts against the comment.' }),
    // The honeypot: any value is accepted here and judged by the checks.
    website: z.string().optional().catch('filled').meta({ description: 'The honeypot: must stay empty (the embed hides it from people).' }),
    redirect: z
      .string()
      .max(2000)
      .optional()
      .catch(undefined)
      .meta({ description: 'Form posts only: where to send the reader (303). Its origin must be allowed, else 400 `validation_failed`.' }),
    // "Notify me of follow-up comments by email": true in JSON, `on` from a form checkbox (unticked: absent).
    notify: z
      .preprocess(
        (v) => (v === 'on' || v === 'true' ? true : v === '' || v === 'false' || v === null ? false : v),
        z.boolean({ error: 'notify must be true or false.' }).default(false),
      )
      .meta({ description: 'Email me follow-up comments: `true` (JSON) or `on` (a form checkbox); a confirmation link is mailed first.' }),
    // The embed's language, for the messages a subscription brings; anything else is ignored.
    lang: z.string().max(35).optional().catch(undefined),
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
