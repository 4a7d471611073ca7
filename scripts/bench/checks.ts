// What counts as an ok answer for each workload (WORKLOADS.md). Anything else is counted as an error.

export type Checked = { ok: true; id?: string } | { ok: false; reason: string }
export type Check = (status: number, body: string) => Checked

function parse(body: string): any {
  try {
    return JSON.parse(body)
  } catch {
    return undefined
  }
}

const bad = (reason: string): Checked => ({ ok: false, reason })

/** W1: 201 with the stored comment, status pending (a spam verdict answers the same, by contract). */
export const checkPost: Check = (status, body) => {
  if (status !== 201) return bad(`status ${status}`)
  const json = parse(body)
  const comment = json?.comment
  if (!comment || typeof comment.id !== 'string' || comment.id === '') return bad('no comment id')
  if (comment.status !== 'pending') return bad(`comment status ${String(comment.status)}`)
  return { ok: true, id: comment.id }
}

/** W2: 200 and every one of the article's `expected` approved comments, distinct, on one page. */
export function checkList(article: string, expected: number): Check {
  return (status, body) => {
    if (status !== 200) return bad(`status ${status}`)
    const json = parse(body)
    if (!json || json.article !== article) return bad('wrong or missing article')
    if (!Array.isArray(json.comments)) return bad('no comments array')
    if (json.comments.length !== expected) return bad(`${json.comments.length} comments, expected ${expected}`)
    if (json.total !== expected) return bad(`total ${String(json.total)}, expected ${expected}`)
    const ids = new Set<string>()
    for (const c of json.comments) {
      if (typeof c?.id !== 'string' || typeof c.html !== 'string' || typeof c.content !== 'string') return bad('malformed comment')
      ids.add(c.id)
    }
    if (ids.size !== expected) return bad('repeated comment ids')
    return { ok: true }
  }
}

/** W3: 200 and, for each key, exactly the count the seed approved. */
export function checkCounts(expected: Record<string, number>): Check {
  const keys = Object.keys(expected)
  return (status, body) => {
    if (status !== 200) return bad(`status ${status}`)
    const counts = parse(body)?.counts
    if (!counts || typeof counts !== 'object') return bad('no counts object')
    if (Object.keys(counts).length !== keys.length) return bad(`${Object.keys(counts).length} keys, expected ${keys.length}`)
    for (const key of keys) {
      if (counts[key] !== expected[key]) return bad(`${key}: ${String(counts[key])}, expected ${expected[key]}`)
    }
    return { ok: true }
  }
}

/**
 * The same check, cheaper on the load generator (which shares the machine with the server): a body
 * identical to `reference` (an answer that passed `full`) passes at memcmp cost, ignoring only the
 * formToken's value, which changes every second; any other body is parsed and judged by `full`.
 */
export function sameAs(reference: string, full: Check): Check {
  const checked = full(200, reference)
  if (!checked.ok) throw new Error(`the reference answer fails its own check: ${checked.reason}`)
  const token = /"formToken":"[^"]*"/.exec(reference)
  const head = token ? reference.slice(0, token.index) : reference
  const tail = token ? reference.slice(token.index + token[0].length) : ''
  return (status, body) => {
    if (status === 200 && body.length === reference.length && body.startsWith(head) && body.endsWith(tail)) {
      if (!token || /^"formToken":"[^"]*"$/.test(body.slice(head.length, body.length - tail.length))) return { ok: true }
    }
    return full(status, body)
  }
}
