/**
 * Keys for everything private, derived from SECRET_KEY with HKDF through Web Crypto,
 * so the same code runs on Node and on Workers. One secret, separate keys per purpose.
 */
export type Keys = {
  email: CryptoKey
  lookup: CryptoKey
  token: CryptoKey
}

const encoder = new TextEncoder()

export async function deriveKeys(secretKey: string): Promise<Keys> {
  const master = await crypto.subtle.importKey('raw', encoder.encode(secretKey), 'HKDF', false, ['deriveKey'])
  const derive = (info: string, algorithm: AesKeyGenParams | HmacImportParams, usages: KeyUsage[]) =>
    crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('parley/v1'), info: encoder.encode(info) },
      master,
      algorithm,
      false,
      usages,
    )
  const hmac = { name: 'HMAC', hash: 'SHA-256', length: 256 } as const
  return {
    email: await derive('email-encryption', { name: 'AES-GCM', length: 256 }, ['encrypt', 'decrypt']),
    lookup: await derive('lookup-hash', hmac, ['sign']),
    token: await derive('form-token', hmac, ['sign', 'verify']),
  }
}

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
  let out = ''
  for (const b of view) out += b.toString(16).padStart(2, '0')
  return out
}

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
