/**
 * An in-process cache of what the public API reads most: each article's row (id, version,
 * approved count) and its serialized list pages. Entries are dropped when the article's public
 * list changes, as told by PostgreSQL NOTIFY (see db/notify.ts), so every instance stays correct;
 * while that channel is down the cache is off, and a TTL bounds any staleness anyway.
 */
/** closedAt: when comments close (ms since the epoch), possibly in the future; null when open. */
export type CachedArticle = { id: number; version: number; approvedCount: number; closedAt: number | null } | null
export type CachedPage = { json: string; lastId: number | null }
export type CacheEntry = {
  article: CachedArticle
  pages: Map<string, CachedPage>
  token?: { second: number; value: string }
  expires: number
}

export class PublicCache {
  private readonly entries = new Map<string, CacheEntry>()
  /** Bumped on every invalidation: a load that straddles one must not be stored. */
  private epoch = 0
  private enabled = true

  constructor(
    private readonly maxEntries = 20_000,
    private readonly ttlMs = 60_000,
    private readonly maxPagesPerEntry = 16,
  ) {}

  get size(): number {
    return this.entries.size
  }

  /** The epoch to pass back to `set` after loading from the database. */
  begin(): number {
    return this.epoch
  }

  get(key: string, now: number): CacheEntry | undefined {
    if (!this.enabled) return undefined
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (entry.expires <= now) {
      this.entries.delete(key)
      return undefined
    }
    return entry
  }

  /** Stores an entry unless the cache is off or anything was invalidated since `epoch`. */
  set(key: string, article: CachedArticle, epoch: number, now: number): CacheEntry {
    const entry: CacheEntry = { article, pages: new Map(), expires: now + this.ttlMs }
    if (!this.enabled || epoch !== this.epoch) return entry
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.entries.keys().next()
      if (!oldest.done) this.entries.delete(oldest.value)
    }
    this.entries.set(key, entry)
    return entry
  }

  setPage(entry: CacheEntry, pageKey: string, page: CachedPage, epoch: number): void {
    if (!this.enabled || epoch !== this.epoch || entry.pages.size >= this.maxPagesPerEntry) return
    entry.pages.set(pageKey, page)
  }

  /** Whole answers keyed by their request's query (counts): valid until anything is invalidated. */
  private readonly answers = new Map<string, { epoch: number; expires: number; body: string }>()

  answer(query: string, now: number): string | undefined {
    if (!this.enabled) return undefined
    const hit = this.answers.get(query)
    return hit && hit.epoch === this.epoch && hit.expires > now ? hit.body : undefined
  }

  setAnswer(query: string, body: string, epoch: number, now: number): void {
    if (!this.enabled || epoch !== this.epoch) return
    if (this.answers.size >= this.maxEntries) this.answers.clear()
    this.answers.set(query, { epoch, expires: now + this.ttlMs, body })
  }

  invalidate(key: string): void {
    this.epoch++
    this.entries.delete(key)
  }

  /** A NOTIFY on ARTICLE_CHANNEL: an article's key, or ALL_ARTICLES when many changed at once. */
  notice(payload: string): void {
    if (payload === ALL_ARTICLES) this.clear()
    else this.invalidate(payload)
  }

  clear(): void {
    this.epoch++
    this.entries.clear()
    this.answers.clear()
  }

  /** Off while invalidations cannot be heard (listener down); on again with an empty cache. */
  setEnabled(enabled: boolean): void {
    this.clear()
    this.enabled = enabled
  }
}

/**
 * The channel on which a change to an article (its public list, its closing) is announced, with its key
 * as payload, or ALL_ARTICLES (an empty payload, never a key) after a change to many.
 */
export const ARTICLE_CHANNEL = 'parley_articles'
export const ALL_ARTICLES = ''
