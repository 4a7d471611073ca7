import { foldText } from '../text/normalize.js'
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

/** Providers known to ignore dots in the local part (and to deliver +tag to the same box, as most do). */
const DOTLESS = new Set(['gmail.com', 'googlemail.com'])

/**
 * The address as a mailbox, for the per-email rate limits: "+tag" dropped (subaddressing, which nearly every
 * provider delivers to the same box) and, at Gmail, dots, so one person cannot multiply their limit by
 * writing one address many ways. Only the limits use it: duplicates and personal data keep the address as given.
 */
export function mailboxOf(email: string): string {
  const normal = normalizeEmail(email)
  const at = normal.lastIndexOf('@')
  if (at < 1) return normal
  let local = normal.slice(0, at)
  let domain = normal.slice(at + 1)
  if (domain === 'googlemail.com') domain = 'gmail.com'
  const plus = local.indexOf('+')
  if (plus > 0) local = local.slice(0, plus)
  if (DOTLESS.has(domain)) local = local.replace(/\./g, '') || local
  return `${local}@${domain}`
}

/** The per-email rate-limit key: its own purpose, so the limiter's store cannot be joined to the comments. */
export const emailLimitKey = (keys: Keys, email: string) => keyedHash(keys, 'email-limit', mailboxOf(email))

/**
 * The keyed hash the duplicate index compares (comments_no_duplicates: article, email hash, this): case
 * and runs of spacing do not make a comment new. Posts and imports both use it, so they are one comment.
 */
export const contentHash = (keys: Keys, content: string) => keyedHash(keys, 'content', duplicateForm(content).replace(/\s+/g, ' ').trim())

/**
 * foldText: NFKC, lowercase, accents, invisible characters (zero-width…) and Cyrillic/Greek look-alikes. A text that
 * NFKC makes more than twice as long (U+FDFA becomes 18 letters; folding 180,000 of them cost ~45 ms) is compared
 * by its NFKC form and case only. Ordinary text, in any script, never takes that branch.
 */
function duplicateForm(content: string): string {
  const expanded = content.normalize('NFKC')
  // foldText's own NFKC of an NFKC text is a quick check: the result is foldText(content).
  return expanded.length > 2 * content.length + 64 ? expanded.toLowerCase() : foldText(expanded)
}

/**
 * The avatar a post's own answer shows (and nothing else): the same neutral picture for every new comment,
 * so posting with a guessed address and comparing avatars confirms nothing. The email's own identicon
 * appears only on approved comments, in the public list.
 */
export const NEW_COMMENT_AVATAR = '00000000000000000000'

/** The avatar seed: a short keyed hash, distinct from the lookup hash so the two cannot be joined. */
export async function avatarSeed(keys: Keys, email: string): Promise<string> {
  return (await keyedHash(keys, 'avatar', normalizeEmail(email))).slice(0, 20)
}
