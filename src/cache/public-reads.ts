import { ensureArticle, findArticles } from '../db/articles.js'
import { listApproved } from '../db/comments.js'
import type { Deps } from '../env.js'
import { issueFormToken } from '../moderation/form-token.js'
import { toBase64Url } from '../privacy/keys.js'
import { toPublicComment } from '../views/comment.js'
import { PublicCache, type CacheEntry, type CachedArticle, type CachedPage } from './public-cache.js'

/**
 * What one page of the public list may hold, besides its count: about this much comment text. A page is then
 * small enough for the cache to keep (it refuses pages over an eighth of its budget), so no read of a big
 * thread is rebuilt per request, and what a request costs in memory is bounded whatever MAX_CONTENT_LENGTH is.
 */
export const MAX_PAGE_BYTES = 512 * 1024

/**
 * Pages built at once (cache misses): the rest wait their turn, so a burst of requests for uncached big
 * pages holds a few pages' rows in memory, not one set per request.
 */
const builds = limitConcurrency(4)

function limitConcurrency(max: number) {
  let running = 0
  const waiting: (() => void)[] = []
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      // A finished build hands its slot straight to the next in line.
      if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve))
      else running++
      try {
        return await work()
      } finally {
        const next = waiting.shift()
        if (next) next()
        else running--
      }
    },
  }
}

// Without a shared cache (Workers, tests) reads go to the database every time, through the same code.
const passThrough = new PublicCache(0)
passThrough.setEnabled(false)

const cacheOf = (deps: Deps) => deps.publicCache ?? passThrough

/** The cache entries (article row or null) for many keys, loading the missing ones in one query. */
export async function readArticles(deps: Deps, keys: readonly string[]): Promise<Map<string, CacheEntry>> {
  const cache = cacheOf(deps)
  const now = Date.now()
  const found = new Map<string, CacheEntry>()
  const missing: string[] = []
  for (const key of keys) {
    const entry = cache.get(key, now)
    if (entry) found.set(key, entry)
    else missing.push(key)
  }
  if (missing.length === 0) return found
  const epoch = cache.begin()
  const rows = await findArticles(deps.db, missing)
  const byKey = new Map(rows.map((r) => [r.key, r]))
  for (const key of missing) {
    const row = byKey.get(key)
    found.set(key, cache.set(key, row ? cachedArticle(row) : null, epoch, now))
  }
  return found
}

function cachedArticle(row: Awaited<ReturnType<typeof findArticles>>[number]): NonNullable<CachedArticle> {
  return { id: row.id, version: row.version, approvedCount: row.approved_count, closedAt: row.closed_at?.getTime() ?? null }
}

/** The article a post names, when it exists (from the cache when known); never creates one. */
export async function existingArticle(deps: Deps, key: string): Promise<CachedArticle> {
  return (await readArticles(deps, [key])).get(key)!.article
}

/**
 * The article a new comment goes to: from the cache when known (closing announces itself, so a cached
 * closing time is current), else read or created (its first comment) and cached.
 */
export async function articleForPost(deps: Deps, key: string): Promise<NonNullable<CachedArticle>> {
  const cache = cacheOf(deps)
  const now = Date.now()
  const cached = cache.get(key, now)?.article
  if (cached) return cached
  const epoch = cache.begin()
  const article = cachedArticle(await ensureArticle(deps.db, key))
  cache.set(key, article, epoch, now)
  return article
}

/** One page of an article's approved comments, serialized once and kept with the entry under `key` (pageKey). */
export type ReadPage = { page: CachedPage; key: string; more: boolean }

