import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import * as z from 'zod'
import { AppError } from '../errors.js'

/** Field messages from a zod error, first message per field. */
export function fieldErrors(error: z.core.$ZodError): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const [name, messages] of Object.entries(z.flattenError(error).fieldErrors)) {
    const first = (messages as string[] | undefined)?.[0]
    if (first) fields[name] = first
  }
  return fields
}

/** A NUL (PostgreSQL text cannot hold it) or half of a surrogate pair (stored as U+FFFD, so not as given). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what is refused
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * The fields (top-level names) holding text the database cannot store as given, each with its message:
 * refused with 400 before any query, instead of a 500 from the database and an error line in the log.
 */
export function unstorableFields(value: unknown): Record<string, string> {
  const fields: Record<string, string> = {}
  const holds = (v: unknown): boolean =>
    typeof v === 'string'
      ? UNSTORABLE.test(v)
      : Array.isArray(v)
        ? v.some(holds)
        : v !== null && typeof v === 'object'
          ? Object.values(v).some(holds)
          : false
  if (value !== null && typeof value === 'object') {
    for (const [name, v] of Object.entries(value))
      if (holds(v)) fields[name] = 'This field contains a character that is not allowed (NUL or a broken Unicode character).'
  }
  return fields
}

/** Throws validation_failed naming each field with unstorable text (see unstorableFields). */
export function refuseUnstorable(value: unknown): void {
  const fields = unstorableFields(value)
  const first = Object.values(fields)[0]
  if (first) throw new AppError('validation_failed', first, { fields })
}

/** zValidator whose failures become the contract's `validation_failed` error. */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const fields = fieldErrors(result.error)
      const message = Object.values(fields)[0] ?? 'The request is not valid.'
      throw new AppError('validation_failed', message, { fields })
    }
    refuseUnstorable(result.data)
  })
}
