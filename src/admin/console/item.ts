import type { ReplyAnswer } from '../../api/answers.js'
import { api, isUnauthorized, messageOf } from './api.js'
import { h, on, safeHtml, say } from './dom.js'
import { articleHref, state, type AdminComment } from './state.js'
import { historyWords, reasonFilter, reasonWords, type Action } from './words.js'

/** What a comment's row can ask the console to do. */
export type ItemHandlers = {
  act: (ids: string[], what: Action) => void
  toggle: (id: string) => void
  filterReason: (reason: string) => void
  filterArticle: (key: string) => void
  openReply: (id: string) => void
  closeReply: (id: string) => void
  /** After a reply is posted: reload, the cursor on the comment replied to. */
  refresh: (preferId?: string) => Promise<unknown>
  select: (row: number) => void
}

function chips(c: AdminComment, handlers: ItemHandlers): HTMLElement {
  const box = h('div', { class: 'chips' }, h('span', { class: 'chip status' }, c.status))
  if (c.byModerator) box.append(h('span', { class: 'chip mine' }, 'reply from the site'))
  for (const r of c.reasons) {
    const f = reasonFilter(r)
    const attrs = { type: 'button', class: 'chip', 'data-reason': r, 'aria-pressed': String(state.reason === f) }
    const chip = h('button', { ...attrs, title: `${r} · show only comments with this reason` }, reasonWords(r, state.minSeconds))
    box.append(on(chip, 'click', () => handlers.filterReason(state.reason === f ? '' : f)))
  }
  if (c.spamScore !== null) {
    const high = c.spamScore >= state.threshold
    const title = high ? `At or above the spam threshold (${state.threshold})` : `Below the spam threshold (${state.threshold})`
    box.append(h('span', { class: `chip score${high ? ' high' : ''}`, title }, `spam score ${c.spamScore.toFixed(2)}`))
  }
  return box
}

function actions(c: AdminComment, handlers: ItemHandlers): HTMLElement {
  const box = h('div', { class: 'actions' })
  const removed = c.status === 'spam' || c.status === 'trash'
  const buttons: Array<[Action, string]> = removed ? [['restore', 'Restore']] : []
  for (const b of [
    ['approved', 'Approve'],
    ['spam', 'Spam'],
    ['trash', 'Trash'],
  ] as const)
    if (b[0] !== c.status) buttons.push([...b])
  for (const [what, label] of buttons) {
    const button = h('button', { type: 'button', 'data-action': what, 'aria-label': `${label} comment ${c.id} by ${c.author}` }, label)
    box.append(on(button, 'click', () => handlers.act([c.id], what)))
  }
  const replyLabel = c.status === 'approved' ? 'Reply' : 'Approve and reply'
  const reply = h(
    'button',
    {
      type: 'button',
      'data-action': 'reply',
      'aria-expanded': String(state.replyOpen === c.id),
      'aria-label': `${replyLabel} to comment ${c.id} by ${c.author}`,
    },
    replyLabel,
  )
  box.append(on(reply, 'click', () => handlers.openReply(c.id)))
  // Deleting cannot be undone: offered only for what is already in spam or trash, set apart, and confirmed.
  if (removed) {
    const attrs = { type: 'button', class: 'danger apart', 'data-action': 'delete', 'aria-label': `Delete comment ${c.id} by ${c.author} for good` }
    box.append(on(h('button', attrs, 'Delete for good…'), 'click', () => handlers.act([c.id], 'delete')))
  }
  return box
}

/** Where the comment was left: the article's title (or key), linked to the comment on its page, and its author's history. */
function context(c: AdminComment, handlers: ItemHandlers): HTMLElement {
  const page = state.articles[c.article] ?? { title: null, url: null }
  const href = page.url || articleHref(c.article)
  const link = href ? `${href}#comment-${c.id}` : null
  const title = page.title
    ? link
      ? h('a', { class: 'article-title', href: link, target: '_blank', rel: 'noopener' }, page.title)
      : h('span', { class: 'article-title' }, page.title)
    : null
  const key =
    link && !page.title
      ? h('a', { class: 'article', href: link, target: '_blank', rel: 'noopener' }, c.article)
      : h('span', { class: 'article' }, c.article)
  const only = state.article
    ? null
    : on(
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            'data-filter-article': '',
            'aria-label': `Show only comments on ${c.article}, and whether it takes comments`,
          },
          'only this article',
        ),
        'click',
        () => handlers.filterArticle(c.article),
      )
  const history = historyWords(state.history[c.id])
  return h('div', { class: 'context' }, title, key, only, history ? h('span', { class: 'history' }, history) : null)
}

