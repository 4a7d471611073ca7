import type { Comment } from './api.js'
import { DateWords } from './dates.js'
import { h, isWebUrl, safeHtml } from './dom.js'
import type { Translate } from './strings.js'

// Deeper replies than this are shown flat, beside their parent, so threads stay readable on a phone.
const MAX_INDENT = 5

type Entry = { li: HTMLLIElement; depth: number; parentId: string | null; author: string; replies: HTMLOListElement; pending: boolean }

export type ReplyHandler = (id: string, author: string, link: HTMLAnchorElement) => void

/** The comment tree: approved comments (and the reader's own pending ones) placed under their parents. */
export class Thread {
  readonly list = h('ol', { class: 'parley-list' })
  private _entries = new Map<string, Entry>()
  private _dates: DateWords

  constructor(
    private _t: Translate,
    private _maxDepth: number,
    private _respondId: string,
    private _onReply: ReplyHandler,
  ) {
    this._dates = new DateWords(_t.lang)
  }

  has(id: string, approved = false): boolean {
    const entry = this._entries.get(id)
    return !!entry && !(approved && entry.pending)
  }

  /** Adds a comment under its parent (or at the end); an approved copy replaces a pending one in place. */
  add(comment: Comment, pending = false): HTMLLIElement {
    const existing = this._entries.get(comment.id)
    if (existing && (pending || !existing.pending)) return existing.li
    const parent = comment.parentId ? this._entries.get(comment.parentId) : undefined
    const depth = parent ? parent.depth + 1 : 0
    const li = this._render(comment, pending)
    const replies = depth < MAX_INDENT ? li.appendChild(h('ol', { class: 'parley-children' })) : (parent?.replies ?? this.list)
    if (existing) {
      existing.li.replaceWith(li)
      // Replies already placed under the pending copy move to the approved one.
      if (replies !== existing.replies) replies.append(...Array.from(existing.replies.childNodes))
    } else {
      ;(parent?.replies ?? this.list).append(li)
    }
    this._entries.set(comment.id, { li, depth, parentId: comment.parentId, author: comment.author, replies, pending })
    return li
  }

  /** Whether one of the reader's own pending comments is shown. */
  hasPending(): boolean {
    for (const entry of this._entries.values()) if (entry.pending) return true
    return false
  }

  remove(id: string): void {
    this._entries.get(id)?.li.remove()
    this._entries.delete(id)
  }

  /** The comment a reply to `id` is attached to: itself, or at the server's depth limit its parent, so the reply lands flat. */
  replyParent(id: string): string {
    const entry = this._entries.get(id)
    return entry && entry.depth >= this._maxDepth - 1 && entry.parentId ? entry.parentId : id
  }

  private _render(c: Comment, pending: boolean): HTMLLIElement {
    // dir=auto: a reader's name and words keep their own direction (Arabic on an English page, and back).
    const name = isWebUrl(c.url)
      ? h('a', { class: 'parley-author', href: c.url, rel: 'nofollow ugc noopener', dir: 'auto' }, c.author)
      : h('span', { class: 'parley-author', dir: 'auto' }, c.author)
    // A reply the site posted from its moderator console: marked, like WordPress themes mark the post's author.
    const badge = c.byModerator === true && h('span', { class: 'parley-badge' }, this._t('authorBadge'))
    const when = this._dates.say(c.createdAt)
    const time = h('time', { datetime: c.createdAt, title: when.full || null }, when.shown)
    const body = h('div', { class: 'parley-body', dir: 'auto' })
    body.append(safeHtml(c.html))
    let reply: HTMLAnchorElement | null = null
    if (!pending) {
      const link = h(
        'a',
        { class: 'parley-reply', href: `#${this._respondId}`, 'aria-label': this._t('replyTo', { name: c.author }) },
        this._t('reply'),
      )
      link.addEventListener('click', (event) => {
        event.preventDefault()
        this._onReply(c.id, c.author, link)
      })
      reply = link
    }
    return h(
      'li',
      {
        class: c.byModerator === true ? 'parley-comment parley-by-moderator' : 'parley-comment',
        id: `comment-${c.id}`,
        'data-pending': pending ? 'true' : null,
        tabindex: -1,
      },
      h(
        'article',
        { 'aria-label': c.author },
        isWebUrl(c.avatar) && h('img', { class: 'parley-avatar', src: c.avatar, alt: '', width: 40, height: 40, loading: 'lazy' }),
        h('div', { class: 'parley-meta' }, name, badge, h('a', { class: 'parley-date', href: `#comment-${c.id}` }, time)),
        pending && h('em', { class: 'parley-moderation' }, this._t('awaiting')),
        body,
        reply && h('div', {}, reply),
      ),
    )
  }
}
