/**
 * WordPress export files (WXR, "WordPress eXtended RSS" 1.0–1.2: Tools → Export) read and mapped to
 * Parley's comments. Pure: no database, no keys, no Node APIs, so an API on Workers can use it too;
 * src/db/import.ts stores the result.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { ImportedComment } from '../db/import.js'
import type { Status } from '../db/schema.js'
import { commentInputSchema } from '../routes/comment-input.js'
import { htmlToText } from './html-text.js'

export class WxrError extends Error {}

/** One <wp:comment>, its fields as the file has them (empty when absent). */
export type WxrComment = {
  id: string
  parentId: string
  author: string
  email: string
  url: string
  ip: string
  dateGmt: string
  date: string
  content: string
  approved: string
  type: string
  agent: string
}
export type WxrPost = {
  postId: string
  title: string
  link: string
  /** `post`, `page`, or another type (menu items, templates, custom types) */
  postType: string
  /** `publish`, `private`, `draft`, … */
  status: string
  /** Set: the post is password-protected, and its comments were not public either. */
  password: string
  /** `open` or `closed` for new comments */
  commentStatus: string
  comments: WxrComment[]
}
export type Wxr = { version: string | null; posts: WxrPost[] }

// Heavy parts of an export that say nothing about comments: skipped while parsing.
const unused = new Set([
  'content:encoded',
  'excerpt:encoded',
  'description',
  'category',
  'wp:postmeta',
  'wp:commentmeta',
  'wp:author',
  'wp:category',
  'wp:tag',
  'wp:term',
])

/** Reads a WXR file. Throws WxrError, with the line and column, when it is not a well-formed export. */
export function parseWxr(xml: string): Wxr {
  // Control characters are not allowed in XML 1.0, yet real exports carry some (pasted text): dropped.
  // eslint-disable-next-line no-control-regex -- the control characters are what is matched
  const text = xml.replace(/^\uFEFF/, '').replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, '')
  // XMLValidator and htmlEntities are deprecated for fast-xml-parser 6 (its successors are separate packages);
  // both work in 5.x, the version pinned: README, Maintenance.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(text)
  if (valid !== true) {
    throw new WxrError(`The file is not well-formed XML (line ${valid.err.line}, column ${valid.err.col}): ${valid.err.msg}`)
  }
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: false,
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- see XMLValidator above
    htmlEntities: true,
    updateTag: (tag) => !unused.has(tag) && tag,
    isArray: (tag) => tag === 'item' || tag === 'wp:comment',
  })
  let doc: { rss?: { channel?: Record<string, unknown> } }
  try {
    doc = parser.parse(text) as typeof doc
  } catch (error) {
    // The parser's own limits (entities, nesting): said as a refusal of this file, not a crash.
    throw new WxrError(`The file could not be read as an export: ${error instanceof Error ? error.message : String(error)}`)
  }
  const channel = doc.rss?.channel
  if (!channel || typeof channel !== 'object') throw new WxrError('This is not a WordPress export: it has no <rss><channel>.')
  const items = (channel.item ?? []) as Record<string, unknown>[]
  const posts = items.map((item) => ({
    ...fields(item, postFields),
    comments: ((item['wp:comment'] ?? []) as Record<string, unknown>[]).map((c) => fields(c, commentFields)),
  }))
  const version = field(channel, 'wp:wxr_version').trim()
  return { version: version || null, posts }
}

// Each field's element in the export, and whether blanks around it mean nothing (ids, dates, codes, links) and go.
type FieldTable<K extends string> = Record<K, readonly [element: string, trim: boolean]>
const postFields: FieldTable<Exclude<keyof WxrPost, 'comments'>> = {
  postId: ['wp:post_id', false],
  title: ['title', false],
  link: ['link', true],
  postType: ['wp:post_type', true],
  status: ['wp:status', true],
  password: ['wp:post_password', false],
  commentStatus: ['wp:comment_status', true],
}
const commentFields: FieldTable<keyof WxrComment> = {
  id: ['wp:comment_id', true],
  parentId: ['wp:comment_parent', true],
  author: ['wp:comment_author', false],
  email: ['wp:comment_author_email', false],
  url: ['wp:comment_author_url', false],
  ip: ['wp:comment_author_IP', true],
  dateGmt: ['wp:comment_date_gmt', true],
  date: ['wp:comment_date', true],
  content: ['wp:comment_content', false],
  approved: ['wp:comment_approved', true],
  type: ['wp:comment_type', true],
  agent: ['wp:comment_agent', true],
}

