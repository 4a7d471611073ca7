/**
 * The console's browser script: plain ES2020, kept as a string so Node and the Worker serve it
 * without a build step. Comment text reaches the page only as the server's escaped `html`
 * field; everything else goes in through textContent.
 */
export const consoleJs = String.raw`(function () {
  'use strict'
  var TOKEN_KEY = 'parley.moderatorToken'
  var STATUSES = ['pending', 'approved', 'spam', 'trash']
  var LABELS = { pending: 'Pending', approved: 'Approved', spam: 'Spam', trash: 'Trash' }
  var state = { status: 'pending', q: '', article: '', reason: '', sort: 'newest', items: [], cursor: null, current: 0, currentId: null, selected: new Set(), undo: [], site: null, articleInfo: null, webhookUpTo: null,
    busy: false, articles: {}, history: {}, threshold: 1, minSeconds: 0, me: null, replyOpen: null, replyDraft: '' }
  var $ = function (id) { return document.getElementById(id) }

  function token() { return sessionStorage.getItem(TOKEN_KEY) }

  function api(method, path, body) {
    var init = { method: method, headers: { Authorization: 'Bearer ' + token() } }
    if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body) }
    return fetch('/api/admin' + path, init).then(function (res) {
      if (res.status === 401) { signOut('Your token was refused. Sign in again.'); throw new Error('unauthorized') }
      if (res.status === 204) return null
      return res.json().then(function (data) {
        if (!res.ok) { var err = new Error((data && data.error && data.error.message) || ('HTTP ' + res.status)); err.status = res.status; throw err }
        return data
      })
    })
  }

  function el(tag, props, children) {
    var node = document.createElement(tag)
    if (props) Object.keys(props).forEach(function (k) {
      if (k === 'text') node.textContent = props[k]
      else if (k === 'className') node.className = props[k]
      else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), props[k])
      else node.setAttribute(k, props[k])
    })
    ;(children || []).forEach(function (c) { if (c) node.appendChild(c) })
    return node
  }

  function say(text) { $('status').textContent = text }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY)
    $('queue').hidden = true; $('tabs').hidden = true; $('signout').hidden = true
    $('signin').hidden = false
    $('signin-error').textContent = message || ''
    $('token').focus()
  }

  function articleHref(key) {
    if (/^https?:\/\//.test(key)) return key
    if (state.site && key.charAt(0) === '/') return state.site + key
    return null
  }

  function loadCounts() {
    return api('GET', '/stats').then(function (data) {
      state.site = data.site || null
      if (typeof data.spamThreshold === 'number') state.threshold = data.spamThreshold
      if (typeof data.formTokenMinSeconds === 'number') state.minSeconds = data.formTokenMinSeconds
      var tabs = $('tabs')
      tabs.textContent = ''
      STATUSES.forEach(function (s) {
        tabs.appendChild(el('button', {
          type: 'button', 'data-status': s, 'aria-current': String(s === state.status),
          text: LABELS[s] + ' ' + data.counts[s],
          onclick: function () { state.status = s; state.replyOpen = null; loadCounts(); loadList(false) },
        }))
      })
    })
  }

  /** The signed-in moderator and the name their replies carry (set per moderator token). */
  function loadMe() {
    return api('GET', '/me').then(function (me) {
      state.me = me
      $('me').textContent = 'Replies as ' + me.displayName
      $('me').hidden = false
    }, function () {})
  }

  function loadList(more, keepId) {
    var params = new URLSearchParams({ status: state.status, sort: state.sort, limit: '50' })
    if (state.q) params.set('q', state.q)
    if (state.article) params.set('article', state.article)
    if (state.reason) params.set('reason', state.reason)
    if (more && state.cursor) params.set('cursor', state.cursor)
    var fallback = state.current
    return api('GET', '/comments?' + params.toString()).then(function (data) {
      if (!more) { state.items = []; state.selected.clear(); state.articles = {}; state.history = {} }
      state.items = state.items.concat(data.comments)
      Object.assign(state.articles, data.articles || {})
      Object.assign(state.history, data.history || {})
      state.cursor = data.nextCursor
      if (!more) placeCursor(keepId, fallback)
      render()
      // The empty-queue line is apart from the status line: a reload never wipes what the last action said.
      $('empty').hidden = state.items.length > 0
      $('empty').textContent = state.article || state.reason || state.q ? 'Nothing here with these filters.' : 'Nothing here.'
    })
  }

  /**
   * The cursor follows comments, not row numbers: on the comment asked for (the one an undo restored), else on the
   * one it was on, else (that one left the list) on the row that took its place.
   */
  function placeCursor(preferId, fallback) {
    var find = function (id) { return id ? state.items.findIndex(function (c) { return c.id === id }) : -1 }
    var at = find(preferId)
    if (at < 0) at = find(state.currentId)
    if (at < 0) at = Math.min(fallback || 0, Math.max(state.items.length - 1, 0))
    setCurrent(at)
  }

  function setCurrent(i) {
    state.current = i
    state.currentId = state.items[i] ? state.items[i].id : null
  }

  function render() {
    var list = $('list')
    var typing = document.activeElement && document.activeElement.classList.contains('reply-text')
    list.textContent = ''
    state.items.forEach(function (c, i) { list.appendChild(item(c, i)) })
    $('more').hidden = !state.cursor
    var n = state.selected.size
    $('selection').textContent = n ? n + ' selected' : ''
    $('select-all').checked = state.items.length > 0 && n === state.items.length
    // The bulk bar only with a selection; Restore and Delete only where they mean something (spam, trash).
    $('bulk').hidden = n === 0
    $('bulk-count').textContent = n ? n + (n === 1 ? ' comment' : ' comments') + ' selected (' + Array.from(state.selected).map(function (id) { return '#' + id }).join(', ') + '):' : ''
    var removed = state.status === 'spam' || state.status === 'trash'
    document.querySelectorAll('[data-bulk="restore"], [data-bulk="delete"]').forEach(function (b) { b.hidden = !removed })
    document.querySelectorAll('[data-bulk="' + state.status + '"]').forEach(function (b) { b.hidden = true })
    document.querySelectorAll('[data-bulk="approved"], [data-bulk="spam"], [data-bulk="trash"]').forEach(function (b) { if (b.getAttribute('data-bulk') !== state.status) b.hidden = false })
    if (typing && state.replyOpen) { var t = $('reply-' + state.replyOpen); if (t) t.focus() }
  }

  /** A reason in words a person reads; the raw reason stays on hover (title). */
  function reasonWords(r) {
    var at = r.indexOf(':')
    var name = at < 0 ? r : r.slice(0, at)
    var value = at < 0 ? '' : r.slice(at + 1)
    switch (name) {
      case 'links': return value === '1' ? '1 link' : value + ' links'
      case 'too_fast': return 'posted less than ' + state.minSeconds + ' s after the form loaded'
      case 'no_form_token': return 'not sent from the comment form'
      case 'bad_form_token': return 'form expired or tampered with'
      case 'honeypot': return 'filled the field hidden from people (a bot)'
      case 'profanity': return 'profanity'
      case 'moderation_word': return 'held word “' + value + '”'
      case 'disallowed_word': return 'disallowed word “' + value + '”'
      case 'spam_score': return 'looks like spam (' + value + ')'
      default: return r.replace(/_/g, ' ')
    }
  }

  function historyWords(h) {
    if (!h) return null
    var parts = []
    ;['approved', 'pending', 'spam', 'trash'].forEach(function (s) { if (h[s]) parts.push(h[s] + ' ' + (s === 'pending' ? 'other pending' : s)) })
    return parts.length ? 'Author’s history: ' + parts.join(' · ') : 'First comment from this address'
  }

  function item(c, i) {
    var page = state.articles[c.article] || {}
    var href = page.url || articleHref(c.article)
    var box = el('input', { type: 'checkbox', 'aria-label': 'Select comment ' + c.id + ' by ' + c.author, onchange: function () { toggle(c.id) } })
    box.checked = state.selected.has(c.id)
    var body = el('div', { className: 'body' })
    body.innerHTML = c.html // the server's escaped rendering: no markup from the commenter survives in it
    var chips = el('div', { className: 'chips' }, [el('span', { className: 'chip status', text: c.status })])
    if (c.byModerator) chips.appendChild(el('span', { className: 'chip mine', text: 'reply from the site' }))
    ;(c.reasons || []).forEach(function (r) {
      var f = reasonFilter(r)
      chips.appendChild(el('button', { type: 'button', className: 'chip', text: reasonWords(r), 'data-reason': r, 'aria-pressed': String(state.reason === f),
        title: r + ' · show only comments with this reason', onclick: function () { filterReason(state.reason === f ? '' : f) } }))
    })
    if (c.spamScore !== null && c.spamScore !== undefined) {
      var high = c.spamScore >= state.threshold
      chips.appendChild(el('span', { className: 'chip score' + (high ? ' high' : ''), text: 'spam score ' + c.spamScore.toFixed(2),
        title: high ? 'At or above the spam threshold (' + state.threshold + ')' : 'Below the spam threshold (' + state.threshold + ')' }))
    }
    var actions = el('div', { className: 'actions' })
    var buttons = c.status === 'spam' || c.status === 'trash' ? [['restore', 'Restore']] : []
    ;[['approved', 'Approve'], ['spam', 'Spam'], ['trash', 'Trash']].forEach(function (b) { if (b[0] !== c.status) buttons.push(b) })
    buttons.forEach(function (b) {
      actions.appendChild(el('button', { type: 'button', 'data-action': b[0], text: b[1], 'aria-label': b[1] + ' comment ' + c.id + ' by ' + c.author, onclick: function () { act([c.id], b[0]) } }))
    })
    var replyLabel = c.status === 'approved' ? 'Reply' : 'Approve and reply'
    actions.appendChild(el('button', { type: 'button', 'data-action': 'reply', text: replyLabel, 'aria-expanded': String(state.replyOpen === c.id),
      'aria-label': replyLabel + ' to comment ' + c.id + ' by ' + c.author, onclick: function () { openReply(c.id) } }))
    // Deleting cannot be undone: offered only for what is already in spam or trash, set apart, and confirmed.
    if (c.status === 'spam' || c.status === 'trash') {
      actions.appendChild(el('button', { type: 'button', className: 'danger apart', 'data-action': 'delete', text: 'Delete for good…',
        'aria-label': 'Delete comment ' + c.id + ' by ' + c.author + ' for good', onclick: function () { act([c.id], 'delete') } }))
    }
    var history = historyWords(state.history[c.id])
    var li = el('li', { className: 'item' + (i === state.current ? ' current' : '') + (state.selected.has(c.id) ? ' selected' : ''), id: 'comment-' + c.id, 'data-id': c.id }, [
      el('div', { className: 'side' }, [el('label', { className: 'pick' }, [box]), el('img', { src: c.avatar, alt: '', width: '40', height: '40' })]),
      el('div', { className: 'meta' }, [
        el('span', { className: 'author', text: c.author }),
        el('span', { className: 'email', text: c.email }),
        c.url ? el('a', { href: c.url, rel: 'nofollow noopener noreferrer', target: '_blank', text: c.url }) : null,
        el('time', { datetime: c.createdAt, text: new Date(c.createdAt).toLocaleString() }),
        c.ip ? el('span', { text: c.ip }) : null,
        el('span', { className: 'id', text: '#' + c.id }),
      ]),
      el('div', { className: 'context' }, [
        page.title ? (href ? el('a', { className: 'article-title', href: href + '#comment-' + c.id, target: '_blank', rel: 'noopener', text: page.title }) : el('span', { className: 'article-title', text: page.title })) : null,
        href && !page.title ? el('a', { className: 'article', href: href + '#comment-' + c.id, target: '_blank', rel: 'noopener', text: c.article }) : el('span', { className: 'article', text: c.article }),
        state.article ? null : el('button', { type: 'button', className: 'link', 'data-filter-article': '', text: 'only this article',
          'aria-label': 'Show only comments on ' + c.article + ', and whether it takes comments', onclick: function () { filterArticle(c.article) } }),
        history ? el('span', { className: 'history', text: history }) : null,
      ]),
      body, chips, actions,
      state.replyOpen === c.id ? replyForm(c) : null,
    ])
    li.addEventListener('click', function (e) { if (e.target === li) { setCurrent(i); render() } })
    return li
  }

  /** The reply field under a comment: posts as the signed-in moderator, published at once (approving a held comment first). */
  function replyForm(c) {
    var approve = c.status !== 'approved'
    var who = state.me ? state.me.displayName : 'the site'
    var text = el('textarea', { id: 'reply-' + c.id, className: 'reply-text', rows: '4', required: '',
      oninput: function (e) { state.replyDraft = e.target.value } })
    text.value = state.replyDraft
    var error = el('p', { className: 'error', role: 'alert' })
    var submit = el('button', { type: 'submit', className: 'big', text: approve ? 'Approve and post reply' : 'Post reply' })
    var form = el('form', { className: 'reply', 'data-reply-to': c.id }, [
      el('label', { for: 'reply-' + c.id, text: 'Reply to ' + c.author + ' as ' + who }),
      text,
      el('p', { className: 'muted note', text: (approve ? 'Approves comment ' + c.id + ', then publishes' : 'Publishes') + ' your reply under it at once, marked as the site’s.' }),
      error,
      el('div', { className: 'reply-actions' }, [submit, el('button', { type: 'button', className: 'quiet', text: 'Cancel', onclick: function () { closeReply(c.id) } })]),
    ])
    text.addEventListener('keydown', function (e) { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit() } })
    form.addEventListener('submit', function (e) {
      e.preventDefault()
      var content = text.value.trim()
      if (!content) { error.textContent = 'Write your reply first.'; text.focus(); return }
      submit.disabled = true
      api('POST', '/comments/' + c.id + '/reply', { content: content, approve: approve }).then(function (res) {
        state.replyOpen = null
        state.replyDraft = ''
        say('Replied to comment ' + c.id + ' (' + c.author + ') as ' + res.comment.author + ': reply #' + res.comment.id + ' is published under it' + (approve ? ', and comment ' + c.id + ' was approved first.' : '.'))
        return refresh(c.id)
      }).catch(function (err) {
        submit.disabled = false
        if (err.message !== 'unauthorized') error.textContent = 'Not posted: ' + err.message
      })
    })
    return form
  }

  function openReply(id) {
    if (state.replyOpen !== id) state.replyDraft = ''
    state.replyOpen = id
    var at = state.items.findIndex(function (c) { return c.id === id })
    if (at >= 0) setCurrent(at)
    render()
    var t = $('reply-' + id)
    if (t) t.focus()
  }

  function closeReply(id) {
    state.replyOpen = null
    state.replyDraft = ''
    render()
    var back = document.querySelector('#comment-' + id + ' [data-action="reply"]')
    if (back) back.focus()
  }

  function toggle(id) {
    if (state.selected.has(id)) state.selected.delete(id); else state.selected.add(id)
    render()
  }

  var DONE = { approved: 'approved', spam: 'marked as spam', trash: 'moved to trash', restore: 'restored', pending: 'put back in pending', delete: 'deleted for good' }

  /** "comment 12 (Ada)" or "3 comments: #12 (Ada), #13 (Sam), #14 (Bot)": every message names what it acted on. */
  function named(ids, names) {
    var each = ids.map(function (id) { return '#' + id + (names[id] ? ' (' + names[id] + ')' : '') })
    return ids.length === 1 ? 'Comment ' + each[0] : ids.length + ' comments: ' + each.join(', ')
  }

  /**
   * Applies a decision to exactly these ids (what the moderator had selected, or the comment under the cursor when
   * the key was pressed), remembers each one's status first so u can take it back, and names them in the status line.
   * One action at a time: keys pressed while one is in flight are refused, never applied to whatever the list shows then.
   */
  function act(ids, what) {
    if (!ids.length) { say('Nothing to act on: select comments (x) or move the cursor to one.'); return Promise.resolve() }
    if (state.busy) { say('Still working on the last action; try again in a moment.'); return Promise.resolve() }
    if (what === 'delete') return confirmDelete(ids)
    var before = {}
    var names = {}
    state.items.forEach(function (c) { if (ids.indexOf(c.id) >= 0) { before[c.id] = c.status; names[c.id] = c.author } })
    var body = what === 'restore' ? { ids: ids, action: what } : { ids: ids, status: what }
    state.busy = true
    return api('POST', '/comments/bulk', body).then(function (res) {
      var done = (res.comments || []).map(function (c) { return c.id })
      if (done.length) state.undo.push({ statuses: before, names: names })
      var skipped = (res.skipped || []).concat(res.notFound || [])
      say(done.length ? named(done, names) + ' ' + DONE[what] + '. Press u to undo.' + (skipped.length ? ' Not changed: ' + named(skipped, names) + '.' : '') : 'Nothing changed.')
      return refresh()
    }).catch(function (e) { say('Failed: ' + e.message) }).then(function () { state.busy = false })
  }

  /** Delete asks first, in the page, naming every comment; Cancel has the focus, and Escape cancels. */
  function confirmDelete(ids) {
    var dialog = $('confirm-delete')
    var shown = state.items.filter(function (c) { return ids.indexOf(c.id) >= 0 })
    var n = ids.length
    var many = n === 1 ? 'this comment' : 'these ' + n + ' comments'
    $('confirm-title').textContent = 'Delete ' + many + ' for good?'
    $('confirm-go').textContent = 'Delete ' + (n === 1 ? '1 comment' : n + ' comments') + ' for good'
    var list = $('confirm-list')
    list.textContent = ''
    shown.forEach(function (c) {
      var excerpt = c.content.length > 90 ? c.content.slice(0, 90) + '…' : c.content
      list.appendChild(el('li', { 'data-id': c.id }, [el('strong', { text: '#' + c.id + ' ' + c.author }), el('span', { text: ' · ' + c.status + ' · “' + excerpt + '”' })]))
    })
    return new Promise(function (resolve) {
      dialog.addEventListener('close', function onClose() {
        dialog.removeEventListener('close', onClose)
        if (dialog.returnValue !== 'delete') { say('Nothing deleted.'); resolve(); return }
        var names = {}
        shown.forEach(function (c) { names[c.id] = c.author })
        state.busy = true
        api('POST', '/comments/bulk', { ids: ids, action: 'delete' }).then(function (res) {
          say(named(res.deleted || [], names) + ' deleted for good.' + ((res.notFound || []).length ? ' Already gone: ' + named(res.notFound, names) + '.' : ''))
          return refresh()
        }).catch(function (e) { say('Failed: ' + e.message) }).then(function () { state.busy = false; resolve() })
      })
      dialog.returnValue = ''
      dialog.showModal()
    })
  }

  function undo() {
    if (state.busy) { say('Still working on the last action; try again in a moment.'); return }
    var last = state.undo.pop()
    if (!last) { say('Nothing to undo.'); return }
    if (last.article !== undefined) {
      setArticle(last.article, last.closed, true).catch(function (e) { say('Undo failed: ' + e.message) })
      return
    }
    var before = last.statuses
    var ids = Object.keys(before)
    var byStatus = {}
    ids.forEach(function (id) { (byStatus[before[id]] = byStatus[before[id]] || []).push(id) })
    state.busy = true
    Promise.all(Object.keys(byStatus).map(function (s) { return api('POST', '/comments/bulk', { ids: byStatus[s], status: s }) }))
      .then(function () {
        say('Undone: ' + named(ids, last.names || {}) + ' back to ' + ids.map(function (id) { return before[id] }).filter(function (s, i, all) { return all.indexOf(s) === i }).join(', ') + '.')
        // The cursor goes to the comment the undo restored, not to the row number it was on.
        return refresh(ids[0])
      })
      .catch(function (e) { say('Undo failed: ' + e.message) })
      .then(function () { state.busy = false })
  }

  /** A reason chip filters by its name when its value is a number (links:3, spam_score:0.91), else by itself (moderation_word:casino). */
  function reasonFilter(r) { return /^[a-z_]+:[0-9.]+$/.test(r) ? r.slice(0, r.indexOf(':')) : r }

  function filterReason(value) {
    var select = $('reason')
    if (value && !Array.prototype.some.call(select.options, function (o) { return o.value === value })) {
      select.appendChild(el('option', { value: value, text: value }))
    }
    select.value = value
    state.reason = value
    return loadList(false)
  }

  function filterArticle(key) {
    state.article = key
    $('article').value = key
    return Promise.all([loadList(false), loadArticle()])
  }

  /** The article bar: whether the filtered article takes comments, and the button that closes or reopens it. */
  function loadArticle() {
    var key = state.article
    $('article-bar').hidden = !key
    // The title editor closes when the article changes, not on every reload (a refresh would shut it mid-typing).
    if (!key) { $('article-page-form').hidden = true; state.articleInfo = null; return Promise.resolve() }
    if (!state.articleInfo || state.articleInfo.article !== key) {
      $('article-page-form').hidden = true
      state.articleInfo = null
      $('article-key').textContent = key
      $('article-state').textContent = 'Loading…'
      $('article-toggle').textContent = 'Close comments'
      $('article-toggle').disabled = true
    }
    return api('GET', '/articles?' + new URLSearchParams({ article: key }).toString()).then(showArticle, function (e) {
      if (e.status === 404) showArticle({ article: key, closed: false, closedAt: null, approvedCount: 0, unknown: true })
      else if (e.message !== 'unauthorized' && key === state.article) $('article-state').textContent = 'Could not load: ' + e.message
    })
  }

  function showArticle(a) {
    if (a.article !== state.article) return // an answer for a key typed over since
    state.articleInfo = a
    var when = a.closedAt ? new Date(a.closedAt).toLocaleString() : ''
    var text = a.closed ? 'Comments closed since ' + when : a.closedAt ? 'Comments open; they close automatically ' + when : 'Comments open'
    text += a.unknown ? ' · no comments yet' : ' · ' + a.approvedCount + ' approved'
    $('article-state').textContent = text
    $('article-bar').setAttribute('data-closed', String(a.closed))
    $('article-toggle').textContent = a.closed ? 'Reopen comments' : 'Close comments'
    $('article-toggle').disabled = false
    $('article-edit').hidden = !!a.unknown
  }

  /** The article's page title and link, as moderators name it (PATCH /api/admin/articles). */
  function editArticlePage() {
    var page = state.articles[state.article] || {}
    $('article-title-input').value = page.title || ''
    $('article-url-input').value = page.url || ''
    $('article-page-form').hidden = false
    $('article-title-input').focus()
  }

  function saveArticlePage(e) {
    e.preventDefault()
    var key = state.article
    var title = $('article-title-input').value.trim()
    var url = $('article-url-input').value.trim()
    api('PATCH', '/articles', { article: key, title: title || null, url: url || null }).then(function (page) {
      state.articles[key] = { title: page.title, url: page.url }
      $('article-page-form').hidden = true
      say('The article ' + key + ' is now shown as ' + (page.title ? '“' + page.title + '”' : 'its key') + (page.url ? ', linking to ' + page.url : ', without a link') + '.')
      render()
    }).catch(function (err) { if (err.message !== 'unauthorized') say('Not saved: ' + err.message) })
  }

  /** Closes (close=true) or reopens an article's comments; u undoes it like a decision on comments. */
  function setArticle(key, close, isUndo) {
    return api('POST', close ? '/articles/close' : '/articles/reopen', { article: key }).then(function (a) {
      if (!isUndo) state.undo.push({ article: key, closed: !close })
      if (key === state.article) showArticle(a)
      say('Comments on ' + key + (close ? ' closed' : ' reopened') + (isUndo ? ': undone.' : '. Press u to undo.'))
    })
  }

  function toggleArticle() {
    var a = state.articleInfo
    if (!a || $('article-toggle').disabled) return
    $('article-toggle').disabled = true
    setArticle(a.article, !a.closed, false)
      .catch(function (e) { say('Failed: ' + e.message) })
      .then(function () { $('article-toggle').disabled = false })
  }

  /**
   * Webhook deliveries that failed for good: a notice above the queue, the latest ones inside it, each with
   * Resend and Dismiss, and Dismiss all. focus: after an action, { at: row, kind: 'resend'|'dismiss'|'all' }, so the
   * keyboard stays where it was (on the same button of the row that took the acted-on row's place, or Dismiss all);
   * once the notice is gone, on the status line that says what happened, not on <body>.
   */
  function loadWebhookFailures(focus) {
    return api('GET', '/webhooks/failed?limit=20').then(showWebhookFailures, function (e) {
      if (e.message !== 'unauthorized') $('webhooks').hidden = true
    }).then(function () {
      webhookBusy(false)
      if (!focus) return
      var rows = $('webhooks-list').children
      var row = rows[Math.min(focus.at, rows.length - 1)]
      var target = $('webhooks').hidden ? $('status') : focus.kind === 'all' ? $('webhooks-dismiss-all') : row && row.querySelector('[data-webhook="' + focus.kind + '"]')
      if (target) target.focus()
    })
  }

  /** Email given up after its retries (issue 18): a one-line notice; GET/POST/DELETE /api/admin/email/failed act on them. */
  function loadEmailFailures() {
    return api('GET', '/email/failed').then(function (data) {
      var list = data.failures
      $('email-failed').hidden = list.length === 0
      if (!list.length) return
      var d = list[0]
      $('email-failed').textContent = list.length + (list.length === 1 ? ' email' : ' emails') + ' could not be delivered. Latest: ' +
        d.kind + (d.commentId ? ' (comment ' + d.commentId + ')' : '') + ', ' + d.error + ', ' + d.attempts + ' attempts. Retry or dismiss: /api/admin/email/failed.'
    }, function () { $('email-failed').hidden = true })
  }

  function showWebhookFailures(data) {
    var list = data.deliveries
    $('webhooks').hidden = list.length === 0
    if (!list.length) return
    // Newest id first: Dismiss all dismisses up to this one, not failures recorded after the list was loaded.
    state.webhookUpTo = list[0].id
    var n = list.length + (data.nextCursor ? '+' : '')
    // Newest by id is the newest failure, unless an older one was resent and failed again since.
    var latest = list.reduce(function (a, d) { return d.failedAt > a.failedAt ? d : a })
    $('webhooks-summary').textContent = n + (list.length === 1 && !data.nextCursor ? ' webhook delivery' : ' webhook deliveries') +
      ' failed (kept 30 days). Latest: ' + new Date(latest.failedAt).toLocaleString() + ', ' + failure(latest)
    var ol = $('webhooks-list')
    ol.textContent = ''
    list.forEach(function (d) {
      var about = d.commentId ? 'the delivery for comment ' + d.commentId : 'this delivery'
      ol.appendChild(el('li', { 'data-failure': d.id }, [
        el('span', { className: 'what', text: new Date(d.failedAt).toLocaleString() + ' · ' + d.event + (d.commentId ? ' (comment ' + d.commentId + ')' : '') + ' · ' + failure(d) }),
        el('button', { type: 'button', 'data-webhook': 'resend', text: 'Resend', 'aria-label': 'Resend ' + about, onclick: function (e) { resendWebhook(d, e.currentTarget) } }),
        el('button', { type: 'button', 'data-webhook': 'dismiss', text: 'Dismiss', 'aria-label': 'Dismiss ' + about, onclick: function (e) { dismissWebhook(d, e.currentTarget) } }),
      ]))
    })
    if (!$('webhooks-dismiss-all')) {
      $('webhooks').appendChild(el('p', { className: 'tools' }, [
        el('button', { type: 'button', id: 'webhooks-dismiss-all', className: 'danger', text: 'Dismiss all', onclick: dismissAllWebhooks }),
      ]))
    }
  }

  function focusOf(button) {
    return { at: Array.prototype.indexOf.call($('webhooks-list').children, button.closest('li')), kind: button.getAttribute('data-webhook') }
  }

  function webhookBusy(busy) {
    $('webhooks').querySelectorAll('button').forEach(function (b) { b.disabled = busy })
  }

  /** Builds the delivery again from the comment as it is now and sends it (the server waits for its retries, up to 25 s). */
  function resendWebhook(d, button) {
    var focus = focusOf(button)
    var about = d.commentId ? ' for comment ' + d.commentId : ''
    webhookBusy(true)
    button.textContent = 'Resending…'
    say('Resending the webhook' + about + '…')
    return api('POST', '/webhooks/failed/' + d.id + '/resend').then(function (res) {
      if (res.delivered) say('Delivered: the webhook' + about + ' went through' + (res.attempts > 1 ? ' after ' + res.attempts + ' attempts.' : '.'))
      else say('Resend failed: ' + failure({ error: res.error, status: res.status, attempts: res.attempts, target: res.failure ? res.failure.target : 'the receiver' }) + '. It stays listed.')
    }, function (e) { if (e.message !== 'unauthorized') say('Could not resend: ' + e.message) })
      .then(function () { return loadWebhookFailures(focus) })
  }

  function dismissWebhook(d, button) {
    var focus = focusOf(button)
    webhookBusy(true)
    return api('DELETE', '/webhooks/failed/' + d.id).then(function () {
      say('Dismissed the failed webhook' + (d.commentId ? ' for comment ' + d.commentId : '') + '.')
    }, function (e) { if (e.message !== 'unauthorized') say('Failed: ' + e.message) })
      .then(function () { return loadWebhookFailures(focus) })
  }

  function dismissAllWebhooks() {
    if (!confirm('Dismiss every failed webhook delivery? Nothing is sent; they are no longer listed.')) return Promise.resolve()
    webhookBusy(true)
    var done = false
    return api('DELETE', '/webhooks/failed?upTo=' + state.webhookUpTo).then(function () {
      done = true
      say('Dismissed every failed webhook delivery.')
    }, function (e) { if (e.message !== 'unauthorized') say('Failed: ' + e.message) })
      .then(function () { return loadWebhookFailures({ at: 0, kind: 'all' }) })
      .then(function () { if (done && !$('webhooks').hidden) say('Dismissed the failed webhook deliveries you saw; newer ones failed meanwhile and are listed.') })
  }

  function failure(d) {
    var what = d.error === 'timeout' ? 'no answer in time' : d.error === 'network' ? 'network error' : 'HTTP ' + d.status
    return what + ' from ' + d.target + ' after ' + d.attempts + (d.attempts === 1 ? ' attempt' : ' attempts')
  }

  /** Reloads counts, the list and the article bar; the cursor stays on its comment (or goes to preferId). */
  function refresh(preferId) {
    return Promise.all([loadCounts(), loadList(false, preferId), loadArticle()])
  }

  /** What a key acts on: the selection, else the comment under the cursor, by id, as it is shown now. */
  function targets() {
    if (state.selected.size) return Array.from(state.selected)
    var c = state.items[state.current]
    return c ? [c.id] : []
  }

  function move(delta) {
    if (!state.items.length) return
    setCurrent(Math.max(0, Math.min(state.items.length - 1, state.current + delta)))
    render()
    var node = $('list').children[state.current]
    if (node && node.scrollIntoView) node.scrollIntoView({ block: 'nearest' })
  }

  document.addEventListener('keydown', function (e) {
    if ($('queue').hidden || e.ctrlKey || e.metaKey || e.altKey) return
    if ($('confirm-delete').open) return
    var t = e.target
    if (t && (t.tagName === 'INPUT' && t.type !== 'checkbox' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return
    var keys = { j: function () { move(1) }, k: function () { move(-1) },
      x: function () { var c = state.items[state.current]; if (c) toggle(c.id) },
      a: function () { act(targets(), 'approved') }, s: function () { act(targets(), 'spam') },
      t: function () { act(targets(), 'trash') }, u: undo,
      o: function () { var c = state.items[state.current]; if (state.article) filterArticle(''); else if (c) filterArticle(c.article) },
      c: function () { if (state.article) toggleArticle(); else say('Choose an article first (o, or the Article field).') },
      r: function () { $('reason').focus() } }
    var f = keys[e.key]
    if (f) { e.preventDefault(); f() }
  })

  function start() {
    $('signin').hidden = true
    $('queue').hidden = false; $('tabs').hidden = false; $('signout').hidden = false
    var focus = /^#comment-(\d+)$/.exec(location.hash)
    loadWebhookFailures()
    loadEmailFailures()
    loadMe()
    Promise.all([loadCounts(), loadList(false), loadArticle()]).then(function () {
      if (!focus) return
      var id = focus[1]
      var at = state.items.findIndex(function (c) { return c.id === id })
      if (at >= 0) { setCurrent(at); render(); return }
      return api('GET', '/comments/' + id).then(function (c) { state.items.unshift(c); setCurrent(0); render() })
    }).catch(function (e) { if (e.message !== 'unauthorized') say('Could not load: ' + e.message) })
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('signin').addEventListener('submit', function (e) {
      e.preventDefault()
      sessionStorage.setItem(TOKEN_KEY, $('token').value.trim())
      $('token').value = ''
      start()
    })
    $('signout').addEventListener('click', function () { signOut('') })
    $('me').addEventListener('click', function () {
      var open = $('me-form').hidden
      $('me-form').hidden = !open
      $('me').setAttribute('aria-expanded', String(open))
      if (open) { $('display-name').value = state.me ? state.me.displayName : ''; $('display-name').focus() }
    })
    $('me-cancel').addEventListener('click', function () { $('me-form').hidden = true; $('me').setAttribute('aria-expanded', 'false'); $('me').focus() })
    $('me-form').addEventListener('submit', function (e) {
      e.preventDefault()
      api('PUT', '/me', { displayName: $('display-name').value }).then(function (me) {
        state.me = me
        $('me').textContent = 'Replies as ' + me.displayName
        $('me-form').hidden = true
        $('me').setAttribute('aria-expanded', 'false')
        say('Your replies are now signed “' + me.displayName + '”.')
        render()
      }).catch(function (err) { if (err.message !== 'unauthorized') say('Not saved: ' + err.message) })
    })
    $('status').tabIndex = -1 // focusable from script: where focus goes when the element it was on goes away
    $('more').addEventListener('click', function () { loadList(true) })
    $('sort').addEventListener('change', function () { state.sort = $('sort').value; loadList(false) })
    $('reason').addEventListener('change', function () { filterReason($('reason').value) })
    var timer = null
    $('search').addEventListener('input', function () {
      clearTimeout(timer)
      timer = setTimeout(function () { state.q = $('search').value.trim(); loadList(false) }, 250)
    })
    var articleTimer = null
    $('article').addEventListener('input', function () {
      clearTimeout(articleTimer)
      articleTimer = setTimeout(function () { filterArticle($('article').value.trim()) }, 250)
    })
    $('article-toggle').addEventListener('click', toggleArticle)
    $('article-clear').addEventListener('click', function () { filterArticle(''); $('article').focus() })
    $('article-edit').addEventListener('click', editArticlePage)
    $('article-page-form').addEventListener('submit', saveArticlePage)
    $('article-page-cancel').addEventListener('click', function () { $('article-page-form').hidden = true; $('article-edit').focus() })
    $('select-all').addEventListener('change', function () {
      if ($('select-all').checked) state.items.forEach(function (c) { state.selected.add(c.id) }); else state.selected.clear()
      render()
    })
    $('bulk-clear').addEventListener('click', function () { state.selected.clear(); render() })
    document.querySelectorAll('[data-bulk]').forEach(function (b) {
      b.addEventListener('click', function () { act(Array.from(state.selected), b.getAttribute('data-bulk')) })
    })
    if (token()) start(); else signOut('')
  })
})()
`
