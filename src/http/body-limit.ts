import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.js'
import { AppError } from '../errors.js'
import { header } from './request-header.js'

export const MAX_BODY_BYTES = 64 * 1024

const tooLarge = () => new AppError('payload_too_large', 'The request body is larger than 64 KiB.')
const streamed = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw tooLarge()
  },
})

/**
 * At most 64 KiB of body. Asking for c.req.raw.body (as hono/body-limit does first) makes @hono/node-server build a
 * whole web Request and stream the body through it; a declared length is checked here instead, as body-limit itself
 * would (the HTTP parser never reads past it), and the route reads the body the direct way. A chunked body (no
 * length) is counted as it streams.
 */
export const limitBody = createMiddleware<AppEnv>((c, next) => {
  const length = header(c, 'content-length')
  if (length !== undefined && header(c, 'transfer-encoding') === undefined && /^\d{1,15}$/.test(length)) {
    if (Number(length) > MAX_BODY_BYTES) throw tooLarge()
    return next()
  }
  return streamed(c, next)
})