function fields<K extends string>(node: Record<string, unknown>, table: FieldTable<K>): Record<K, string> {
  const out = {} as Record<K, string>
  for (const key in table) {
    const [element, trim] = table[key]
    out[key] = trim ? field(node, element).trim() : field(node, element)
  }
  return out
}

/** An element's text; the first one when it is repeated. */
function field(node: Record<string, unknown>, name: string): string {
  let value = node[name]
  if (Array.isArray(value)) value = value[0]
  if (typeof value === 'string' || typeof value === 'number') return String(value)
  if (value && typeof value === 'object' && '#text' in value) return String(value['#text'])
  return ''
}

export type KeyMode = 'path' | 'url'

/** Why a comment in the file is not imported: Parley requires an email and a text, and takes comments only. */
export const skipReasons = [
  'pingback',
  'trackback',
  'other_type',
  'no_email',
  'invalid_email',
  'empty_content',
  'too_long',
  'no_date',
  'no_article',
] as const
/** A stored comment's HTML longer than this is not a reader's comment (and would cost its reading dearly): skipped. */
const MAX_RAW_CONTENT = 64 * 1024
const MAX_RAW_AUTHOR = 1024
/**
 * A comment's budget: all its fields as the file has them (text, name, email, website, address, agent, ids, dates).
 * Reading is linear in what it reads, so a comment over it is skipped unread (too_long) and none costs more than this
 * much text's worth of time, however hostile the file (security review L5).
 */
const MAX_RAW_COMMENT = MAX_RAW_CONTENT + 16 * 1024
export type SkipReason = (typeof skipReasons)[number]

export type ImportPlan = {
  version: string | null
  posts: number
  postsWithComments: number
  commentsInFile: number
  /** What to store, parents before their replies, oldest first. */
  comments: ImportedComment[]
  skipped: Record<SkipReason, number>
  /** Replies whose parent is missing from the file or skipped: imported at the top level. */
  madeTopLevel: number
  /** Websites left out: not http(s), or longer than 200 characters. */
  urlsDropped: number
  /** Distinct article keys among the comments to store. */
  articles: number
  /** Article keys shared by posts with different links (plain ?p=123 permalinks all have the path "/"). */
  sharedKeys: { key: string; links: string[] }[]
  /**
   * Published posts and pages whose comments are closed on WordPress: closed in Parley too (with or without
   * comments). Never a key that several published items share (plain ?p= permalinks all have the path "/").
   */
  closed: string[]
  /** Approved comments of posts that were not public (private, draft, password-protected): held as pending. */
  heldNotPublic: number
}

const statusOf: Record<string, Status> = { '1': 'approved', '0': 'pending', spam: 'spam', trash: 'trash', 'post-trashed': 'trash' }
// The same field rules as a posted comment (src/routes/comment-input.ts).
const input = commentInputSchema(1).shape

/**
 * The article key of a post: its link's URL path, as the embed uses without data-article (the canonical
 * URL's path, trailing slash and percent-encoding as they are), or with `url` the whole link.
 */
export function articleKey(link: string, mode: KeyMode): string | undefined {
  if (mode === 'url') return link.trim().slice(0, 512) || undefined
  try {
    return new URL(link).pathname.slice(0, 512)
  } catch {
    return undefined
  }
}

/** WordPress's "YYYY-MM-DD HH:MM:SS" as UTC; undefined for its zero date and anything else. */
export function parseWordPressDate(value: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value)
  if (!m) return undefined
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number]
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s))
  // Rejects 0000-00-00 and overflowing fields (a 31 February would roll over into March).
  return y > 0 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60 ? date : undefined
}

