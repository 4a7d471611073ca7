import type { BulkAnswer, QueueAnswer, StatsAnswer } from '../../api/answers.js'
import { api, isUnauthorized, messageOf } from './api.js'
import { loadArticle, setArticle } from './article.js'
import { byId, h, on, say } from './dom.js'
import { commentItem, type ItemHandlers } from './item.js'
import { setCurrent, state, type AdminComment, type Status } from './state.js'
import { DONE, named, type Action } from './words.js'

// The queue: the status tabs, the list of comments, and the decisions on them (with undo).

const STATUSES = ['pending', 'approved', 'spam', 'trash'] as const
const LABELS: Record<Status, string> = { pending: 'Pending', approved: 'Approved', spam: 'Spam', trash: 'Trash' }

export async function loadCounts(): Promise<void> {
  const data = await api<StatsAnswer>('GET', '/stats')
  state.site = data.site || null
  state.threshold = data.spamThreshold
  state.minSeconds = data.formTokenMinSeconds
  const tabs = byId('tabs')
  tabs.textContent = ''
  for (const s of STATUSES) {
    const tab = h('button', { type: 'button', 'data-status': s, 'aria-current': String(s === state.status) }, `${LABELS[s]} ${data.counts[s]}`)
    tabs.append(
      on(tab, 'click', () => {
        state.status = s
        state.replyOpen = null
        void loadCounts()
        void loadList(false)
      }),
    )
  }
}

export async function loadList(more: boolean, keepId?: string): Promise<void> {
  const params = new URLSearchParams({ status: state.status, sort: state.sort, limit: '50' })
  if (state.q) params.set('q', state.q)
  if (state.article) params.set('article', state.article)
  if (state.reason) params.set('reason', state.reason)
  if (more && state.cursor) params.set('cursor', state.cursor)
  const fallback = state.current
  const data = await api<QueueAnswer>('GET', `/comments?${params.toString()}`)
  if (!more) {
    state.items = []
    state.selected.clear()
    state.articles = {}
    state.history = {}
  }
  state.items = state.items.concat(data.comments)
  Object.assign(state.articles, data.articles)
  Object.assign(state.history, data.history)
  state.cursor = data.nextCursor
  if (!more) placeCursor(keepId, fallback)
  render()
  // The empty-queue line is apart from the status line: a reload never wipes what the last action said.
  const empty = byId('empty')
  empty.hidden = state.items.length > 0
  empty.textContent = state.article || state.reason || state.q ? 'Nothing here with these filters.' : 'Nothing here.'
}

/**
 * The cursor follows comments, not row numbers: on the comment asked for (the one an undo restored), else on the
 * one it was on, else (that one left the list) on the row that took its place.
 */
function placeCursor(preferId: string | undefined, fallback: number): void {
  const find = (id: string | null | undefined) => (id ? state.items.findIndex((c) => c.id === id) : -1)
  let at = find(preferId)
  if (at < 0) at = find(state.currentId)
  if (at < 0) at = Math.min(fallback || 0, Math.max(state.items.length - 1, 0))
  setCurrent(at)
}

/** Reloads counts, the list and the article bar; the cursor stays on its comment (or goes to preferId). */
export function refresh(preferId?: string): Promise<unknown> {
  return Promise.all([loadCounts(), loadList(false, preferId), loadArticle()])
}

function showBulkBar(): void {
  const n = state.selected.size
  byId('selection').textContent = n ? `${n} selected` : ''
  byId<HTMLInputElement>('select-all').checked = state.items.length > 0 && n === state.items.length
  // The bulk bar only with a selection; Restore and Delete only where they mean something (spam, trash).
  byId('bulk').hidden = n === 0
  const ids = Array.from(state.selected, (id) => `#${id}`).join(', ')
  byId('bulk-count').textContent = n ? `${n}${n === 1 ? ' comment' : ' comments'} selected (${ids}):` : ''
  const removed = state.status === 'spam' || state.status === 'trash'
  for (const b of document.querySelectorAll<HTMLElement>('[data-bulk]')) {
    const what = b.getAttribute('data-bulk')
    if (what === 'restore' || what === 'delete') b.hidden = !removed
    else if (what === 'approved' || what === 'spam' || what === 'trash') b.hidden = what === state.status
  }
}

export function render(): void {
  const list = byId('list')
  const typing = document.activeElement?.classList.contains('reply-text')
  list.textContent = ''
  state.items.forEach((c, i) => list.append(commentItem(c, i, handlers)))
  byId('more').hidden = !state.cursor
  showBulkBar()
  if (typing && state.replyOpen) document.getElementById(`reply-${state.replyOpen}`)?.focus()
}

export function toggle(id: string): void {
  if (state.selected.has(id)) state.selected.delete(id)
  else state.selected.add(id)
  render()
}

function openReply(id: string): void {
  if (state.replyOpen !== id) state.replyDraft = ''
  state.replyOpen = id
  const at = state.items.findIndex((c) => c.id === id)
  if (at >= 0) setCurrent(at)
  render()
  document.getElementById(`reply-${id}`)?.focus()
}

function closeReply(id: string): void {
  state.replyOpen = null
  state.replyDraft = ''
  render()
  document.querySelector<HTMLElement>(`#comment-${id} [data-action="reply"]`)?.focus()
}

const namesOf = (comments: AdminComment[]) => Object.fromEntries(comments.map((c) => [c.id, c.author]))

/**
 * Applies a decision to exactly these ids (what the moderator had selected, or the comment under the cursor when
 * the key was pressed), remembers each one's status first so u can take it back, and names them in the status line.
 * One action at a time: keys pressed while one is in flight are refused, never applied to whatever the list shows then.
 */
