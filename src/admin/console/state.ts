import type { AdminCommentAnswer, ArticleStateAnswer, ModeratorAnswer, StatusCountsAnswer } from '../../api/answers.js'

export type AdminComment = AdminCommentAnswer
export type Status = AdminComment['status']
/** What the article bar shows; `unknown`: no article has this key yet (no comments). */
export type ArticleInfo = ArticleStateAnswer & { unknown?: true }
/** What u takes back: decisions on comments (each one's status before), or closing/reopening an article. */
export type Undo = { statuses: Record<string, Status>; names: Record<string, string> } | { article: string; closed: boolean }

/** Everything the console shows, in one place; each change is followed by render(). */
export const state = {
  status: 'pending' as Status,
  q: '',
  article: '',
  reason: '',
  sort: 'newest',
  items: [] as AdminComment[],
  cursor: null as string | null,
  /** The cursor: a row, and the id of the comment on it (the cursor follows comments, not row numbers). */
  current: 0,
  currentId: null as string | null,
  selected: new Set<string>(),
  undo: [] as Undo[],
  site: null as string | null,
  articleInfo: null as ArticleInfo | null,
  /** One action at a time: keys pressed while one is in flight are refused. */
  busy: false,
  articles: {} as Record<string, { title: string | null; url: string | null }>,
  history: {} as Record<string, StatusCountsAnswer>,
  threshold: 1,
  minSeconds: 0,
  me: null as ModeratorAnswer | null,
  replyOpen: null as string | null,
  replyDraft: '',
}

export function setCurrent(i: number): void {
  state.current = i
  state.currentId = state.items[i]?.id ?? null
}

/** A link to an article from its key: a full URL as it is, a path on the site (the first allowed origin). */
export function articleHref(key: string): string | null {
  if (/^https?:\/\//.test(key)) return key
  if (state.site && key.startsWith('/')) return state.site + key
  return null
}
