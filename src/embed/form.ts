import { ApiError, postComment, type Comment } from './api.js'
import { h } from './dom.js'
import type { Strings, Translate } from './strings.js'

type FieldName = 'author' | 'email' | 'url' | 'content'
type Field = { input: HTMLInputElement | HTMLTextAreaElement; error: HTMLElement; describedBy: string }

export type FormOptions = {
  t: Translate
  uid: string
  base: string
  article: string
  formToken: () => string | undefined
  onPosted: (comment: Comment, statusToken?: string) => void
  onCancel: () => void
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** The page the comment is posted from, named for moderators: its title, and its canonical URL (else its own). */
function pageContext(): { pageTitle?: string; pageUrl: string } {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel=canonical]')?.href
  const url = new URL(canonical || location.href, location.href)
  url.hash = ''
  const title = document.title.trim()
  return { ...(title ? { pageTitle: title } : {}), pageUrl: url.href }
}

/** The "Leave a Reply" form: its fields, checks, messages and posting. Where it sits is the widget's business. */
export class ReplyForm {
  readonly el: HTMLElement
  private _form: HTMLFormElement
  private _fields = {} as Record<FieldName, Field>
  private _title: HTMLElement
  private _cancel: HTMLAnchorElement
  private _alert: HTMLElement
  private _status: HTMLElement
  private _button: HTMLButtonElement
  private _honeypot: HTMLInputElement
  private _notify: HTMLInputElement
  private _notifyRow: HTMLElement
  private _notifyNote: HTMLElement
  private _parentId: string | null = null

