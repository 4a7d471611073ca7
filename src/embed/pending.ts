import type { Comment } from './api.js'

// The author's own comments awaiting moderation, kept in this site's localStorage so they survive a reload.
// Only what is shown is kept (never the email), with the status token the server gave the author: a copy
// is dropped once the server says it was approved or removed, or after MAX_AGE.
const KEY = 'parley.pending.v1'
const MAX_AGE = 14 * 86_400_000

export type Pending = Comment & { base: string; savedAt: number; token?: string }

function read(): Pending[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? '[]') as Pending[]
    return Array.isArray(list) ? list.filter((p) => Date.now() - p.savedAt < MAX_AGE) : []
  } catch {
    return []
  }
}

function write(list: Pending[]): void {
  try {
    if (list.length > 0) localStorage.setItem(KEY, JSON.stringify(list))
    else localStorage.removeItem(KEY)
  } catch {
    // Storage can be full or disabled (private modes); the comment still shows until the page is left.
  }
}

export function pendingFor(base: string, article: string): Pending[] {
  return read().filter((p) => p.base === base && p.article === article)
}

export function remember(base: string, comment: Comment, token?: string): void {
  const { id, article, parentId, author, url, avatar, html, createdAt } = comment
  const list = read().filter((p) => !(p.base === base && p.id === id))
  write([...list, { id, article, parentId, author, url, avatar, html, createdAt, base, savedAt: Date.now(), token }])
}

export function forget(base: string, id: string): void {
  const list = read()
  const kept = list.filter((p) => !(p.base === base && p.id === id))
  if (kept.length !== list.length) write(kept)
}
