import type { Status } from '../db/schema.js'
import type { WordListStore } from './word-lists.js'

/** What the checks see of a new comment. The email is here in plain text and goes no further than the checks. */
export type Submission = {
  article: string
  parentId: number | null
  author: string
  email: string
  emailHash: string
  url: string | null
  content: string
  formToken: string | undefined
  /** The honeypot field, as posted. */
  website: string | undefined
  userAgent: string | null
  /** The client's address as seen (not stored); null when unknown. */
  ip: string | null
  now: Date
}

export type Verdict = {
  status: Extract<Status, 'pending' | 'spam' | 'approved'>
  reasons: string[]
  spamScore: number | null
}

/** Reviews a submission: the verdict says where it goes (the route refuses duplicates and posts over the limits). */
export interface Moderation {
  review(submission: Submission): Promise<Verdict>
  /** Told of every moderator decision, so anything that learns from them can. */
  learn?(change: { content: string; author: string; url: string | null; from: Status; to: Status }): Promise<void>
  /** The editable word lists (moderator API, /api/admin/words). */
  wordLists?: WordListStore
}