  constructor(private _o: FormOptions) {
    const { t, uid } = _o
    const notesId = `${uid}-notes`
    const field = (name: FieldName, label: keyof Strings, attrs: Record<string, string | number | boolean>, required: boolean, textarea = false) => {
      const id = `${uid}-${name}`
      const describedBy = name === 'email' ? notesId : ''
      const all = { id, name, required, 'aria-describedby': describedBy || null, ...attrs }
      const input = textarea ? h('textarea', all) : h('input', all)
      const error = h('span', { class: 'parley-field-error', id: `${id}-error` })
      this._fields[name] = { input, error, describedBy }
      const star = required && h('span', { class: 'parley-req', 'aria-hidden': 'true' }, '*')
      return h('p', { class: `parley-field-${name}` }, h('label', { for: id }, t(label), required ? ' ' : '', star), input, error)
    }

    this._title = h('span', { id: `${uid}-title` }, t('leaveReply'))
    this._cancel = h('a', { href: '#', hidden: true }, t('cancelReply'))
    this._cancel.addEventListener('click', (event) => {
      event.preventDefault()
      _o.onCancel()
    })
    this._alert = h('div', { class: 'parley-alert', role: 'alert', id: `${uid}-alert` })
    this._status = h('div', { class: 'parley-status parley-hp', role: 'status' })
    this._button = h('button', { type: 'submit', class: 'parley-submit' }, t('post'))
    this._honeypot = h('input', { id: `${uid}-website`, name: 'website', type: 'text', tabindex: -1, autocomplete: 'off' })
    // "Notify me of follow-up comments by email": off by default, shown once the server says it sends email.
    this._notify = h('input', { id: `${uid}-notify`, name: 'notify', type: 'checkbox' })
    this._notifyRow = h(
      'p',
      { class: 'parley-field-notify', hidden: true },
      this._notify,
      ' ',
      h('label', { for: `${uid}-notify` }, t('notifyLabel')),
    )
    this._notifyNote = h('p', { class: 'parley-notify-note', role: 'status' })
    this._form = h(
      'form',
      { novalidate: true, 'aria-labelledby': `${uid}-title` },
      h('p', { class: 'parley-notes', id: notesId }, t('privacy'), ' ', h('span', { class: 'parley-req' }, '*')),
      this._alert,
      field('author', 'name', { type: 'text', autocomplete: 'name', maxlength: 100 }, true),
      field('email', 'email', { type: 'email', autocomplete: 'email', maxlength: 254, spellcheck: 'false' }, true),
      field('url', 'website', { type: 'url', autocomplete: 'url', maxlength: 200, inputmode: 'url' }, false),
      field('content', 'comment', { rows: 6 }, true, true),
      // The honeypot: out of sight, out of the tab order and hidden from screen readers; bots fill it in.
      h('div', { class: 'parley-hp', 'aria-hidden': 'true' }, h('label', { for: `${uid}-website` }, t('honeypot')), this._honeypot),
      h('p', {}, this._button),
      this._notifyNote,
      this._status,
    )
    this._form.addEventListener('submit', (event) => {
      event.preventDefault()
      void this._submit()
    })
    // Ctrl+Enter (Cmd+Enter) in the comment posts it, as in most comment boxes.
    this._fields.content.input.addEventListener('keydown', (event) => {
      const e = event as KeyboardEvent
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) this._form.requestSubmit()
    })
    this.el = h('div', { class: 'parley-respond', id: `${uid}-respond` }, h('h3', {}, this._title, h('small', {}, this._cancel)), this._form)
  }

  /** The site sends email: offer the notify checkbox. */
  offerNotify(): void {
    // Put in only where the site sends email: a form without it holds no hidden field or label.
    if (!this._notifyRow.isConnected) this._button.parentElement?.before(this._notifyRow)
    this._notifyRow.hidden = false
  }

  /** Answer a comment (or, with null, the article); moves focus to the first field still to fill. */
  replyTo(parentId: string | null, name = ''): void {
    this._parentId = parentId
    this._title.textContent = parentId ? this._o.t('leaveReplyTo', { name }) : this._o.t('leaveReply')
    this._cancel.hidden = !parentId
    if (parentId) {
      const { author, email, content } = this._fields
      const next = [author, email].find((f) => !f.input.value.trim()) ?? content
      next.input.focus()
    }
  }

  private _value(name: FieldName): string {
    return this._fields[name].input.value.trim()
  }

  private _check(): Partial<Record<FieldName, string>> {
    const { t } = this._o
    const errors: Partial<Record<FieldName, string>> = {}
    const email = this._value('email')
    const url = this._value('url')
    if (!this._value('author')) errors.author = t('needName')
    if (!email) errors.email = t('needEmail')
    else if (!emailPattern.test(email)) errors.email = t('badEmail')
    if (url && !/^https?:\/\/[^\s/]+\.[^\s]*$/i.test(url)) errors.url = t('badUrl')
    if (!this._value('content')) errors.content = t('needComment')
    return errors
  }

  private _show(errors: Partial<Record<string, string>>, summary: string): void {
    let first: Field | undefined
    for (const [name, field] of Object.entries(this._fields) as [FieldName, Field][]) {
      const message = errors[name] ?? ''
      field.error.textContent = message
      field.input.setAttribute('aria-invalid', String(!!message))
      const ids = [field.describedBy, message && field.error.id].filter(Boolean).join(' ')
      if (ids) field.input.setAttribute('aria-describedby', ids)
      else field.input.removeAttribute('aria-describedby')
      if (message && !first) first = field
    }
    this._alert.textContent = summary
    first?.input.focus()
  }

  private async _submit(): Promise<void> {
    const { t } = this._o
    // "example.com" is what people type; the server wants a full web address.
    const url = this._fields.url.input
    if (url.value.trim() && !/^[a-z][a-z\d+.-]*:/i.test(url.value.trim())) url.value = `https://${url.value.trim()}`
    const errors = this._check()
    const missing = (['author', 'email', 'content'] as const).filter((f) => !this._value(f))
    if (Object.keys(errors).length > 0) {
      const labels = { author: t('name'), email: t('email'), content: t('comment') }
      const summary = missing.length
        ? // Labels in a sentence are lower case, but German nouns keep their capital.
          t('required', { fields: missing.map((f) => (t.lang === 'de' ? labels[f] : labels[f].toLocaleLowerCase(t.lang))).join(t('listSep')) })
        : Object.values(errors).join(' ')
      return this._show(errors, summary)
    }
    this._show({}, '')
    this._button.disabled = true
    this._button.textContent = t('posting')
    const parentId = this._parentId
    try {
      const { comment, statusToken } = await postComment(this._o.base, {
        article: this._o.article,
        ...(parentId ? { parentId } : {}),
        author: this._value('author'),
        email: this._value('email'),
        url: this._value('url'),
        content: this._value('content'),
        ...(this._o.formToken() ? { formToken: this._o.formToken() } : {}),
        website: this._honeypot.value,
        ...pageContext(),
        ...(this._notify.checked && !this._notifyRow.hidden ? { notify: true, lang: this._o.t.lang } : {}),
      })
      this._fields.content.input.value = ''
      this._status.textContent = comment.status === 'approved' ? t('published') : t('posted')
      this._notifyNote.textContent = this._notify.checked && !this._notifyRow.hidden ? t('notifyConfirm') : ''
      this._o.onPosted(comment, statusToken)
    } catch (error) {
      this._refused(error)
    } finally {
      this._button.disabled = false
      this._button.textContent = t('post')
    }
  }

  /** The server's refusal, in words: its field messages at their fields, the rest in the alert. */
  private _refused(error: unknown): void {
    const { t } = this._o
    if (!(error instanceof ApiError)) return this._show({}, t('failed'))
    const wait = error.retryAfter > 90 ? t('minutes', { n: Math.ceil(error.retryAfter / 60) }) : t('seconds', { n: error.retryAfter || 30 })
    const messages: Record<string, string> = {
      network: t('offline'),
      duplicate_comment: t('duplicate'),
      rate_limited: t('rateLimited', { wait }),
      comments_closed: t('closed'),
      parent_not_found: t('parentGone'),
    }
    if (error.code === 'validation_failed') return this._show(error.fields, error.message || t('failed'))
    this._show({}, messages[error.code] ?? t('failed'))
  }
}
