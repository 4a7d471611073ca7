import type { Keys } from '../privacy/keys.js'
import { readData, signData } from '../privacy/tokens.js'

/** A confirmation link works this long; an unsubscribe link for as long as the message is kept. */
export const CONFIRM_TTL_SECONDS = 7 * 86_400

/** Confirm subscription `s` (until `e`), or unsubscribe the address whose keyed hash is `h` (from article `a`). */
export type EmailLink = { p: 'confirm'; s: number; e: number } | { p: 'unsubscribe'; h: string; a: number }

/** base64url(JSON) + "." + tag with the token key: no account and no address in the link. */
export async function signEmailLink(keys: Keys, link: EmailLink): Promise<string> {
  return signData(keys, 'email-link', link)
}

export async function readEmailLink(keys: Keys, token: string, now: Date): Promise<EmailLink | 'expired' | undefined> {
  const data = (await readData(keys, 'email-link', token, 300)) as Partial<Record<'p' | 's' | 'e' | 'h' | 'a', unknown>> | undefined
  if (typeof data !== 'object' || data === null) return undefined
  if (data.p === 'confirm' && Number.isSafeInteger(data.s) && typeof data.e === 'number') {
    return data.e * 1000 <= now.getTime() ? 'expired' : { p: 'confirm', s: data.s as number, e: data.e }
  }
  if (data.p === 'unsubscribe' && typeof data.h === 'string' && /^[0-9a-f]{64}$/.test(data.h) && Number.isSafeInteger(data.a)) {
    return { p: 'unsubscribe', h: data.h, a: data.a as number }
  }
  return undefined
}
