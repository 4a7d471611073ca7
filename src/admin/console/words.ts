import type { FailedDeliveryAnswer, StatusCountsAnswer } from '../../api/answers.js'

// What the console says, as pure functions of what the API answered.

export type Action = 'approved' | 'pending' | 'spam' | 'trash' | 'restore' | 'delete'

export const DONE: Record<Action, string> = {
  approved: 'approved',
  spam: 'marked as spam',
  trash: 'moved to trash',
  restore: 'restored',
  pending: 'put back in pending',
  delete: 'deleted for good',
}

/** A reason in words a person reads; the raw reason stays on hover (title). */
export function reasonWords(r: string, minSeconds: number): string {
  const at = r.indexOf(':')
  const name = at < 0 ? r : r.slice(0, at)
  const value = at < 0 ? '' : r.slice(at + 1)
  switch (name) {
    case 'links':
      return value === '1' ? '1 link' : `${value} links`
    case 'too_fast':
      return `posted less than ${minSeconds} s after the form loaded`
    case 'no_form_token':
      return 'not sent from the comment form'
    case 'bad_form_token':
      return 'form expired or tampered with'
    case 'honeypot':
      return 'filled the field hidden from people (a bot)'
    case 'profanity':
      return 'profanity'
    case 'moderation_word':
      return `held word “${value}”`
    case 'disallowed_word':
      return `disallowed word “${value}”`
    case 'spam_score':
      return `looks like spam (${value})`
    default:
      return r.replace(/_/g, ' ')
  }
}

/** A reason chip filters by its name when its value is a number (links:3, spam_score:0.91), else by itself (moderation_word:casino). */
export const reasonFilter = (r: string): string => (/^[a-z_]+:[0-9.]+$/.test(r) ? r.slice(0, r.indexOf(':')) : r)

export function historyWords(h: StatusCountsAnswer | undefined): string | null {
  if (!h) return null
  const parts: string[] = []
  for (const s of ['approved', 'pending', 'spam', 'trash'] as const) if (h[s]) parts.push(`${h[s]} ${s === 'pending' ? 'other pending' : s}`)
  return parts.length ? `Author’s history: ${parts.join(' · ')}` : 'First comment from this address'
}

/** "comment 12 (Ada)" or "3 comments: #12 (Ada), #13 (Sam), #14 (Bot)": every message names what it acted on. */
export function named(ids: string[], names: Record<string, string>): string {
  const each = ids.map((id) => `#${id}${names[id] ? ` (${names[id]})` : ''}`)
  return ids.length === 1 ? `Comment ${each[0]}` : `${ids.length} comments: ${each.join(', ')}`
}

/** How a webhook delivery failed: its error (or HTTP status), where, and after how many attempts. */
export function failureWords(d: { error: FailedDeliveryAnswer['error'] | null; status: number; attempts: number; target: string }): string {
  const what = d.error === 'timeout' ? 'no answer in time' : d.error === 'network' ? 'network error' : `HTTP ${d.status}`
  return `${what} from ${d.target} after ${d.attempts}${d.attempts === 1 ? ' attempt' : ' attempts'}`
}
