import { fromBase64Url, toBase64Url, toHex, type Keys } from './keys.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Addresses are compared case-insensitively and without surrounding space. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** AES-GCM with a fresh 96-bit IV per address; stored as base64url(iv ‖ ciphertext). */
export async function encryptEmail(keys: Keys, email: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const sealed = await keys.seal(iv, encoder.encode(email))
  const out = new Uint8Array(iv.length + sealed.length)
  out.set(iv)
  out.set(sealed, iv.length)
  return toBase64Url(out)
}

export async function decryptEmail(keys: Keys, sealed: string): Promise<string> {
  const bytes = fromBase64Url(sealed)
  const plain = await keys.open(bytes.slice(0, 12), bytes.slice(12))
  return decoder.decode(plain)
}

/** Keyed hash for lookups: without SECRET_KEY nobody can confirm a guessed address. */
export async function keyedHash(keys: Keys, purpose: string, value: string): Promise<string> {
  return toHex(await keys.lookupMac(encoder.encode(`${purpose}\u0000${value}`)))
}

export const emailHash = (keys: Keys, email: string) => keyedHash(keys, 'email', normalizeEmail(email))

/**
 * The keyed hash the duplicate index compares (comments_no_duplicates: article, email hash, this): case
 * and runs of spacing do not make a comment new. Posts and imports both use it, so they are one comment.
 */
export const contentHash = (keys: Keys, content: string) =>
  keyedHash(keys, 'content', content.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim())

/** The avatar seed: a short keyed hash, distinct from the lookup hash so the two cannot be joined. */
export async function avatarSeed(keys: Keys, email: string): Promise<string> {
  return (await keyedHash(keys, 'avatar', normalizeEmail(email))).slice(0, 20)
}
