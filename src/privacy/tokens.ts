import { fromBase64Url, toBase64Url, type Keys } from './keys.js'

/**
 * Every token Parley signs, by purpose. Each is an HMAC-SHA-256 with the token key over `purpose NUL payload`: a token
 * made for one purpose never passes as another's, and none shares a key with the keyed hashes of emails and addresses.
 */
export type TokenPurpose = 'form' | 'status' | 'email-link' | 'action-link' | 'link-confirm'

const encoder = new TextEncoder()
const TAG = /^[A-Za-z0-9_-]{43}$/

const mac = (keys: Keys, purpose: TokenPurpose, payload: string) => keys.tokenMac(encoder.encode(`${purpose}\u0000${payload}`))

/** Compares two MACs in time that does not depend on where they differ: the one compare every token check uses. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

/** The payload's tag for this purpose: base64url, 43 characters. */
export async function sign(keys: Keys, purpose: TokenPurpose, payload: string): Promise<string> {
  return toBase64Url(await mac(keys, purpose, payload))
}

/** True when `tag` is the payload's tag for this purpose. */
export async function verify(keys: Keys, purpose: TokenPurpose, payload: string, tag: string): Promise<boolean> {
  if (!TAG.test(tag)) return false
  return sameBytes(fromBase64Url(tag), await mac(keys, purpose, payload))
}

/** A token that carries its data: base64url(JSON) "." tag. */
export async function signData(keys: Keys, purpose: TokenPurpose, data: unknown): Promise<string> {
  const payload = toBase64Url(encoder.encode(JSON.stringify(data)))
  return `${payload}.${await sign(keys, purpose, payload)}`
}

/**
 * The data of a token signData made for this purpose, or undefined when it is malformed, longer than maxPayload or
 * forged. The caller checks the data's shape: it is only known to be what Parley signed.
 */
export async function readData(keys: Keys, purpose: TokenPurpose, token: string, maxPayload: number): Promise<unknown> {
  const [payload, tag, extra] = token.split('.')
  if (!payload || !tag || extra !== undefined || payload.length > maxPayload || !/^[\w-]+$/.test(payload)) return undefined
  if (!(await verify(keys, purpose, payload, tag))) return undefined
  try {
    return JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as unknown
  } catch {
    return undefined
  }
}
