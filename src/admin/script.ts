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
  var state = { status: 'pending', q: '', article: '', reason: '', sort: 'newest', items: [], cursor: null, current: 0, selected: new Set(), undo: [], site: null, articleInfo: null, webhookUpTo: null }
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
      var tabs = $('tabs')
      tabs.textContent = ''
      STATUSES.forEach(function (s) {
        tabs.appendChild(el('button', {
          type: 'button', 'data-status': s, 'aria-current': String(s === state.status),
          text: LABELS[s] + ' ' + data.counts[s],
          onclick: function () { state.status = s; loadCounts(); loadList(false) },
        }))
      })
    })
  }

  function loadList(more) {
    var params = new URLSearchParams({ status: state.status, sort: state.sort, limit: '50' })
    if (state.q) params.set('q', state.q)
    if (state.article) params.set('article', state.article)
    if (state.reason) params.set('reason', state.reason)
    if (more && state.cursor) params.set('cursor', state.cursor)
    return api('GET', '/comments?' + params.toString()).then(function (data) {
      if (!more) { state.items = []; state.current = 0; state.selected.clear() }
      state.items = state.items.concat(data.comments)
      state.cursor = data.nextCursor
      render()
      say(state.items.length ? '' : (state.article || state.reason || state.q ? 'Nothing here with these filters.' : 'Nothing here.'))
    })
  }

  function render() {
    var list = $('list')
    list.textContent = ''
    state.items.forEach(function (c, i) { list.appendChild(item(c, i)) })
    $('more').hidden = !state.cursor
    $('selection').textContent = state.selected.size ? state.selected.size + ' selected' : ''
    $('select-all').checked = state.items.length > 0 && state.selected.size === state.items.length
  }

  function item(c, i) {
    var href = articleHref(c.article)
    var box = el('input', { type: 'checkbox', 'aria-label': 'Select comment ' + c.id, onchange: function () { toggle(c.id) } })
    box.checked = state.selected.has(c.id)
    var body = el('div', { className: 'body' })
    body.innerHTML = c.html // the server's escaped rendering: no markup from the commenter survives in it
    var chips = el('div', { className: 'chips' }, [el('span', { className: 'chip status', text: c.status })])
    ;(c.reasons || []).forEach(function (r) {
      var f = reasonFilter(r)
      chips.appendChild(el('button', { type: 'button', className: 'chip', text: r, 'aria-pressed': String(state.reason === f),
        title: 'Show only comments with this reason', onclick: function () { filterReason(state.reason === f ? '' : f) } }))
    })
    if (c.spamScore !== null && c.spamScore !== undefined) chips.appendChild(el('span', { className: 'chip score', text: 'score ' + c.spamScore.toFixed(2) }))
    var actions = el('div', { className: 'actions' })
    var buttons = c.status === 'spam' || c.status === 'trash' ? [['restore', 'Restore']] : []
    ;[['approved', 'Approve'], ['spam', 'Spam'], ['trash', 'Trash']].forEach(function (b) { if (b[0] !== c.status) buttons.push(b) })
    buttons.push(['delete', 'Delete'])
    buttons.forEach(function (b) {
      actions.appendChild(el('button', { type: 'button', className: b[0] === 'delete' ? 'danger' : '', 'data-action': b[0], text: b[1], onclick: function () { act([c.id], b[0]) } }))
    })
    var li = el('li', { className: 'item' + (i === state.current ? ' current' : '') + (state.selected.has(c.id) ? ' selected' : ''), id: 'comment-' + c.id, 'data-id': c.id }, [
      el('div', {}, [box, el('img', { src: c.avatar, alt: '', width: '40', height: '40' })]),
      el('div', { className: 'meta' }, [
        el('span', { className: 'author', text: c.author }),
        el('span', { className: 'email', text: c.email }),
        c.url ? el('a', { href: c.url, rel: 'nofollow noopener noreferrer', target: '_blank', text: c.url }) : null,
        href ? el('a', { className: 'article', href: href + '#comment-' + c.id, target: '_blank', rel: 'noopener', text: c.article }) : el('span', { className: 'article', text: c.article }),
        state.article ? null : el('button', { type: 'button', className: 'link', 'data-filter-article': '', text: 'only this article',
          'aria-label': 'Show only comments on ' + c.article + ', and whether it takes comments', onclick: function () { filterArticle(c.article) } }),
        el('time', { datetime: c.createdAt, text: new Date(c.createdAt).toLocaleString() }),
        c.ip ? el('span', { text: c.ip }) : null,
      ]),
      body, chips, actions,
    ])
    li.addEventListener('click', function (e) { if (e.target === li) { state.current = i; render() } })
    return li
  }

  function toggle(id) {
    if (state.selected.has(id)) state.selected.delete(id); else state.selected.add(id)
    render()
  }

  /** Applies a decision to ids; remembers each one's status first, so u can take it back. */
  function act(ids, what) {
    if (!ids.length) return Promise.resolve()
    if (what === 'delete' && !confirm('Delete ' + ids.length + ' comment(s) for good?')) return Promise.resolve()
    var before = {}
    state.items.forEach(function (c) { if (ids.indexOf(c.id) >= 0) before[c.id] = c.status })
    var body = what === 'delete' || what === 'restore' ? { ids: ids, action: what } : { ids: ids, status: what }
    return api('POST', '/comments/bulk', body).then(function (res) {
      if (what !== 'delete') state.undo.push({ statuses: before })
      var done = (res.comments || []).length + (res.deleted || []).length
      say(done + ' comment(s) ' + (what === 'delete' ? 'deleted' : what === 'restore' ? 'restored' : 'moved to ' + what) + '. Press u to undo.')
      return refresh()
    }).catch(function (e) { say('Failed: ' + e.message) })
  }

  function undo() {
    var last = state.undo.pop()
    if (!last) { say('Nothing to undo.'); return }
    if (last.article !== undefined) {
      setArticle(last.article, last.closed, true).catch(function (e) { say('Undo failed: ' + e.message) })
      return
    }
    var before = last.statuses
    var byStatus = {}
    Object.keys(before).forEach(function (id) { (byStatus[before[id]] = byStatus[before[id]] || []).push(id) })
    Promise.all(Object.keys(byStatus).map(function (s) { return api('POST', '/comments/bulk', { ids: byStatus[s], status: s }) }))
      .then(function () { say('Undone.'); return refresh() })
      .catch(function (e) { say('Undo failed: ' + e.message) })
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
    if (!key) { state.articleInfo = null; return Promise.resolve() }
    if (!state.articleInfo || state.articleInfo.article !== key) {
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

  function refresh() {
    var keep = state.current
    return Promise.all([loadCounts(), loadList(false), loadArticle()]).then(function () {
      state.current = Math.min(keep, Math.max(state.items.length - 1, 0))
      render()
    })
  }

  function targets() {
    if (state.selected.size) return Array.from(state.selected)
    var c = state.items[state.current]
    return c ? [c.id] : []
  }

  function move(delta) {
    if (!state.items.length) return
    state.current = Math.max(0, Math.min(state.items.length - 1, state.current + delta))
    render()
    var node = $('list').children[state.current]
    if (node && node.scrollIntoView) node.scrollIntoView({ block: 'nearest' })
  }

  document.addEventListener('keydown', function (e) {
    if ($('queue').hidden || e.ctrlKey || e.metaKey || e.altKey) return
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
    Promise.all([loadCounts(), loadList(false), loadArticle()]).then(function () {
      if (!focus) return
      var id = focus[1]
      var at = state.items.findIndex(function (c) { return c.id === id })
      if (at >= 0) { state.current = at; render(); return }
      return api('GET', '/comments/' + id).then(function (c) { state.items.unshift(c); state.current = 0; render() })
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
    $('select-all').addEventListener('change', function () {
      if ($('select-all').checked) state.items.forEach(function (c) { state.selected.add(c.id) }); else state.selected.clear()
      render()
    })
    document.querySelectorAll('[data-bulk]').forEach(function (b) {
      b.addEventListener('click', function () { act(Array.from(state.selected), b.getAttribute('data-bulk')) })
    })
    if (token()) start(); else signOut('')
  })
})()
`
