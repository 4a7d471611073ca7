import type { Keys } from '../privacy/keys.js'
import { sign, verify } from '../privacy/tokens.js'

const payload = (article: string, issuedAt: number) => `${article}\u0000${issuedAt}`

/** A form token: the issue time (seconds) and an HMAC over the article and that time. */
export async function issueFormToken(keys: Keys, article: string, now: Date): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000)
  return `${issuedAt.toString(36)}.${await sign(keys, 'form', payload(article, issuedAt))}`
}

export type FormTokenRules = { minSeconds: number; maxAgeSeconds: number }

/** Null when the token is good; otherwise the reason it raises the spam score by. */
export async function checkFormToken(
  keys: Keys,
  token: string | undefined,
  article: string,
  now: Date,
  rules: FormTokenRules,
): Promise<'no_form_token' | 'too_fast' | 'bad_form_token' | null> {
  if (!token) return 'no_form_token'
  const match = /^([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/.exec(token)
  if (!match) return 'bad_form_token'
  const issuedAt = parseInt(match[1]!, 36)
  if (!(await verify(keys, 'form', payload(article, issuedAt), match[2]!))) return 'bad_form_token'
  const age = now.getTime() / 1000 - issuedAt
  if (age > rules.maxAgeSeconds || age < -60) return 'bad_form_token'
  if (age < rules.minSeconds) return 'too_fast'
  return null
}
