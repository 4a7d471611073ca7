import type { Logger } from '../env.js'
import { signatureHeader } from './sign.js'

export type DeliveryOptions = {
  url: string
  secret: string
  log: Logger
  fetch?: typeof fetch
  /** Waits before each retry (ms). */
  delays?: number[]
  /**
   * When to stop (ms since the epoch): no retry starts, and no attempt waits, past it. A Worker's
   * waitUntil keeps work alive 30 s after the response; the failure must be stored before that.
   */
  deadline?: number
  sleep?: (ms: number) => Promise<void>
  now?: () => Date
}

const defaultDelays = [1_000, 4_000, 15_000]
/** Retries and their waits end within this; recording the outcome fits in what is left of 30 s. */
export const DELIVERY_BUDGET_MS = 25_000
const ATTEMPT_TIMEOUT_MS = 10_000
/** A retry is not worth starting with less time than this left. */
const MIN_ATTEMPT_MS = 1_000
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** How a delivery ended: `status` is the last HTTP status (0: no answer, see `error`). */
export type DeliveryResult = {
  delivered: boolean
  attempts: number
  status: number
  error: 'http_status' | 'network' | 'timeout' | null
  firstAttemptAt: Date
}

/**
 * POSTs a signed JSON event; retries with backoff on network errors, 429 and 5xx, not on other 4xx
 * (the receiver refused it, and will again). Never rejects: the result says how it ended.
 */
/** An event's id or name as a header value ('' when it has none). */
const header = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '')

export async function deliver(event: Record<string, unknown>, options: DeliveryOptions): Promise<DeliveryResult> {
  const { url, secret, log } = options
  const send = options.fetch ?? fetch
  const delays = options.delays ?? defaultDelays
  const now = options.now ?? (() => new Date())
  const body = JSON.stringify(event)
  const deliveryId = header(event.id)
  const firstAttemptAt = now()
  const deadline = options.deadline ?? firstAttemptAt.getTime() + DELIVERY_BUDGET_MS
  let result: DeliveryResult = { delivered: false, attempts: 0, status: 0, error: 'network', firstAttemptAt }
  for (let attempt = 0; attempt <= delays.length; attempt++) {
    if (attempt > 0) await (options.sleep ?? wait)(delays[attempt - 1]!)
    const timeout = Math.max(MIN_ATTEMPT_MS, Math.min(ATTEMPT_TIMEOUT_MS, deadline - now().getTime()))
    let status = 0
    let error: DeliveryResult['error'] = null
    try {
      const res = await send(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Parley-Webhook/1',
          'X-Parley-Event': header(event.event),
          'X-Parley-Delivery': deliveryId,
          'X-Parley-Signature': await signatureHeader(secret, body, now()),
        },
        body,
        // A redirect is the receiver's answer, not a new destination: following a 307/308 would POST the
        // signed body (and the one-click links) wherever the receiver points. 3xx is a failure, not retried.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeout),
      })
      status = res.status
      await res.body?.cancel()
    } catch (e) {
      // The error's own text can hold the URL; only its kind is kept.
      error = (e as { name?: unknown } | null)?.name === 'TimeoutError' ? 'timeout' : 'network'
    }
    const delivered = status >= 200 && status < 300
    result = { delivered, attempts: attempt + 1, status, error: delivered ? null : (error ?? 'http_status'), firstAttemptAt }
    if (delivered) return result
    const retry = status === 0 || status === 429 || status >= 500
    // No retry that could not get a fair try before the deadline.
    const willRetry = retry && attempt < delays.length && now().getTime() + delays[attempt]! + MIN_ATTEMPT_MS <= deadline
    log({ msg: 'webhook failed', level: 'warn', deliveryId, attempt: attempt + 1, status, willRetry })
    if (!willRetry) return result
  }
  return result
}
