import { toHex } from '../privacy/keys.js'

const encoder = new TextEncoder()

/** `X-Parley-Signature: t=UNIX,v1=HEX`: HMAC-SHA-256 of `t.body` with WEBHOOK_SECRET (the time stops replays). */
export async function signatureHeader(secret: string, body: string, now: Date): Promise<string> {
  const t = Math.floor(now.getTime() / 1000)
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${t}.${body}`))
  return `t=${t},v1=${toHex(mac)}`
}
