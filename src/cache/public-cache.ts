import { ALL_ARTICLES } from '../db/article-channel.js'
/**
 * An in-process cache of what the public API reads most: each article's row (id, version,
 * approved count) and its serialized list pages. Entries are dropped when the article's public
 * list changes, as told by PostgreSQL NOTIFY (see db/notify.ts), so every instance stays correct;
 * while that channel is down the cache is off, and a TTL bounds any staleness anyway.
 */
/** closedAt: when comments close (ms since the epoch), possibly in the future; null when open. */
export type CachedArticle = { id: number; version: number; approvedCount: number; closedAt: number | null } | null
export type CachedPage = { json: string; lastId: number | null; answer?: EncodedAnswer }
/**
 * A whole list answer made from a page, encoded once (UTF-8) and sent as it is: only its form token changes by
 * itself, once a second, so it is made again when the second (or whether the article is closed) is not the one it was
 * made for. Counted against the budget with its page.
 */
export type EncodedAnswer = { second: number; closed: boolean; bytes: Uint8Array<ArrayBuffer> }
export type CacheEntry = {
  article: CachedArticle
  pages: Map<string, CachedPage>
  token?: { second: number; value: string }
  /** The list's ETags made for this entry, by their inputs (a MAC each; see public-reads.ts listEtag). */
  etags?: Map<string, string>
  expires: number
  /** The characters of its serialized pages, counted against the cache's budget. */
  bytes: number
  /** The article key it is held under. */
  key: string
}

type CachedAnswer = { query: string; epoch: number; expires: number; body: string }
const sizeOf = (answer: CachedAnswer) => answer.body.length + answer.query.length
/** Answers kept under one fingerprint at most. */
const MAX_BUCKET = 4

/** Length and up to 32 characters, spread over the whole string: a few ns where hashing a long string takes ~1 µs. */
function fingerprint(text: string): number {
  const step = Math.max(1, text.length >> 5)
  let hash = text.length
  for (let i = text.length - 1; i >= 0; i -= step) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619)
  return hash
}

export class PublicCache {
  private readonly entries = new Map<string, CacheEntry>()
  /** Bumped on every invalidation: a load that straddles one must not be stored. */
  private epoch = 0
  private enabled = true
  /** Characters held in serialized pages and whole answers (≈ bytes: the JSON is mostly ASCII). */
  private bytes = 0

  constructor(
    private readonly maxEntries = 20_000,
    private readonly ttlMs = 60_000,
    private readonly maxPagesPerEntry = 16,
    /** What the serialized pages and answers may hold in all, so the heap stays bounded whatever the traffic. */
    private readonly maxBytes = 24 * 1024 * 1024,
  ) {}

  /** Characters held now (tests, and a check of the budget). */
  get heldBytes(): number {
    return this.bytes
  }

  private drop(key: string): void {
    const entry = this.entries.get(key)
    if (!entry) return
    this.bytes -= entry.bytes
    this.entries.delete(key)
  }

