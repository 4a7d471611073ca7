/**
 * Keys for everything private, derived from SECRET_KEY with HKDF (SHA-256, salt "parley/v1", one info
 * string per purpose), and the few primitives made with them. Web Crypto by default, so the same code runs
 * on Node and on Workers; the Node entry passes node:crypto's synchronous equivalents (same algorithms,
 * same bytes, no thread-pool round trip per call).
 */
export interface Keys {
  /** HMAC-SHA-256 with the lookup key (keyed hashes of emails, IPs, texts, avatar seeds). */
  lookupMac(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> | Uint8Array
  /** HMAC-SHA-256 with the token key: every signed token, one purpose label each (privacy/tokens.ts). */
  tokenMac(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> | Uint8Array
  /** AES-256-GCM with the email key: ciphertext followed by its 16-byte tag. */
  seal(iv: Uint8Array<ArrayBuffer>, plain: Uint8Array<ArrayBuffer>): Promise<Uint8Array> | Uint8Array
  /** The reverse of seal; throws when the tag does not match. */
  open(iv: Uint8Array<ArrayBuffer>, sealed: Uint8Array<ArrayBuffer>): Promise<Uint8Array> | Uint8Array
}

/** The derived key bytes, one 256-bit key per purpose. */
export type RawKeys = { email: Uint8Array<ArrayBuffer>; lookup: Uint8Array<ArrayBuffer>; token: Uint8Array<ArrayBuffer> }

/** Makes the primitives from the derived bytes: webCryptoKeys here, nodeCryptoKeys in src/node/crypto.ts. */
export type KeysProvider = (raw: RawKeys) => Keys | Promise<Keys>

const encoder = new TextEncoder()

export async function deriveRawKeys(secretKey: string): Promise<RawKeys> {
  const master = await crypto.subtle.importKey('raw', encoder.encode(secretKey), 'HKDF', false, ['deriveBits'])
  const derive = async (info: string) =>
    new Uint8Array(
      await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('parley/v1'), info: encoder.encode(info) }, master, 256),
    )
  return { email: await derive('email-encryption'), lookup: await derive('lookup-hash'), token: await derive('form-token') }
}

export async function deriveKeys(secretKey: string, provider: KeysProvider = webCryptoKeys): Promise<Keys> {
  return provider(await deriveRawKeys(secretKey))
}

/** The primitives through Web Crypto (Workers, tests, scripts), with non-extractable keys. */
export async function webCryptoKeys(raw: RawKeys): Promise<Keys> {
  const hmac = { name: 'HMAC', hash: 'SHA-256' } as const
  const [email, lookup, token] = await Promise.all([
    crypto.subtle.importKey('raw', raw.email, 'AES-GCM', false, ['encrypt', 'decrypt']),
    crypto.subtle.importKey('raw', raw.lookup, hmac, false, ['sign']),
    crypto.subtle.importKey('raw', raw.token, hmac, false, ['sign']),
  ])
  return {
    lookupMac: async (data) => new Uint8Array(await crypto.subtle.sign('HMAC', lookup, data)),
    tokenMac: async (data) => new Uint8Array(await crypto.subtle.sign('HMAC', token, data)),
    seal: async (iv, plain) => new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, email, plain)),
    open: async (iv, sealed) => new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, email, sealed)),
  }
}

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
  let out = ''
  for (const b of view) out += HEX[b]
  return out
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

export function toBase64Url(bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}
