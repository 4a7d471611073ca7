import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** Every error code the API can answer with, and the status it travels under. */
export const errorStatus = {
  validation_failed: 400,
  invalid_body: 400,
  unauthorized: 401,
  comments_closed: 403,
  not_found: 404,
  parent_not_found: 404,
  duplicate_comment: 409,
  /** A failed webhook delivery cannot be resent: its comment was deleted since. */
  comment_gone: 409,
  /** A failed webhook delivery is not resent: its comment is no longer held (a moderator decided it since). */
  comment_decided: 409,
  /** A failed webhook delivery cannot be resent: it is of an event Parley no longer builds. */
  not_resendable: 409,
  /** Webhooks are not configured now (WEBHOOK_URL and WEBHOOK_SECRET). */
  webhooks_off: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>

export type ErrorCode = keyof typeof errorStatus

export type ErrorBody = {
  error: { code: ErrorCode; message: string; fields?: Record<string, string> }
}

/** The one error type handlers throw; `app.onError` renders it as the contract's error body. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly fields: Record<string, string> | undefined
  /** Extra response headers, e.g. Retry-After on 429. */
  readonly headers: Record<string, string> | undefined

  constructor(code: ErrorCode, message: string, options: { fields?: Record<string, string>; headers?: Record<string, string> } = {}) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.fields = options.fields
    this.headers = options.headers
  }

  get status(): ContentfulStatusCode {
    return errorStatus[this.code]
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields ? { fields: this.fields } : {}),
      },
    }
  }
}

/** Seconds a client is told to wait (Retry-After) when a store is away: long enough to come back from a restart. */
export const UNAVAILABLE_RETRY_SECONDS = 5

/** Socket-level failures: the server is not there, went away, or does not answer. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])
/**
 * SQLSTATEs that say "not now" rather than "wrong": 08 connection exceptions, 53 insufficient resources
 * (a full disk, too many connections), 57P01–57P05 shutdowns and restarts, 57014 a statement cancelled by
 * statement_timeout, 25006 a read-only server (a failover in progress).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-5]$|57014$|25006$)/
/** What pg, pg-pool and the batcher say when a connection dies or a wait runs out (they set no code). */
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed|batch not done within|Cannot use a pool after calling end)/

/**
 * Whether an error means the database (or another store) cannot be reached or cannot write for now:
 * answered 503 `unavailable` with Retry-After (app.onError), not 500. Looks one `cause` deep.
 */
export function isUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 2) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true
  if (UNAVAILABLE_MESSAGE.test(error.message)) return true
  return isUnavailable((error as { cause?: unknown }).cause, depth + 1)
}

/** The 503 a request gets when the database is away (and nothing it asked for was done). */
export function unavailableError(): AppError {
  return new AppError('unavailable', 'The service cannot reach its database just now. Please try again in a moment.', {
    headers: { 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS) },
  })
}
