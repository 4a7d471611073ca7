// The one rule for an id in a path, query, body or cursor: a positive integer in decimal, no leading zero, at
// most 16 digits. (comments.ts's status route spells it as a Hono path pattern; openapi.ts documents ID.source.)

export const ID = /^[1-9]\d{0,15}$/

/** An id from a path; a string that cannot be an id is answered like an id that does not exist: `missing()`. */
export function pathId(raw: string, missing: () => Error): number {
  if (!ID.test(raw)) throw missing()
  return Number(raw)
}