  /** Drops the oldest entries (Maps iterate in insertion order) until the budget holds, never `keep`. */
  private shrink(keep?: CacheEntry): void {
    for (const [key, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) return
      if (entry !== keep) this.drop(key)
    }
    if (this.bytes > this.maxBytes) this.clearAnswers()
  }

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
      this.drop(key)
      return undefined
    }
    return entry
  }

  /** Stores an entry unless the cache is off or anything was invalidated since `epoch`. */
  set(key: string, article: CachedArticle, epoch: number, now: number): CacheEntry {
    const entry: CacheEntry = { article, pages: new Map(), expires: now + this.ttlMs, bytes: 0, key }
    if (!this.enabled || epoch !== this.epoch) return entry
    this.drop(key)
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.entries.keys().next()
      if (!oldest.done) this.drop(oldest.value)
    }
    this.entries.set(key, entry)
    return entry
  }

  setPage(entry: CacheEntry, pageKey: string, page: CachedPage, epoch: number): void {
    if (!this.enabled || epoch !== this.epoch || entry.pages.size >= this.maxPagesPerEntry) return
    // Only pages of an entry still held count (a superseded entry is garbage soon).
    if (this.entries.get(entry.key) !== entry || page.json.length > this.maxBytes / 8) return
    entry.pages.set(pageKey, page)
    entry.bytes += page.json.length
    this.bytes += page.json.length
    if (this.bytes > this.maxBytes) this.shrink(entry)
  }

  /** Keeps `answer` with a held page (a page no longer held, or never kept, keeps nothing). */
  setPageAnswer(entry: CacheEntry, pageKey: string, page: CachedPage, answer: EncodedAnswer): void {
    if (!this.enabled || this.entries.get(entry.key) !== entry || entry.pages.get(pageKey) !== page) return
    const change = answer.bytes.byteLength - (page.answer?.bytes.byteLength ?? 0)
    page.answer = answer
    entry.bytes += change
    this.bytes += change
    if (this.bytes > this.maxBytes) this.shrink(entry)
  }

  /**
   * Whole answers keyed by their request's query (counts): valid until anything is invalidated. Found by a fingerprint
   * of the query, then compared whole: a Map keyed by the query itself hashes every character of it, a new string on
   * every request (~1 µs for a counts query of 20 articles, about what the rest of a cached answer costs).
   */
  private readonly answers = new Map<number, CachedAnswer[]>()
  private answerCount = 0
  private answerBytes = 0

  private clearAnswers(): void {
    this.bytes -= this.answerBytes
    this.answerBytes = 0
    this.answerCount = 0
    this.answers.clear()
  }

  answer(query: string, now: number): string | undefined {
    if (!this.enabled) return undefined
    const bucket = this.answers.get(fingerprint(query))
    if (bucket === undefined) return undefined
    for (const hit of bucket) if (hit.query === query) return hit.epoch === this.epoch && hit.expires > now ? hit.body : undefined
    return undefined
  }

  setAnswer(query: string, body: string, epoch: number, now: number): void {
    if (!this.enabled || epoch !== this.epoch) return
    if (this.answerCount >= this.maxEntries) this.clearAnswers()
    const print = fingerprint(query)
    const bucket = this.answers.get(print) ?? []
    if (bucket.length === 0) this.answers.set(print, bucket)
    const old = bucket.findIndex((a) => a.query === query)
    // Queries that share a fingerprint (few, unless made to): the oldest goes past MAX_BUCKET.
    const gone = old >= 0 ? bucket.splice(old, 1) : bucket.length >= MAX_BUCKET ? bucket.splice(0, 1) : []
    for (const a of gone) this.forgetAnswer(a)
    const answer = { query, epoch, expires: now + this.ttlMs, body }
    bucket.push(answer)
    this.answerCount++
    this.answerBytes += sizeOf(answer)
    this.bytes += sizeOf(answer)
    if (this.bytes > this.maxBytes) this.shrink()
  }

  private forgetAnswer(answer: CachedAnswer): void {
    this.answerCount--
    this.answerBytes -= sizeOf(answer)
    this.bytes -= sizeOf(answer)
  }

  invalidate(key: string): void {
    this.epoch++
    this.drop(key)
    // Every whole answer is stale after an epoch change: free their share of the budget now.
    this.clearAnswers()
  }

  /** A NOTIFY on ARTICLE_CHANNEL: an article's key, or ALL_ARTICLES when many changed at once. */
  notice(payload: string): void {
    if (payload === ALL_ARTICLES) this.clear()
    else this.invalidate(payload)
  }

  clear(): void {
    this.epoch++
    this.entries.clear()
    this.clearAnswers()
    this.bytes = 0
  }

  /** Off while invalidations cannot be heard (listener down); on again with an empty cache. */
  setEnabled(enabled: boolean): void {
    this.clear()
    this.enabled = enabled
  }
}