/** One page of an article's approved comments, serialized once and kept with the entry. */
export async function readPage(
  deps: Deps,
  key: string,
  entry: CacheEntry,
  page: { afterId: number | null; limit: number },
  baseUrl: string,
  /** Asked once the build may start (builds wait their turn): false, and nothing is built (undefined). */
  wanted: () => boolean = () => true,
): Promise<ReadPage | undefined> {
  const pageKey = `${page.afterId ?? 0}:${page.limit}:${baseUrl}`
  const cached = entry.pages.get(pageKey)
  if (cached) return { page: cached, key: pageKey, more: cached.lastId !== null }
  if (!entry.article) return { page: { json: '[]', lastId: null }, key: pageKey, more: false }
  const cache = cacheOf(deps)
  const epoch = cache.begin()
  const rows = await builds.run(async () =>
    wanted() ? listApproved(deps.db, entry.article!.id, { afterId: page.afterId, limit: page.limit + 1, maxBytes: MAX_PAGE_BYTES }) : undefined,
  )
  if (rows === undefined) return undefined
  // Up to `limit` comments and about MAX_PAGE_BYTES of text (always one): the rest is the next page.
  let count = 0
  let size = 0
  for (const row of rows.slice(0, page.limit)) {
    size += row.content.length + row.html.length
    if (count > 0 && size > MAX_PAGE_BYTES) break
    count++
  }
  const shown = rows.slice(0, count)
  const more = rows.length > count
  const result: CachedPage = {
    json: JSON.stringify(shown.map((row) => toPublicComment(row, key, baseUrl))),
    // lastId is kept only when there is a next page: it becomes the next cursor.
    lastId: more ? (shown[shown.length - 1]?.id ?? null) : null,
  }
  cache.setPage(entry, pageKey, result, epoch)
  return { page: result, key: pageKey, more }
}

const utf8 = new TextEncoder()

/**
 * The whole list answer for a page, as bytes: made (with the second's form token) and encoded at most once a second
 * per page and closed state, so a cached read costs no string building, no UTF-8 encoding and no garbage of its size.
 */
export async function readListAnswer(
  deps: Deps,
  key: string,
  entry: CacheEntry,
  read: ReadPage,
  now: Date,
  closed: boolean,
  render: (token: string) => string,
): Promise<Uint8Array<ArrayBuffer>> {
  const second = Math.floor(now.getTime() / 1000)
  const known = read.page.answer
  if (known && known.second === second && known.closed === closed) return known.bytes
  const bytes = utf8.encode(render(await readFormToken(deps, key, entry, now)))
  cacheOf(deps).setPageAnswer(entry, read.key, read.page, { second, closed, bytes })
  return bytes
}

/** The form token for an article, issued at most once per second per article. */
export async function readFormToken(deps: Deps, key: string, entry: CacheEntry, now: Date): Promise<string> {
  const second = Math.floor(now.getTime() / 1000)
  if (entry.token?.second === second) return entry.token.value
  const value = await issueFormToken(deps.keys, key, now)
  entry.token = { second, value }
  return value
}

/** ETags one entry keeps (pages by limit and cursor, hour buckets); past it they are made again. */
const MAX_ETAGS = 64
const encoder = new TextEncoder()

/**
 * The list's ETag: a MAC (the token key) of what the answer depends on, so it tells nothing of the article's row
 * (its id, whether someone tried to post there) and changes only with the public list. An article with no public
 * change yet (version 0) tags like one that does not exist; the id enters only once it has public comments, so an
 * article removed and made again never reuses an old tag. Kept with the cached entry: a cached answer costs no MAC.
 */
export async function listEtag(
  deps: Deps,
  key: string,
  entry: CacheEntry,
  page: { afterId: number | null; limit: number; hour: number; closed: boolean },
): Promise<string> {
  const article = entry.article
  const state = article && article.version > 0 ? `${article.id}.${article.version}` : '0'
  const inputs = `${state}.${page.limit}.${page.afterId ?? 0}.${page.hour}${page.closed ? '.c' : ''}`
  const known = entry.etags?.get(inputs)
  if (known) return known
  const mac = await deps.keys.tokenMac(encoder.encode(`list-etag\0${key}\0${inputs}`))
  const tag = `W/"${toBase64Url(mac.subarray(0, 16))}"`
  if (!entry.etags || entry.etags.size >= MAX_ETAGS) entry.etags = new Map()
  entry.etags.set(inputs, tag)
  return tag
}
