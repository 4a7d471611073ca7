import { keyedHash } from '../privacy/email.js'
import { fromBase64Url, toBase64Url, toHex, type Keys } from '../privacy/keys.js'

const encoder = new TextEncoder()

/** `X-Parley-Signature: t=UNIX,v1=HEX`: HMAC-SHA-256 of `t.body` with WEBHOOK_SECRET (the time stops replays). */
export async function signatureHeader(secret: string, body: string, now: Date): Promise<string> {
  const t = Math.floor(now.getTime() / 1000)
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${t}.${body}`))
  return `t=${t},v1=${toHex(mac)}`
}

export const linkActions = ['approve', 'spam', 'trash'] as const
export type LinkAction = (typeof linkActions)[number]
export type ActionLink = { commentId: number; action: LinkAction; expires: number; nonce: string }

/** Equal-time comparison of two strings of hex or base64url. */
function same(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/** A one-click link's token: base64url(JSON) + "." + keyed MAC. Single use is enforced by its nonce. */
export async function createActionToken(keys: Keys, link: Omit<ActionLink, 'nonce'>): Promise<string> {
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(12)))
  const payload = toBase64Url(encoder.encode(JSON.stringify({ c: link.commentId, a: link.action, e: link.expires, n: nonce })))
  return `${payload}.${await keyedHash(keys, 'action-link', payload)}`
}

export type TokenCheck = { ok: true; link: ActionLink } | { ok: false; reason: 'invalid' | 'expired' }

/** Checks a link's MAC and expiry (not its use: that needs the database). */
export async function readActionToken(keys: Keys, token: string, now: Date): Promise<TokenCheck> {
  const [payload, mac, extra] = token.split('.')
  if (!payload || !mac || extra !== undefined || payload.length > 400) return { ok: false, reason: 'invalid' }
  if (!same(mac, await keyedHash(keys, 'action-link', payload))) return { ok: false, reason: 'invalid' }
  let data: { c?: unknown; a?: unknown; e?: unknown; n?: unknown }
  try {
    data = JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as typeof data
  } catch {
    return { ok: false, reason: 'invalid' }
  }
  const { c, a, e, n } = data
  if (typeof c !== 'number' || typeof e !== 'number' || typeof n !== 'string' || !linkActions.includes(a as LinkAction)) {
    return { ok: false, reason: 'invalid' }
  }
  if (e * 1000 <= now.getTime()) return { ok: false, reason: 'expired' }
  return { ok: true, link: { commentId: c, action: a as LinkAction, expires: e, nonce: n } }
}
