import type { ArticlePageAnswer, ArticleStateAnswer } from '../../api/answers.js'
import { api, ApiError, isUnauthorized, messageOf } from './api.js'
import { byId, say } from './dom.js'
import { state, type ArticleInfo } from './state.js'

// The article bar: whether the filtered article takes comments, the button that closes or reopens it, and the
// article's title and link as moderators name it.

/** Loads the bar for the filtered article (hidden without one). */
export async function loadArticle(): Promise<void> {
  const key = state.article
  byId('article-bar').hidden = !key
  // The title editor closes when the article changes, not on every reload (a refresh would shut it mid-typing).
  if (!key) {
    byId('article-page-form').hidden = true
    state.articleInfo = null
    return
  }
  if (!state.articleInfo || state.articleInfo.article !== key) {
    byId('article-page-form').hidden = true
    state.articleInfo = null
    byId('article-key').textContent = key
    byId('article-state').textContent = 'Loading…'
    byId('article-toggle').textContent = 'Close comments'
    byId<HTMLButtonElement>('article-toggle').disabled = true
  }
  try {
    showArticle(await api<ArticleStateAnswer>('GET', `/articles?${new URLSearchParams({ article: key }).toString()}`))
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) showArticle({ article: key, closed: false, closedAt: null, approvedCount: 0, unknown: true })
    else if (!isUnauthorized(e) && key === state.article) byId('article-state').textContent = `Could not load: ${messageOf(e)}`
  }
}

export function showArticle(a: ArticleInfo): void {
  if (a.article !== state.article) return // an answer for a key typed over since
  state.articleInfo = a
  const when = a.closedAt ? new Date(a.closedAt).toLocaleString() : ''
  let text = a.closed ? `Comments closed since ${when}` : a.closedAt ? `Comments open; they close automatically ${when}` : 'Comments open'
  text += a.unknown ? ' · no comments yet' : ` · ${a.approvedCount} approved`
  byId('article-state').textContent = text
  byId('article-bar').setAttribute('data-closed', String(a.closed))
  byId('article-toggle').textContent = a.closed ? 'Reopen comments' : 'Close comments'
  byId<HTMLButtonElement>('article-toggle').disabled = false
  byId('article-edit').hidden = !!a.unknown
}

/** The article's page title and link, as moderators name it (PATCH /api/admin/articles). */
export function editArticlePage(): void {
  const page = state.articles[state.article]
  byId<HTMLInputElement>('article-title-input').value = page?.title ?? ''
  byId<HTMLInputElement>('article-url-input').value = page?.url ?? ''
  byId('article-page-form').hidden = false
  byId('article-title-input').focus()
}

export async function saveArticlePage(render: () => void): Promise<void> {
  const key = state.article
  const title = byId<HTMLInputElement>('article-title-input').value.trim()
  const url = byId<HTMLInputElement>('article-url-input').value.trim()
  try {
    const page = await api<ArticlePageAnswer>('PATCH', '/articles', { article: key, title: title || null, url: url || null })
    state.articles[key] = { title: page.title, url: page.url }
    byId('article-page-form').hidden = true
    const shown = page.title ? `“${page.title}”` : 'its key'
    say(`The article ${key} is now shown as ${shown}${page.url ? `, linking to ${page.url}` : ', without a link'}.`)
    render()
  } catch (err) {
    if (!isUnauthorized(err)) say(`Not saved: ${messageOf(err)}`)
  }
}

/** Closes (close=true) or reopens an article's comments; u undoes it like a decision on comments. */
export async function setArticle(key: string, close: boolean, isUndo: boolean): Promise<void> {
  const a = await api<ArticleStateAnswer>('POST', close ? '/articles/close' : '/articles/reopen', { article: key })
  if (!isUndo) state.undo.push({ article: key, closed: !close })
  if (key === state.article) showArticle(a)
  say(`Comments on ${key}${close ? ' closed' : ' reopened'}${isUndo ? ': undone.' : '. Press u to undo.'}`)
}

export async function toggleArticle(): Promise<void> {
  const a = state.articleInfo
  const button = byId<HTMLButtonElement>('article-toggle')
  if (!a || button.disabled) return
  button.disabled = true
  try {
    await setArticle(a.article, !a.closed, false)
  } catch (e) {
    say(`Failed: ${messageOf(e)}`)
  }
  button.disabled = false
}