/** One comment of the queue, as built from the moderator's answer: text as text, the server's HTML through safeHtml. */
export function commentItem(c: AdminComment, i: number, handlers: ItemHandlers): HTMLLIElement {
  const box = h('input', { type: 'checkbox', 'aria-label': `Select comment ${c.id} by ${c.author}` })
  box.checked = state.selected.has(c.id)
  on(box, 'change', () => handlers.toggle(c.id))
  // The server's escaped rendering, rebuilt keeping only text, paragraphs, line breaks and web links.
  const body = h('div', { class: 'body' }, safeHtml(c.html))
  const meta = h(
    'div',
    { class: 'meta' },
    h('span', { class: 'author' }, c.author),
    h('span', { class: 'email' }, c.email),
    c.url ? h('a', { href: c.url, rel: 'nofollow noopener noreferrer', target: '_blank' }, c.url) : null,
    h('time', { datetime: c.createdAt }, new Date(c.createdAt).toLocaleString()),
    c.ip ? h('span', {}, c.ip) : null,
    h('span', { class: 'id' }, `#${c.id}`),
  )
  const classes = `item${i === state.current ? ' current' : ''}${state.selected.has(c.id) ? ' selected' : ''}`
  const li = h(
    'li',
    { class: classes, id: `comment-${c.id}`, 'data-id': c.id },
    h('div', { class: 'side' }, h('label', { class: 'pick' }, box), h('img', { src: c.avatar, alt: '', width: '40', height: '40' })),
    meta,
    context(c, handlers),
    body,
    chips(c, handlers),
    actions(c, handlers),
    state.replyOpen === c.id ? replyForm(c, handlers) : null,
  )
  return on(li, 'click', (e) => {
    if (e.target === li) handlers.select(i)
  })
}

/** The reply field under a comment: posts as the signed-in moderator, published at once (approving a held comment first). */
function replyForm(c: AdminComment, handlers: ItemHandlers): HTMLFormElement {
  const approve = c.status !== 'approved'
  const who = state.me ? state.me.displayName : 'the site'
  const text = h('textarea', { id: `reply-${c.id}`, class: 'reply-text', rows: '4', required: true })
  text.value = state.replyDraft
  on(text, 'input', () => (state.replyDraft = text.value))
  const error = h('p', { class: 'error', role: 'alert' })
  const submit = h('button', { type: 'submit', class: 'big' }, approve ? 'Approve and post reply' : 'Post reply')
  const cancel = on(h('button', { type: 'button', class: 'quiet' }, 'Cancel'), 'click', () => handlers.closeReply(c.id))
  const note = `${approve ? `Approves comment ${c.id}, then publishes` : 'Publishes'} your reply under it at once, marked as the site’s.`
  const form = h(
    'form',
    { class: 'reply', 'data-reply-to': c.id },
    h('label', { for: `reply-${c.id}` }, `Reply to ${c.author} as ${who}`),
    text,
    h('p', { class: 'muted note' }, note),
    error,
    h('div', { class: 'reply-actions' }, submit, cancel),
  )
  on(text, 'keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault()
      form.requestSubmit()
    }
  })
  on(form, 'submit', (e) => {
    e.preventDefault()
    const content = text.value.trim()
    if (!content) {
      error.textContent = 'Write your reply first.'
      text.focus()
      return
    }
    submit.disabled = true
    api<ReplyAnswer>('POST', `/comments/${c.id}/reply`, { content, approve })
      .then((res) => {
        state.replyOpen = null
        state.replyDraft = ''
        const first = approve ? `, and comment ${c.id} was approved first.` : '.'
        say(`Replied to comment ${c.id} (${c.author}) as ${res.comment.author}: reply #${res.comment.id} is published under it${first}`)
        return handlers.refresh(c.id)
      })
      .catch((err: unknown) => {
        submit.disabled = false
        if (!isUnauthorized(err)) error.textContent = `Not posted: ${messageOf(err)}`
      })
  })
  return form
}
