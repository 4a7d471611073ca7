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
  const words = await loadStrings(base, pickLanguage(container.dataset.lang, document.documentElement.lang))
  // data-author-badge: the site's own word for its replies' badge (the language's "Author" otherwise).
  const badge = container.dataset.authorBadge?.trim().slice(0, 40)
  const t: Translate = Object.assign(
    (key: Parameters<Translate>[0], vars?: Parameters<Translate>[1]) => (key === 'authorBadge' && badge ? badge : words(key, vars)),
    { lang: words.lang, dir: words.dir },
  )
  void new Widget(container, base, t)._start()
}

// Members named _x are the bundle's own: the build shortens them (esbuild's mangleProps), the host page never sees them.
class Widget {
  private _cursor: string | null = null
  private _formToken: string | undefined
  // A closed article keeps its comments and loses the form (and the Reply links, by CSS).
  private _closed = false
  private _total = 0
  private _opener: HTMLElement | null = null
  private _article: string
  private _pageSize: number
  private _count: HTMLElement
  private _status: HTMLElement
  private _more: HTMLButtonElement
  private _closedNotice: HTMLElement
  private _root: HTMLElement
  private _form: ReplyForm
  private _thread: Thread

  constructor(
    container: HTMLElement,
    private _base: string,
    private _t: Translate,
  ) {
    const uid = `parley-${++mounted}`
    const theme = container.dataset.theme
    this._article = articleKey(container)
    this._pageSize = Number(container.dataset.pageSize) || 0
    if (!document.getElementById('parley-style')) document.head.append(h('style', { id: 'parley-style' }, css))
    this._count = h('h2', { id: `${uid}-count` })
    this._status = h('p', { class: 'parley-loading', role: 'status' }, _t('loading'))
    this._more = h('button', { type: 'button', class: 'parley-more', hidden: true }, _t('loadMore'))
    this._closedNotice = h('p', { class: 'parley-closed' }, _t('closedNotice'))
    this._root = h(
      'section',
      {
        class: 'parley',
        'aria-labelledby': `${uid}-count`,
        lang: _t.lang,
        dir: _t.dir,
        'data-theme': theme === 'light' || theme === 'dark' ? theme : null,
      },
      this._count,
      this._status,
    )
    this._form = new ReplyForm({
      t: _t,
      uid,
      base: _base,
      article: this._article,
      formToken: () => this._formToken,
      onPosted: (comment, token) => this._posted(comment, token),
      onCancel: () => this._home(true),
    })
    this._thread = new Thread(_t, Number(container.dataset.maxDepth) || 5, this._form.el.id, (id, author, link) => {
      this._opener = link
      link.closest('article')?.after(this._form.el)
      this._form.replyTo(this._thread.replyParent(id), author)
    })
    this._root.append(this._thread.list, this._more, this._form.el)
    container.replaceChildren(this._root)
    this._more.addEventListener('click', () => void this._load())
  }

  async _start(): Promise<void> {
    const count = this._count
    await this._load()
    count.hidden = !count.textContent
    await this._restorePending()
    if (count.textContent) this._showCount()
    // Back from a form posted without JavaScript (see README): Parley's 303 ends in #parley-pending, whatever was decided.
    if (location.hash === '#parley-pending') this._status.textContent = this._t('posted')
    await this._reveal()
    addEventListener('hashchange', () => void this._reveal())
  }

  /** The reader's own comments still held: shown (marked pending) until a moderator has decided. */
  private async _restorePending(): Promise<void> {
    for (const own of pendingFor(this._base, this._article)) {
      if (this._thread.has(own.id, true)) continue
      // Ask whether a moderator has decided; on any failure keep showing the copy.
      const decided = own.token
        ? await fetchStatus(this._base, own.id, own.token).then(
            (s) => s.status !== 'pending',
            () => false,
          )
        : false
      if (decided) forget(this._base, own.id)
      else this._thread.add(own, true)
    }
  }

  private _posted(comment: Comment, token?: string): void {
    const pending = comment.status !== 'approved'
    if (pending) remember(this._base, comment, token)
    const li = this._thread.add(comment, pending)
    this._showCount()
    this._home()
    li.scrollIntoView({ block: 'nearest' })
    li.focus({ preventScroll: true })
  }

  // The form moves under the comment being answered, as on WordPress, and back to the end when done.
  private _home(refocus = false): void {
    this._form.replyTo(null)
    this._root.append(this._closed ? this._closedNotice : this._form.el)
    if (refocus) this._opener?.focus()
    this._opener = null
  }

  // "No comments yet" above the reader's own pending comment would contradict it: then no heading.
  private _showCount(): void {
    const total = this._total
    this._count.textContent = total === 0 ? this._t('count0') : this._t('count', { n: total })
    this._count.hidden = total === 0 && this._thread.hasPending()
  }

  private async _load(): Promise<void> {
    const more = this._more
    more.disabled = true
    try {
      const page = await fetchPage(this._base, this._article, this._cursor, this._pageSize)
      this._formToken ??= page.formToken
      if (page.notify) this._form.offerNotify()
      for (const comment of page.comments) {
        this._thread.add(comment)
        forget(this._base, comment.id)
      }
      this._cursor = page.nextCursor
      this._total = page.total
      this._showCount()
      this._status.textContent = ''
      if (page.closed && !this._closed) {
        this._closed = true
        this._root.dataset.closed = ''
        this._form.el.replaceWith(this._closedNotice)
      }
    } catch {
      this._status.textContent = this._t('loadFailed')
    }
    more.disabled = false
    more.hidden = !this._cursor
  }

  // A #comment-ID link, also on a long thread: fetch pages until the comment is there (a bounded number).
  private async _reveal(): Promise<void> {
    const target = /^#comment-\d+$/.test(location.hash) ? location.hash.slice(1) : ''
    for (let i = 0; target && !document.getElementById(target) && this._cursor && i < 20; i++) await this._load()
    const el = target && this._root.querySelector(`[id="${target}"]`)
    if (!el) return
    this._root.querySelector('.parley-target')?.classList.remove('parley-target')
    el.classList.add('parley-target')
    el.scrollIntoView()
  }
}
