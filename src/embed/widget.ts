import { fetchPage, fetchStatus, type Comment } from './api.js'
import { h } from './dom.js'
import { ReplyForm } from './form.js'
import { forget, pendingFor, remember } from './pending.js'
import { loadStrings, pickLanguage, type Translate } from './strings.js'
import { css } from './styles.js'
import { Thread } from './thread.js'

let mounted = 0

/** The article a container belongs to: data-article, else the page's canonical URL path. */
function articleKey(container: HTMLElement): string {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel=canonical]')?.href
  const fallback = canonical ? new URL(canonical, location.href).pathname : location.pathname
  return (container.dataset.article?.trim() || fallback).slice(0, 512)
}

/** Puts Parley's comments and form into a container of the host page, in its language (data-lang, else <html lang>). */
export async function mount(container: HTMLElement, base: string): Promise<void> {
  const uid = `parley-${++mounted}`
  const words = await loadStrings(base, pickLanguage(container.dataset.lang, document.documentElement.lang))
  // data-author-badge: the site's own word for its replies' badge (the language's "Author" otherwise).
  const badge = container.dataset.authorBadge?.trim().slice(0, 40)
  const t: Translate = Object.assign(
    (key: Parameters<Translate>[0], vars?: Parameters<Translate>[1]) => (key === 'authorBadge' && badge ? badge : words(key, vars)),
    { lang: words.lang, dir: words.dir },
  )
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
    {
      class: 'parley',
      'aria-labelledby': `${uid}-count`,
      lang: t.lang,
      dir: t.dir,
      'data-theme': theme === 'light' || theme === 'dark' ? theme : null,
    },
    count,
    status,
  )

  const form: ReplyForm = new ReplyForm({
    t,
    uid,
    base,
    article,
    formToken: () => formToken,
    onPosted: (comment, token) => {
      const pending = comment.status !== 'approved'
      if (pending) remember(base, comment, token)
      const li = thread.add(comment, pending)
      showCount()
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
    root.append(closed ? closedNotice : form.el)
    if (refocus) opener?.focus()
    opener = null
  }
  const thread = new Thread(t, Number(container.dataset.maxDepth) || 5, form.el.id, (id, author, link) => {
    opener = link
    link.closest('article')?.after(form.el)
    form.replyTo(thread.replyParent(id), author)
  })
  root.append(thread.list, more, form.el)
  container.replaceChildren(root)

  // A closed article keeps its comments and loses the form (and the Reply links, by CSS).
  let closed = false
  const closedNotice = h('p', { class: 'parley-closed' }, t('closedNotice'))
  let total = 0
  // "No comments yet" above the reader's own pending comment would contradict it: then no heading.
  const showCount = () => {
    count.textContent = total === 0 ? t('count0') : t('count', { n: total })
    count.hidden = total === 0 && thread.hasPending()
  }
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
      total = page.total
      showCount()
      status.textContent = ''
      if (page.closed && !closed) {
        closed = true
        root.dataset.closed = ''
        form.el.replaceWith(closedNotice)
      }
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
      const decided = own.token
        ? await fetchStatus(base, own.id, own.token).then(
            (s) => s.status !== 'pending',
            () => false,
          )
        : false
      if (decided) forget(base, own.id)
      else thread.add(own, true)
    }
    if (count.textContent) showCount()
    // Back from a form posted without JavaScript (see README): Parley's 303 ends in #parley-pending, whatever was decided.
    if (location.hash === '#parley-pending') status.textContent = t('posted')
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