/** A name as Parley keeps it: plain text on one line, at most 100 characters; "Anonymous" when empty. */
function authorName(raw: string): string {
  // A name is at most 100 characters: more than 1 KB of its markup is never read (a 300 KB name took 39 s).
  let name = htmlToText(raw.slice(0, MAX_RAW_AUTHOR)).replace(/\s+/g, ' ').trim().slice(0, 100)
  if (/[\ud800-\udbff]$/.test(name)) name = name.slice(0, -1) // never half of a surrogate pair
  return name.trim() || 'Anonymous'
}

/** A comment kept for the import, with the WordPress parent id it is linked by once every post is read. */
type Kept = { comment: ImportedComment; parentId: string; post: number }

/** What reading the posts gathers: the comments kept, and the counts of what was left out or changed. */
type Tally = {
  kept: Kept[]
  skipped: Record<SkipReason, number>
  /** Every link of the posts with comments behind each article key. */
  linksOfKey: Map<string, Set<string>>
  urlsDropped: number
  heldNotPublic: number
}

/** Maps an export to the comments to store, counting everything left out and why. */
export function planImport(wxr: Wxr, options: { key: KeyMode }): ImportPlan {
  const tally: Tally = {
    kept: [],
    skipped: Object.fromEntries(skipReasons.map((r) => [r, 0])) as Record<SkipReason, number>,
    linksOfKey: new Map(),
    urlsDropped: 0,
    heldNotPublic: 0,
  }
  wxr.posts.forEach((post, p) => readPost(tally, post, p, options.key))
  const closed = closedKeys(wxr, options.key)
  const madeTopLevel = linkParents(tally.kept)
  const comments = inWriteOrder(tally.kept.map((k) => k.comment))
  const sharedKeys = [...tally.linksOfKey].filter(([, links]) => links.size > 1).map(([key, links]) => ({ key, links: [...links] }))
  return {
    version: wxr.version,
    posts: wxr.posts.length,
    postsWithComments: wxr.posts.filter((p) => p.comments.length > 0).length,
    commentsInFile: wxr.posts.reduce((n, p) => n + p.comments.length, 0),
    comments,
    skipped: tally.skipped,
    madeTopLevel,
    urlsDropped: tally.urlsDropped,
    articles: new Set(comments.map((c) => c.article)).size,
    sharedKeys,
    closed,
    heldNotPublic: tally.heldNotPublic,
  }
}

/** The comments of the post at index `p`: each kept (as Parley stores it) or counted as skipped, and why. */
function readPost(tally: Tally, post: WxrPost, p: number, mode: KeyMode): void {
  const article = articleKey(post.link, mode)
  // Comments of a post readers could not see stay out of sight until a moderator decides.
  const notPublic = (post.status !== 'publish' && post.status !== '') || post.password !== ''
  if (article !== undefined && post.comments.length > 0) {
    tally.linksOfKey.set(article, (tally.linksOfKey.get(article) ?? new Set()).add(post.link))
  }
  const refs = new Set<string>()
  post.comments.forEach((c, i) => {
    if (rawSize(c) > MAX_RAW_COMMENT) {
      tally.skipped.too_long++
      return
    }
    const content = c.content.length > MAX_RAW_CONTENT ? '' : htmlToText(c.content)
    const reason = skipReason(c, content, article)
    if (reason) {
      tally.skipped[reason]++
      return
    }
    const url = input.url.safeParse(c.url)
    if (!url.success) tally.urlsDropped++
    // A repeated comment id cannot name a parent reliably: the later one gets a ref of its own.
    const ref = c.id && !refs.has(`${p}:${c.id}`) ? `${p}:${c.id}` : `${p}:#${i}`
    refs.add(ref)
    const held = notPublic && statusOf[c.approved] === 'approved'
    if (held) tally.heldNotPublic++
    const comment: ImportedComment = {
      ref,
      parentRef: null,
      article: article!,
      status: held ? 'pending' : (statusOf[c.approved] ?? 'pending'),
      author: authorName(c.author),
      email: input.email.parse(c.email),
      url: url.success ? (url.data ?? null) : null,
      ip: c.ip || null,
      userAgent: c.agent.slice(0, 512) || null,
      content,
      createdAt: (parseWordPressDate(c.dateGmt) ?? parseWordPressDate(c.date))!,
    }
    tally.kept.push({ post: p, parentId: c.parentId, comment })
  })
}

