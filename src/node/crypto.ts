// Node only (imported by src/server.ts): the private-value primitives through node:crypto, synchronous.
// Same algorithms and bytes as webCryptoKeys (test/privacy.test.ts checks both ways), without Web Crypto's
// promise and thread-pool round trip, which cost a post ~15% of its CPU time under load.
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto'
import type { Keys, RawKeys } from '../privacy/keys.js'

const TAG_BYTES = 16

export function nodeCryptoKeys(raw: RawKeys): Keys {
  // Copies: the caller's buffers can be wiped or reused without touching these.
  const email = Buffer.from(raw.email)
  const lookup = Buffer.from(raw.lookup)
  const token = Buffer.from(raw.token)
  return {
    lookupMac: (data) => createHmac('sha256', lookup).update(data).digest(),
    tokenMac: (data) => createHmac('sha256', token).update(data).digest(),
    seal(iv, plain) {
      const cipher = createCipheriv('aes-256-gcm', email, iv)
      return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()])
    },
    open(iv, sealed) {
      if (sealed.length < TAG_BYTES) throw new Error('sealed value too short')
      const decipher = createDecipheriv('aes-256-gcm', email, iv)
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES))
      return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()])
    },
  }
}