export async function act(ids: string[], what: Action): Promise<void> {
  if (!ids.length) return say('Nothing to act on: select comments (x) or move the cursor to one.')
  if (state.busy) return say('Still working on the last action; try again in a moment.')
  if (what === 'delete') return confirmDelete(ids)
  const acted = state.items.filter((c) => ids.includes(c.id))
  const before = Object.fromEntries(acted.map((c) => [c.id, c.status]))
  const names = namesOf(acted)
  const body = what === 'restore' ? { ids, action: what } : { ids, status: what }
  state.busy = true
  try {
    const res = await api<BulkAnswer>('POST', '/comments/bulk', body)
    const done = res.comments.map((c) => c.id)
    if (done.length) state.undo.push({ statuses: before, names })
    const skipped = res.skipped.concat(res.notFound)
    const notChanged = skipped.length ? ` Not changed: ${named(skipped, names)}.` : ''
    say(done.length ? `${named(done, names)} ${DONE[what]}. Press u to undo.${notChanged}` : 'Nothing changed.')
    await refresh()
  } catch (e) {
    say(`Failed: ${messageOf(e)}`)
  }
  state.busy = false
}

/** Delete asks first, in the page, naming every comment; Cancel has the focus, and Escape cancels. */
function confirmDelete(ids: string[]): Promise<void> {
  const dialog = byId<HTMLDialogElement>('confirm-delete')
  const shown = state.items.filter((c) => ids.includes(c.id))
  const n = ids.length
  byId('confirm-title').textContent = `Delete ${n === 1 ? 'this comment' : `these ${n} comments`} for good?`
  byId('confirm-go').textContent = `Delete ${n === 1 ? '1 comment' : `${n} comments`} for good`
  const list = byId('confirm-list')
  list.textContent = ''
  for (const c of shown) {
    const excerpt = c.content.length > 90 ? `${c.content.slice(0, 90)}…` : c.content
    list.append(h('li', { 'data-id': c.id }, h('strong', {}, `#${c.id} ${c.author}`), h('span', {}, ` · ${c.status} · “${excerpt}”`)))
  }
  return new Promise((resolve) => {
    const onClose = () => {
      dialog.removeEventListener('close', onClose)
      if (dialog.returnValue !== 'delete') {
        say('Nothing deleted.')
        return resolve()
      }
      const names = namesOf(shown)
      state.busy = true
      api<BulkAnswer>('POST', '/comments/bulk', { ids, action: 'delete' })
        .then((res) => {
          const gone = res.notFound.length ? ` Already gone: ${named(res.notFound, names)}.` : ''
          say(`${named(res.deleted, names)} deleted for good.${gone}`)
          return refresh()
        })
        .catch((e: unknown) => say(`Failed: ${messageOf(e)}`))
        .finally(() => {
          state.busy = false
          resolve()
        })
    }
    dialog.addEventListener('close', onClose)
    dialog.returnValue = ''
    dialog.showModal()
  })
}

export async function undo(): Promise<void> {
  if (state.busy) return say('Still working on the last action; try again in a moment.')
  const last = state.undo.pop()
  if (!last) return say('Nothing to undo.')
  if ('article' in last) {
    return setArticle(last.article, last.closed, true).catch((e: unknown) => say(`Undo failed: ${messageOf(e)}`))
  }
  const before = last.statuses
  const ids = Object.keys(before)
  const byStatus = new Map<Status, string[]>()
  for (const id of ids) byStatus.set(before[id]!, [...(byStatus.get(before[id]!) ?? []), id])
  state.busy = true
  try {
    await Promise.all([...byStatus].map(([status, group]) => api<BulkAnswer>('POST', '/comments/bulk', { ids: group, status })))
    say(`Undone: ${named(ids, last.names)} back to ${[...new Set(ids.map((id) => before[id]))].join(', ')}.`)
    // The cursor goes to the comment the undo restored, not to the row number it was on.
    await refresh(ids[0])
  } catch (e) {
    say(`Undo failed: ${messageOf(e)}`)
  }
  state.busy = false
}

export async function filterReason(value: string): Promise<void> {
  const select = byId<HTMLSelectElement>('reason')
  if (value && !Array.from(select.options).some((o) => o.value === value)) select.append(h('option', { value }, value))
  select.value = value
  state.reason = value
  await loadList(false)
}

export async function filterArticle(key: string): Promise<void> {
  state.article = key
  byId<HTMLInputElement>('article').value = key
  await Promise.all([loadList(false), loadArticle()])
}

/** Moves the cursor by delta rows (j/k), keeping the current row in view. */
export function move(delta: number): void {
  if (!state.items.length) return
  setCurrent(Math.max(0, Math.min(state.items.length - 1, state.current + delta)))
  render()
  byId('list').children[state.current]?.scrollIntoView({ block: 'nearest' })
}

/** What a key acts on: the selection, else the comment under the cursor, by id, as it is shown now. */
export function targets(): string[] {
  if (state.selected.size) return Array.from(state.selected)
  const c = state.items[state.current]
  return c ? [c.id] : []
}

const handlers: ItemHandlers = {
  act: (ids, what) => void act(ids, what),
  toggle,
  filterReason: (reason) => void filterReason(reason),
  filterArticle: (key) => void filterArticle(key),
  openReply,
  closeReply,
  refresh,
  select: (row) => {
    setCurrent(row)
    render()
  },
}

/** Failures nobody else reports (the sign-in form tells of a refused token). */
export const report = (what: string) => (e: unknown) => {
  if (!isUnauthorized(e)) say(`${what}: ${messageOf(e)}`)
}
