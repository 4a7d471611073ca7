// The seed data of WORKLOADS.md. The comments the workloads read are posted through the running app and
// approved through the moderator API; the background rows are written in bulk, but as the app writes them:
// same encryption, keyed hashes, avatar seed, HTML, anonymized IP, verdict, and article counters.
import { sql, type Kysely } from 'kysely'
import pg from 'pg'
import { toCommentRow } from '../../src/db/comment-row.js'
import type { Database, NewComment, Status } from '../../src/db/schema.js'
import type { Moderation } from '../../src/moderation/types.js'
import { avatarSeed, emailHash, encryptEmail } from '../../src/privacy/email.js'
import type { Keys } from '../../src/privacy/keys.js'
import { authorName, clientIp, email, rng, textOfLength, USER_AGENTS, words } from './data.js'

export const LIST_ARTICLE = '/bench/article-0'
export const LIST_SIZE = 100
export const COUNT_ARTICLES = Array.from({ length: 20 }, (_, i) => `/bench/count-${i + 1}`)
/** The IP space (see clientIp) the seed posts from; load runs use the others. */
const SEED_SPACE = 48

// ---- databases ---------------------------------------------------------------------------------------

/** A new, empty database (or a copy of `template`, which must have no open connections). */
export async function createDatabase(serverUrl: string, name: string, template?: string): Promise<string> {
  await adminQuery(serverUrl, `drop database if exists ${name}`)
  await adminQuery(serverUrl, `create database ${name}${template ? ` template ${template}` : ''}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await adminQuery(serverUrl, `drop database if exists ${name} with (force)`)
}

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const url = new URL(serverUrl)
  url.pathname = '/postgres'
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

// ---- what the app writes for a comment ---------------------------------------------------------------

type Commenter = { author: string; email: string; ip: string; userAgent: string; content: string; article: string }

/** The row the POST handler would store for this commenter, with the checks' verdict for it. */
async function appRow(keys: Keys, moderation: Moderation, c: Commenter, articleId: number, now: Date): Promise<NewComment> {
  const hash = await emailHash(keys, c.email)
  const verdict = await moderation.review({
    article: c.article,
    parentId: null,
    author: c.author,
    email: c.email,
    emailHash: hash,
    url: null,
    content: c.content,
    formToken: undefined,
    website: undefined,
    userAgent: c.userAgent,
    ip: c.ip,
    now,
  })
  return toCommentRow(keys, {
    articleId,
    parentId: null,
    depth: 0,
    status: verdict.status,
    author: c.author,
    email: c.email,
    emailHash: hash,
    url: null,
    content: c.content,
    ip: c.ip,
    userAgent: c.userAgent,
    reasons: verdict.reasons,
    spamScore: verdict.spamScore,
  })
}

/** 80% approved, 15% pending, 5% spam, spread evenly (WORKLOADS.md's mix). */
function mixStatus(i: number): Status {
  const slot = i % 20
  return slot === 0 ? 'spam' : slot <= 3 ? 'pending' : 'approved'
}

/** A moderator's decision as setStatus records it: the status it leaves is remembered. */
function decided(row: NewComment, status: Status, at: Date): NewComment {
  if (status === 'pending') return row
  return { ...row, status, previous_status: row.status, updated_at: at }
}

async function insertArticles(db: Kysely<Database>, keys: string[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>()
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await db
      .insertInto('articles')
      .values(keys.slice(i, i + 1000).map((key) => ({ key })))
      .returning(['id', 'key'])
      .execute()
    for (const row of rows) ids.set(row.key, row.id)
  }
  return ids
}

/** Approved count and list version as the moderator API leaves them (one version bump per approval). */
async function settleArticles(db: Kysely<Database>): Promise<void> {
  await sql`
    update articles a set approved_count = s.n, version = s.n
    from (select article_id, count(*)::int as n from comments where status = 'approved' group by article_id) s
    where s.article_id = a.id`.execute(db)
}

// ---- background: 10,000 over 500 articles, rows built in Node ----------------------------------------

export async function seedBackground(
  db: Kysely<Database>,
  keys: Keys,
  moderation: Moderation,
  options: { comments: number; articles: number },
): Promise<void> {
  const articleKeys = Array.from({ length: options.articles }, (_, i) => `/bench/bg-${i}`)
  const ids = await insertArticles(db, articleKeys)
  const random = rng(7)
  const now = Date.now()
  const batch = 500
  for (let start = 0; start < options.comments; start += batch) {
    const rows = await Promise.all(
      Array.from({ length: Math.min(batch, options.comments - start) }, async (_, k) => {
        const i = start + k
        const article = articleKeys[i % options.articles]!
        const created = new Date(now - (options.comments - i) * 60_000)
        const row = await appRow(
          keys,
          moderation,
          {
            article,
            author: authorName(i),
            email: email('bg', i),
            ip: `10.2.${(i >> 8) & 255}.${i & 255 || 1}`,
            userAgent: USER_AGENTS[i % USER_AGENTS.length]!,
            content: words(random, 12, 36),
          },
          ids.get(article)!,
          created,
        )
        return { ...decided(row, mixStatus(i), created), created_at: created, updated_at: created }
      }),
    )
    await db.insertInto('comments').values(rows).execute()
  }
  await settleArticles(db)
  await sql`analyze`.execute(db)
}

// ---- --large: 1,000,000 over 50,000 articles, generated inside PostgreSQL -----------------------------

/**
 * Rows come from pools built by the app's own functions (3,000 authors with their encrypted email,
 * keyed hash and avatar; 1,000 texts with their HTML and content hash), combined by generate_series:
 * every value is one the app would write, but ciphertexts and hashes repeat across rows.
 */
export async function seedLarge(
  db: Kysely<Database>,
  keys: Keys,
  moderation: Moderation,
  options: { comments: number; articles: number; log: (line: string) => void },
): Promise<void> {
  const perArticle = Math.ceil(options.comments / options.articles)
  const random = rng(11)
  const now = new Date()
  const authors = await Promise.all(
    Array.from({ length: 3000 }, async (_, i) => {
      const address = email('large', i)
      return {
        author: authorName(i),
        emailEnc: await encryptEmail(keys, address),
        hash: await emailHash(keys, address),
        avatar: await avatarSeed(keys, address),
      }
    }),
  )
  const texts = await Promise.all(
    Array.from({ length: 1000 }, async (_, i) => {
      const content = words(random, 12, 36)
      const row = await appRow(
        keys,
        moderation,
        { article: '/bench/bg-0', author: authorName(i), email: email('large', i), ip: '10.3.0.1', userAgent: USER_AGENTS[0], content },
        0,
        now,
      )
      return { content, html: row.html, contentHash: row.content_hash, reasons: `{${row.reasons!.map((r) => `"${r}"`).join(',')}}` }
    }),
  )
  await sql`
    insert into articles (key)
    select '/bench/bg-' || a from generate_series(0, ${options.articles - 1}::int) a`.execute(db)
  const chunk = 100_000
  for (let start = 0; start < options.comments; start += chunk) {
    const end = Math.min(options.comments, start + chunk) - 1
    await sql`
      insert into comments (article_id, status, previous_status, author, content, html, email_enc, email_hash,
                            content_hash, avatar, ip, user_agent, reasons, created_at, updated_at)
      select art.id,
             case when g % 20 = 0 then 'spam' when g % 20 <= 3 then 'pending' else 'approved' end,
             case when g % 20 = 0 or g % 20 > 3 then 'pending' end,
             au.author, tx.content, tx.html, au.email_enc, au.email_hash, tx.content_hash, au.avatar,
             '10.' || ((g / 65536) % 256) || '.' || ((g / 256) % 256) || '.0',
             ${USER_AGENTS[1]}, tx.reasons::text[],
             now() - make_interval(secs => ${options.comments}::int - g), now() - make_interval(secs => ${options.comments}::int - g)
      from generate_series(${start}::int, ${end}::int) g
      join articles art on art.key = '/bench/bg-' || (g / ${perArticle}::int)
      join unnest(${authors.map((a) => a.author)}::text[], ${authors.map((a) => a.emailEnc)}::text[],
                  ${authors.map((a) => a.hash)}::text[], ${authors.map((a) => a.avatar)}::text[])
           with ordinality au(author, email_enc, email_hash, avatar, n) on au.n = g % 3000 + 1
      join unnest(${texts.map((t) => t.content)}::text[], ${texts.map((t) => t.html)}::text[],
                  ${texts.map((t) => t.contentHash)}::text[], ${texts.map((t) => t.reasons)}::text[])
           with ordinality tx(content, html, content_hash, reasons, n) on tx.n = (g * 7) % 1000 + 1`.execute(db)
    options.log(`  large seed: ${end + 1} / ${options.comments} comments`)
  }
  await settleArticles(db)
  await sql`analyze`.execute(db)
}

// ---- through the app: the comments W2 and W3 read -----------------------------------------------------

type Post = { article: string; i: number; decision: Status }

/**
 * Posts W2's 100 comments and W3's count articles through POST /api/comments (each from its own
 * client address), then approves or marks them spam through PATCH /api/admin/comments/:id.
 * Returns the counts W3 must answer.
 */
export async function seedThroughApp(url: string, adminToken: string): Promise<Record<string, number>> {
  const random = rng(3)
  const posts: Post[] = []
  for (let i = 0; i < LIST_SIZE; i++) posts.push({ article: LIST_ARTICLE, i: posts.length, decision: 'approved' })
  const expected: Record<string, number> = {}
  COUNT_ARTICLES.forEach((article, k) => {
    const approved = k + 1
    expected[article] = approved
    for (let j = 0; j < approved; j++) posts.push({ article, i: posts.length, decision: 'approved' })
    for (let j = 0; j < 2; j++) posts.push({ article, i: posts.length, decision: 'pending' })
    posts.push({ article, i: posts.length, decision: 'spam' })
  })
  const texts = posts.map(() => textOfLength(random, 130))

  await inParallel(posts, 8, async (p) => {
    const res = await fetch(`${url}/api/comments`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Forwarded-For': clientIp(SEED_SPACE, p.i),
        'User-Agent': USER_AGENTS[p.i % USER_AGENTS.length]!,
      },
      body: JSON.stringify({ article: p.article, author: authorName(p.i), email: email('seed', p.i), content: texts[p.i] }),
    })
    const body = await res.text()
    if (res.status !== 201) throw new Error(`seed post ${p.i} got ${res.status}: ${body}`)
    const id = (JSON.parse(body) as { comment: { id: string } }).comment.id
    if (p.decision === 'pending') return
    const patch = await fetch(`${url}/api/admin/comments/${id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ status: p.decision }),
    })
    if (patch.status !== 200) throw new Error(`seed patch ${id} got ${patch.status}: ${await patch.text()}`)
    await patch.arrayBuffer()
  })
  return expected
}

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!)
    }),
  )
}

/** Drops databases left by bench runs that were interrupted (their process is gone); a running bench's stay. */
export async function dropStaleDatabases(serverUrl: string): Promise<string[]> {
  const url = new URL(serverUrl)
  url.pathname = '/postgres'
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  let names: string[]
  try {
    names = (await client.query<{ datname: string }>(`select datname from pg_database where datname ~ '^parley_bench_[0-9]+_'`)).rows.map(
      (r) => r.datname,
    )
  } finally {
    await client.end()
  }
  const stale = names.filter((name) => {
    const pid = Number(/^parley_bench_(\d+)_/.exec(name)![1])
    try {
      process.kill(pid, 0)
      return false
    } catch {
      return true
    }
  })
  for (const name of stale) await dropDatabase(serverUrl, name)
  return stale
}
