import { fromBase64Url, sameBytes, toBase64Url, type Keys } from '../privacy/keys.js'

const encoder = new TextEncoder()
/** A confirmation link works this long; an unsubscribe link for as long as the message is kept. */
export const CONFIRM_TTL_SECONDS = 7 * 86_400

/** Confirm subscription `s` (until `e`), or unsubscribe the address whose keyed hash is `h` (from article `a`). */
export type EmailLink = { p: 'confirm'; s: number; e: number } | { p: 'unsubscribe'; h: string; a: number }

const mac = async (keys: Keys, payload: string) => toBase64Url(await keys.tokenMac(encoder.encode(`email-link\u0000${payload}`)))

/** base64url(JSON) + "." + MAC with the token key: no account and no address in the link. */
export async function signEmailLink(keys: Keys, link: EmailLink): Promise<string> {
  const payload = toBase64Url(encoder.encode(JSON.stringify(link)))
  return `${payload}.${await mac(keys, payload)}`
}

export async function readEmailLink(keys: Keys, token: string, now: Date): Promise<EmailLink | 'expired' | undefined> {
  const [payload, tag, extra] = token.split('.')
  if (!payload || !tag || extra !== undefined || payload.length > 300 || !/^[\w-]+$/.test(payload + tag)) return undefined
  // A tag that is not base64 at all (atob throws on a length of 1 mod 4: "1.5") is as wrong as a forged one.
  const signed = await mac(keys, payload)
  try {
    if (!sameBytes(fromBase64Url(tag), fromBase64Url(signed))) return undefined
  } catch {
    return undefined
  }
  let data: Partial<Record<'p' | 's' | 'e' | 'h' | 'a', unknown>>
  try {
    data = JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as typeof data
  } catch {
    return undefined
  }
  if (data.p === 'confirm' && Number.isSafeInteger(data.s) && typeof data.e === 'number') {
    return data.e * 1000 <= now.getTime() ? 'expired' : { p: 'confirm', s: data.s as number, e: data.e }
  }
  if (data.p === 'unsubscribe' && typeof data.h === 'string' && /^[0-9a-f]{64}$/.test(data.h) && Number.isSafeInteger(data.a)) {
    return { p: 'unsubscribe', h: data.h, a: data.a as number }
  }
  return undefined
}
