import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv, Deps } from '../env.js'
import { AppError, isUnavailable, unavailableError } from '../errors.js'
import type { OutageLog } from '../outage-log.js'

/** Answered, not thrown: a throw here would pass by the logging middleware, and 404s would go unlogged. */
export const notFound = (c: Context<AppEnv>) => c.json(new AppError('not_found', 'There is nothing here.').toBody(), 404)

/**
 * Every error as the contract's JSON: AppErrors as they are, Hono's unparseable body as invalid_body, the database
 * away, frozen or full as 503 with Retry-After (logged once per outage, and a failed write remembered for /healthz),
 * anything else as a logged 500 that says nothing of its cause.
 */
export function errorHandler(deps: Deps, database: { outage: OutageLog; writeFailed: () => void }): ErrorHandler<AppEnv> {
  return (error, c) => {
    // Error answers carry these too, whichever middleware the error passed.
    c.header('X-Request-Id', c.get('requestId'))
    const cors = c.get('corsHeaders')
    if (cors) {
      c.header('Vary', 'Origin')
      for (const [name, value] of Object.entries(cors)) c.header(name, value)
    }
    if (error instanceof AppError) return answer(c, error)
    // Hono raises 400 for a body it cannot parse before any validator runs.
    if (error instanceof HTTPException && error.status === 400) return answer(c, new AppError('invalid_body', 'The body could not be parsed.'))
    if (isUnavailable(error)) {
      if (/^(53|25006)/.test(String((error as { code?: unknown }).code))) database.writeFailed()
      database.outage.failed(error)
      return answer(c, unavailableError())
    }
    deps.log({ msg: 'error', level: 'error', requestId: c.get('requestId'), error: describe(error) })
    return answer(c, new AppError('internal_error', 'Something went wrong on our side. Please try again.'))
  }
}

function answer(c: Context<AppEnv>, error: AppError): Response {
  for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value)
  return c.json(error.toBody(), error.status)
}

/** Server-side log text for an unexpected error: its name and code, never bound values or request data. */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message.slice(0, 300)}`
  }
  return 'unknown error'
}
