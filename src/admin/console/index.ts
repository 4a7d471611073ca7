import type { AdminCommentAnswer, ModeratorAnswer } from '../../api/answers.js'
import { api, isUnauthorized, messageOf, onUnauthorized, token, TOKEN_KEY } from './api.js'
import { editArticlePage, loadArticle, saveArticlePage, toggleArticle } from './article.js'
import { byId, say } from './dom.js'
import { act, filterArticle, filterReason, loadCounts, loadList, move, render, report, targets, toggle, undo } from './queue.js'
import { setCurrent, state } from './state.js'
import { loadEmailFailures, loadWebhookFailures } from './webhooks.js'

// The moderator console's script (served as /admin/console.js, built by scripts/build-embed.mjs): sign-in, the
// keyboard, and the wiring of the page's controls. Comment text reaches the page as text, or as the server's escaped
// `html` rebuilt by the embed's safeHtml; nothing the server sends is set as innerHTML.

const input = (id: string) => byId<HTMLInputElement>(id)

function signOut(message: string): void {
  sessionStorage.removeItem(TOKEN_KEY)
  byId('queue').hidden = true
  byId('tabs').hidden = true
  byId('signout').hidden = true
  byId('signin').hidden = false
  byId('signin-error').textContent = message
  byId('token').focus()
}

/** The signed-in moderator and the name their replies carry (set per moderator token). */
async function loadMe(): Promise<void> {
  try {
    showMe(await api<ModeratorAnswer>('GET', '/me'))
  } catch {
    // Without it, replies are offered as "the site": nothing else depends on it.
  }
}

function showMe(me: ModeratorAnswer): void {
  state.me = me
  byId('me').textContent = `Replies as ${me.displayName}`
  byId('me').hidden = false
}

const KEYS: Record<string, () => void> = {
  j: () => move(1),
  k: () => move(-1),
  x: () => {
    const c = state.items[state.current]
    if (c) toggle(c.id)
  },
  a: () => void act(targets(), 'approved'),
  s: () => void act(targets(), 'spam'),
  t: () => void act(targets(), 'trash'),
  u: () => void undo(),
  o: () => {
    const c = state.items[state.current]
    if (state.article) void filterArticle('')
    else if (c) void filterArticle(c.article)
  },
  c: () => {
    if (state.article) void toggleArticle()
    else say('Choose an article first (o, or the Article field).')
  },
  r: () => byId('reason').focus(),
}

function onKey(e: KeyboardEvent): void {
  if (byId('queue').hidden || e.ctrlKey || e.metaKey || e.altKey) return
  if (byId<HTMLDialogElement>('confirm-delete').open) return
  const t = e.target
  if (t instanceof HTMLInputElement ? t.type !== 'checkbox' : t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return
  const f = KEYS[e.key]
  if (f) {
    e.preventDefault()
    f()
  }
}

/** Signed in: the queue, its counts and article bar, the failure notices; #comment-ID in the URL puts the cursor there. */
async function start(): Promise<void> {
  byId('signin').hidden = true
  byId('queue').hidden = false
  byId('tabs').hidden = false
  byId('signout').hidden = false
  const focus = /^#comment-(\d+)$/.exec(location.hash)
  void loadWebhookFailures()
  void loadEmailFailures()
  void loadMe()
  try {
    await Promise.all([loadCounts(), loadList(false), loadArticle()])
    const id = focus?.[1]
    if (!id) return
    const at = state.items.findIndex((c) => c.id === id)
    if (at < 0) state.items.unshift(await api<AdminCommentAnswer>('GET', `/comments/${id}`))
    setCurrent(Math.max(at, 0))
    render()
  } catch (e) {
    if (!isUnauthorized(e)) say(`Could not load: ${messageOf(e)}`)
  }
}

/** Runs `task` after `ms` of quiet (each call starts the wait again): typing searches once, when it pauses. */
function debounced(ms: number, task: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  return () => {
    clearTimeout(timer)
    timer = setTimeout(task, ms)
  }
}

function wireAccount(): void {
  byId('signin').addEventListener('submit', (e) => {
    e.preventDefault()
    sessionStorage.setItem(TOKEN_KEY, input('token').value.trim())
    input('token').value = ''
    void start()
  })
  byId('signout').addEventListener('click', () => signOut(''))
  byId('me').addEventListener('click', () => {
    const open = byId('me-form').hidden
    byId('me-form').hidden = !open
    byId('me').setAttribute('aria-expanded', String(open))
    if (open) {
      input('display-name').value = state.me ? state.me.displayName : ''
      input('display-name').focus()
    }
  })
  byId('me-cancel').addEventListener('click', () => {
    byId('me-form').hidden = true
    byId('me').setAttribute('aria-expanded', 'false')
    byId('me').focus()
  })
  byId('me-form').addEventListener('submit', (e) => {
    e.preventDefault()
    api<ModeratorAnswer>('PUT', '/me', { displayName: input('display-name').value })
      .then((me) => {
        showMe(me)
        byId('me-form').hidden = true
        byId('me').setAttribute('aria-expanded', 'false')
        say(`Your replies are now signed “${me.displayName}”.`)
        render()
      })
      .catch(report('Not saved'))
  })
}

function wireQueue(): void {
  byId('status').tabIndex = -1 // focusable from script: where focus goes when the element it was on goes away
  byId('more').addEventListener('click', () => void loadList(true))
  byId('sort').addEventListener('change', () => {
    state.sort = byId<HTMLSelectElement>('sort').value
    void loadList(false)
  })
  byId('reason').addEventListener('change', () => void filterReason(byId<HTMLSelectElement>('reason').value))
  const search = debounced(250, () => {
    state.q = input('search').value.trim()
    void loadList(false)
  })
  byId('search').addEventListener('input', search)
  byId('article').addEventListener(
    'input',
    debounced(250, () => void filterArticle(input('article').value.trim())),
  )
  byId('article-toggle').addEventListener('click', () => void toggleArticle())
  byId('article-clear').addEventListener('click', () => {
    void filterArticle('')
    byId('article').focus()
  })
  byId('article-edit').addEventListener('click', editArticlePage)
  byId('article-page-form').addEventListener('submit', (e) => {
    e.preventDefault()
    void saveArticlePage(render)
  })
  byId('article-page-cancel').addEventListener('click', () => {
    byId('article-page-form').hidden = true
    byId('article-edit').focus()
  })
  byId('select-all').addEventListener('change', () => {
    if (input('select-all').checked) state.items.forEach((c) => state.selected.add(c.id))
    else state.selected.clear()
    render()
  })
  byId('bulk-clear').addEventListener('click', () => {
    state.selected.clear()
    render()
  })
  document.querySelectorAll<HTMLElement>('[data-bulk]').forEach((b) => {
    const what = b.getAttribute('data-bulk')
    if (what === 'approved' || what === 'spam' || what === 'trash' || what === 'restore' || what === 'delete') {
      b.addEventListener('click', () => void act(Array.from(state.selected), what))
    }
  })
}

onUnauthorized(signOut)
document.addEventListener('keydown', onKey)
document.addEventListener('DOMContentLoaded', () => {
  wireAccount()
  wireQueue()
  if (token()) void start()
  else signOut('')
})
