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

  constructor(
    code: ErrorCode,
    message: string,
    options: { fields?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
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