/**
 * The keys of published posts and pages whose comments are closed on WordPress. An export without these fields
 * (older or hand-made) counts as published posts. Never a key that several published items share.
 */
function closedKeys(wxr: Wxr, mode: KeyMode): string[] {
  const published = wxr.posts.filter((p) => (p.status === 'publish' || p.status === '') && ['post', 'page', ''].includes(p.postType))
  const publishedLinks = new Map<string, Set<string>>()
  for (const post of published) {
    const key = articleKey(post.link, mode)
    if (key) publishedLinks.set(key, (publishedLinks.get(key) ?? new Set()).add(post.link))
  }
  const closed = new Set<string>()
  for (const post of published) {
    const key = post.commentStatus === 'closed' ? articleKey(post.link, mode) : undefined
    if (key && publishedLinks.get(key)!.size === 1) closed.add(key)
  }
  return [...closed]
}

/** The characters of a comment's fields that are read (its name's first MAX_RAW_AUTHOR only: the rest never is). */
function rawSize(c: WxrComment): number {
  let size = 0
  for (const [name, value] of Object.entries(c)) size += name === 'author' ? Math.min(value.length, MAX_RAW_AUTHOR) : value.length
  return size
}

function skipReason(c: WxrComment, content: string, article: string | undefined): SkipReason | undefined {
  const type = c.type.toLowerCase()
  if (type === 'pingback' || type === 'trackback') return type
  if (type !== '' && type !== 'comment') return 'other_type' // e.g. WooCommerce's private order notes
  if (c.email.trim() === '') return 'no_email'
  if (!input.email.safeParse(c.email).success) return 'invalid_email'
  if (c.content.length > MAX_RAW_CONTENT) return 'too_long'
  if (content === '') return 'empty_content'
  if (!parseWordPressDate(c.dateGmt) && !parseWordPressDate(c.date)) return 'no_date'
  if (article === undefined) return 'no_article'
  return undefined
}

/** Sets each reply's parentRef to its imported parent in the same post; returns how many lost theirs. */
function linkParents(kept: Kept[]): number {
  const byRef = new Map(kept.map((k) => [k.comment.ref, k]))
  let orphans = 0
  for (const k of kept) {
    if (k.parentId === '' || k.parentId === '0') continue
    const parentRef = `${k.post}:${k.parentId}`
    if (byRef.has(parentRef) && parentRef !== k.comment.ref) k.comment.parentRef = parentRef
    else orphans++
  }
  // A loop (a corrupt file: A answers B answers A) is cut where it is found: that reply goes to the top.
  for (const k of kept) {
    const seen = new Set<string>([k.comment.ref])
    for (let p = k.comment.parentRef; p !== null; p = byRef.get(p)!.comment.parentRef) {
      if (seen.has(p)) {
        k.comment.parentRef = null
        orphans++
        break
      }
      seen.add(p)
    }
  }
  return orphans
}

/**
 * Oldest first (ids then follow time, as the public list's order does), and never a reply before its
 * parent: a reply dated before its parent (clock trouble) goes right after it.
 */
function inWriteOrder(comments: ImportedComment[]): ImportedComment[] {
  const byRef = new Map(comments.map((c) => [c.ref, c]))
  const sortKey = new Map<string, { time: number; depth: number }>()
  const keyOf = (c: ImportedComment): { time: number; depth: number } => {
    const known = sortKey.get(c.ref)
    if (known) return known
    const parent = c.parentRef === null ? undefined : keyOf(byRef.get(c.parentRef)!)
    const key = { time: Math.max(c.createdAt.getTime(), parent?.time ?? -Infinity), depth: parent ? parent.depth + 1 : 0 }
    sortKey.set(c.ref, key)
    return key
  }
  const order = new Map(comments.map((c, i) => [c.ref, i]))
  return [...comments].sort((a, b) => {
    const ka = keyOf(a)
    const kb = keyOf(b)
    return ka.time - kb.time || ka.depth - kb.depth || order.get(a.ref)! - order.get(b.ref)!
  })
}
