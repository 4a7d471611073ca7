import * as z from 'zod'
import { statuses } from '../db/schema.js'
import { ID } from './ids.js'

// Rules that several routes share, written once: the validators use them and the API document is made from them.

/** An article key: 1–512 characters, trimmed (SPEC "Words"). */
export const articleKey = z
  .string({ error: 'The article is missing.' })
  .trim()
  .min(1, 'The article is missing.')
  .max(512, 'The article key can be at most 512 characters.')
  .meta({ description: 'An article key, trimmed.' })

/** An id as a string: a positive decimal integer, no leading zero, at most 16 digits (see routes/ids.ts). */
export const idString = (description = 'A comment id (decimal digits).', message?: string) => z.string().regex(ID, message).meta({ description })

/** A page size from a query string. */
export const limit = (fallback: number) => z.coerce.number({ error: 'The limit must be a number.' }).int().min(1).max(200).default(fallback)

/** The `nextCursor` of the previous page; decoded (and refused with 400 when malformed) by the route. */
export const cursor = z
  .string()
  .optional()
  .meta({ description: 'The `nextCursor` of the previous page (opaque). A malformed cursor answers 400 `validation_failed`.' })

export const status = z.enum(statuses, { error: 'Status must be one of pending, approved, spam, trash.' }).meta({ id: 'Status' })
