import type { PublicComment } from '../views/comment.js'

/**
 * A comment as the public API sends it (the server's one public view, imported as a type only, so a
 * change there that the embed relies on fails the type check). The embed shows `html`, never `content`.
 */
export type Comment = Omit<PublicComment, 'content'> & {
  /** Only in the answer to a post: "pending", or "approved" where the operator auto-approves known authors. */
  status?: string
}

/** `notify`: the site sends email, so the form offers follow-up notifications. */
export type Page = { comments: Comment[]; total: number; nextCursor: string | null; formToken: string; closed?: boolean; notify?: boolean }

export type Submission = {
  article: string
  parentId?: string
  author: string
  email: string
  url: string
  content: string
  formToken?: string
  website: string
  /** The host page's title and canonical URL, which moderators see beside the comment. */
  pageTitle?: string
  pageUrl?: string
  notify?: boolean
  lang?: string
}

/** A refusal from the API (or no answer at all: status 0), with the contract's error code and field messages. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly retryAfter = 0,
  ) {
    super(message)
  }
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response
  try {
    res = await fetch(url, init)
  } catch {
    throw new ApiError(0, 'network', 'offline')
  }
  const body: unknown = await res.json().catch(() => ({}))
  if (res.ok) return body as T
  const error = (body as { error?: { code?: string; message?: string; fields?: Record<string, string> } }).error ?? {}
  const retry = Number(res.headers.get('Retry-After')) || 0
  throw new ApiError(res.status, error.code ?? 'unknown', error.message ?? '', error.fields ?? {}, retry)
}

export function fetchPage(base: string, article: string, cursor: string | null, limit: number): Promise<Page> {
  const query = new URLSearchParams({ article })
  if (limit > 0) query.set('limit', String(limit))
  if (cursor) query.set('cursor', cursor)
  return call<Page>(`${base}/api/comments?${query}`)
}

/** Approved comments per article, for up to 100 articles (encoded as counts.ts measures them). */
export async function fetchCounts(base: string, articles: string[]): Promise<Record<string, number>> {
  const query = articles.map((a) => 'article=' + encodeURIComponent(a)).join('&')
  return (await call<{ counts: Record<string, number> }>(`${base}/api/counts?${query}`)).counts
}

/** The author's own comment: still "pending", "approved", or "removed" by a moderator. */
export function fetchStatus(base: string, id: string, token: string): Promise<{ status: string }> {
  return call(`${base}/api/comments/${id}/status?token=${encodeURIComponent(token)}`)
}

export function postComment(base: string, submission: Submission): Promise<{ comment: Comment; message: string; statusToken?: string }> {
  return call(`${base}/api/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(submission),
  })
}
