import { fetchPage, fetchStatus, type Comment } from './api.js'
import { h } from './dom.js'
import { ReplyForm } from './form.js'
import { forget, pendingFor, remember } from './pending.js'
import { strings } from './strings.js'
import { css } from './styles.js'
import { Thread } from './thread.js'

let mounted = 0

/** The article a container belongs to: data-article, else the page's canonical URL path. */
function articleKey(container: HTMLElement): string {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel=canonical]')?.href
  const fallback = canonical ? new URL(canonical, location.href).pathname : location.pathname
  return (container.dataset.article?.trim() || fallback).slice(0, 512)
}

/** Puts Parley's comments and form into a container of the host page. */
export function mount(container: HTMLElement, base: string): void {
  const uid = `parley-${++mounted}`
  const lang = container.dataset.lang ?? ''
  const t = strings(lang || 'en')
  const article = articleKey(container)
  if (!document.getElementById('parley-style')) document.head.append(h('style', { id: 'parley-style' }, css))

  let cursor: string | null = null
  let formToken: string | undefined
  const theme = container.dataset.theme
  const pageSize = Number(container.dataset.pageSize) || 0
  const count = h('h2', { id: `${uid}-count` })
  const status = h('p', { class: 'parley-loading', role: 'status' }, t('loading'))
  const more = h('button', { type: 'button', class: 'parley-more', hidden: true }, t('loadMore'))
  const root = h(
    'section',
    { class: 'parley', 'aria-labelledby': `${uid}-count`, lang: lang || null, 'data-theme': theme === 'light' || theme === 'dark' ? theme : null },
    count,
    status,
  )

  const form: ReplyForm = new ReplyForm({
    t,
    uid,
    base,
    article,
    formToken: () => formToken,
    lang,
    onPosted: (comment, token) => {
      const pending = comment.status !== 'approved'
      if (pending) remember(base, comment, token)
      const li = thread.add(comment, pending)
      home()
      li.scrollIntoView({ block: 'nearest' })
      li.focus({ preventScroll: true })
    },
    onCancel: () => home(true),
  })
  let opener: HTMLElement | null = null
  // The form moves under the comment being answered, as on WordPress, and back to the end when done.
  const home = (refocus = false) => {
    form.replyTo(null)
    root.append(form.el)
    if (refocus) opener?.focus()
    opener = null
  }
  const thread = new Thread(t, lang, Number(container.dataset.maxDepth) || 5, form.el.id, (id, author, link) => {
    opener = link
    link.closest('article')?.after(form.el)
    form.replyTo(thread.replyParent(id), author)
  })
  root.append(thread.list, more, form.el)
  container.replaceChildren(root)

  const show = (comments: Comment[]) => {
    for (const comment of comments) {
      thread.add(comment)
      forget(base, comment.id)
    }
  }
  const load = async (): Promise<void> => {
    more.disabled = true
    try {
      const page = await fetchPage(base, article, cursor, pageSize)
      formToken ??= page.formToken
      if (page.notify) form.offerNotify()
      show(page.comments)
      cursor = page.nextCursor
      count.textContent = page.total === 0 ? t('count0') : page.total === 1 ? t('count1') : t('countN', { n: page.total })
      status.textContent = ''
    } catch {
      status.textContent = t('loadFailed')
    }
    more.disabled = false
    more.hidden = !cursor
  }
  more.addEventListener('click', () => void load())

  void (async () => {
    await load()
    count.hidden = !count.textContent
    for (const own of pendingFor(base, article)) {
      if (thread.has(own.id, true)) continue
      // Ask whether a moderator has decided; on any failure keep showing the copy.
      const decided = own.token ? await fetchStatus(base, own.id, own.token).then((s) => s.status !== 'pending', () => false) : false
      if (decided) forget(base, own.id)
      else thread.add(own, true)
    }
    await reveal()
    addEventListener('hashchange', () => void reveal())
  })()

  // A #comment-ID link, also on a long thread: fetch pages until the comment is there (a bounded number).
  async function reveal(): Promise<void> {
    const target = /^#comment-\d+$/.test(location.hash) ? location.hash.slice(1) : ''
    for (let i = 0; target && !document.getElementById(target) && cursor && i < 20; i++) await load()
    const el = target && root.querySelector(`[id="${target}"]`)
    if (!el) return
    root.querySelector('.parley-target')?.classList.remove('parley-target')
    el.classList.add('parley-target')
    el.scrollIntoView()
  }
}
