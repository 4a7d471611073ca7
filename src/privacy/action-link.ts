import { fromBase64Url, toBase64Url, type Keys } from './keys.js'
import { readData, sameBytes, signData } from './tokens.js'

/** How long a one-click link works. */
export const LINK_TTL_SECONDS = 72 * 3600

export const linkActions = ['approve', 'spam', 'trash'] as const
export type LinkAction = (typeof linkActions)[number]
export type ActionLink = { commentId: number; action: LinkAction; expires: number; nonce: string }

/** A one-click link's token (webhook notifications, moderator emails): signed data. Single use is enforced by its nonce. */
export async function createActionToken(keys: Keys, link: Omit<ActionLink, 'nonce'>): Promise<string> {
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(12)))
  return signData(keys, 'action-link', { c: link.commentId, a: link.action, e: link.expires, n: nonce })
}

export type TokenCheck = { ok: true; link: ActionLink } | { ok: false; reason: 'invalid' | 'expired' }

/** Checks a link's tag and expiry (not its use: that needs the database). */
export async function readActionToken(keys: Keys, token: string, now: Date): Promise<TokenCheck> {
  const data = (await readData(keys, 'action-link', token, 400)) ?? (await readLegacy(keys, token))
  if (typeof data !== 'object' || data === null) return { ok: false, reason: 'invalid' }
  const { c, a, e, n } = data as { c?: unknown; a?: unknown; e?: unknown; n?: unknown }
  if (typeof c !== 'number' || typeof e !== 'number' || typeof n !== 'string' || !linkActions.includes(a as LinkAction)) {
    return { ok: false, reason: 'invalid' }
  }
  if (e * 1000 <= now.getTime()) return { ok: false, reason: 'expired' }
  return { ok: true, link: { commentId: c, action: a as LinkAction, expires: e, nonce: n } }
}

const encoder = new TextEncoder()
const hexBytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (byte) => parseInt(byte, 16))

/**
 * Links sent before the token module were tagged with the lookup key, in hex. They keep working until they expire
 * (72 hours at most), so a deploy breaks no notification already sent; this can go in the release after next.
 */
async function readLegacy(keys: Keys, token: string): Promise<unknown> {
  const [payload, tag, extra] = token.split('.')
  if (!payload || !tag || extra !== undefined || payload.length > 400 || !/^[\w-]+$/.test(payload) || !/^[0-9a-f]{64}$/.test(tag)) {
    return undefined
  }
  if (!sameBytes(hexBytes(tag), await keys.lookupMac(encoder.encode(`action-link\u0000${payload}`)))) return undefined
  try {
    return JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as unknown
  } catch {
    return undefined
  }
}
