import { fromBase64Url, sameBytes, toBase64Url, type Keys } from './keys.js'

const encoder = new TextEncoder()
const message = (id: number) => encoder.encode(`status\u0000${id}`)

/**
 * A token given only to a comment's author (in the 201 answer), with which their page can ask
 * whether the comment is still awaiting moderation: no account, no email in the browser.
 */
export async function issueStatusToken(keys: Keys, id: number): Promise<string> {
  return toBase64Url(await keys.tokenMac(message(id)))
}

export async function checkStatusToken(keys: Keys, id: number, token: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return false
  return sameBytes(fromBase64Url(token), await keys.tokenMac(message(id)))
}
