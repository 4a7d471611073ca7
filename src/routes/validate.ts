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

/** zValidator whose failures become the contract's `validation_failed` error. */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const fields = fieldErrors(result.error)
      const message = Object.values(fields)[0] ?? 'The request is not valid.'
      throw new AppError('validation_failed', message, { fields })
    }
  })
}
