// npm run eval — measures what ships, as a site owner would meet it, and writes EVALUATION.md.
//
// Every comment is posted through the app's HTTP API as the embed posts it: JSON with the form token the
// article's list handed out a few seconds earlier, an empty honeypot, a browser's User-Agent and its own
// client address. The verdict (status, reasons, score) is then read from the site's database. Each site
// is a fresh embedded database with the shipped defaults; decisions are made through the moderator API.
// Rates come with Wilson 95% intervals. The threshold is the shipped default, chosen by
// scripts/train-model.ts on the training videos only, never on any set reported here.
import type { Kysely } from 'kysely'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createApp } from '../src/app.js'
import { parseConfig } from '../src/config.js'
import { openEmbedded } from '../src/node/embedded.js'
import { migrateToLatest } from '../src/db/migrate.js'
import type { Database } from '../src/db/schema.js'
import { buildDeps } from '../src/deps.js'
import { priorModel } from '../src/moderation/learner.js'
import { sharedProfanityCheck } from '../src/moderation/pipeline.js'
import { DATA_DIR, loadOutside, loadYoutube, VIDEOS, type OutsideComment } from './eval-data.js'
import { fmtRate, seededShuffle } from './eval-stats.js'

const started = Date.now()
const LABELS = join(import.meta.dirname, 'eval-labels')
/** Sets scored on a site trained on another are sampled to this many comments each (bounds the run). */
const ACROSS_SAMPLE = Number(process.env.EVAL_ACROSS_SAMPLE ?? 300)
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

type Item = { set: string; key: string; article: string; author: string; content: string; url: string | null; spam: boolean; commercial?: boolean }
type Result = { item: Item; id: string; status: string; reasons: string[]; score: number | null } | { item: Item; refused: string }

// --- data ---------------------------------------------------------------------------------------------

const youtube = loadYoutube()
const HELD_OUT = [3, 4] // Eminem and Shakira: never seen by scripts/train-model.ts
const commercial = new Set<number>(
  (JSON.parse(readFileSync(join(LABELS, 'datacamp-commercial.json'), 'utf8')) as { commercial: number[] }).commercial,
)
const fromOutside = (c: OutsideComment): Item => ({
  set: c.set,
  key: `${c.set}:${c.n}`,
  article: c.article,
  author: c.author,
  content: c.content,
  url: null,
  spam: c.spam === 1,
  ...(c.set === 'datacamp' && c.spam === 1 ? { commercial: commercial.has(c.n) } : {}),
})
const sets: Record<string, Item[]> = {}
for (const k of HELD_OUT) {
  sets[VIDEOS[k]!] = youtube[k]!.map((c, i) => ({
    set: VIDEOS[k]!,
    key: `${VIDEOS[k]}:${i}`,
    article: `/video/${VIDEOS[k]}`,
    author: c.author,
    content: c.content,
    url: null,
    spam: c.spam,
  }))
}
for (const name of ['datacamp', 'davidson', 'impermium']) sets[name] = loadOutside(name).map(fromOutside)

// --- a site -------------------------------------------------------------------------------------------

const ADMIN_TOKEN = 'eval-admin-token-0123456789'
type Site = {
  request: (path: string, init?: RequestInit) => Promise<Response>
  db: Kysely<Database>
  close: () => Promise<void>
  tokenSeconds: number
}

async function openSite(): Promise<Site> {
  const db = await openEmbedded()
  await migrateToLatest(db)
  // Shipped defaults for everything that decides. TRUST_PROXY only lets each commenter have their own
  // address (X-Forwarded-For), as on a real site, so per-address limits do not refuse the run.
  const config = parseConfig({ ADMIN_TOKEN, SECRET_KEY: 'eval-secret-key-0123456789abcdef012345', LOG_REQUESTS: 'false', TRUST_PROXY: 'true' })
  const deps = await buildDeps({ config, db, log: () => {} })
  const app = createApp(deps)
  return {
    request: (path, init) => Promise.resolve(app.request(`http://parley.eval${path}`, init)),
    db,
    tokenSeconds: config.checks.formTokenMinSeconds,
    close: async () => {
      await db.destroy()
    },
  }
}

let ipCounter = 0
/** Posts each item as the embed does; returns each one's verdict as stored (or why it was refused). */
async function post(site: Site, items: Item[], prefix: string): Promise<Result[]> {
  const tokens = new Map<string, string>()
  for (const a of new Set(items.map((i) => prefix + i.article))) {
    const res = await site.request(`/api/comments?article=${encodeURIComponent(a)}`)
    tokens.set(a, ((await res.json()) as { formToken: string }).formToken)
  }
  // The reader takes a while to write: the tokens are a few seconds old when the comments are sent.
  await new Promise((r) => setTimeout(r, (site.tokenSeconds + 1) * 1000))
  const results: Result[] = []
  const ids = new Map<number, Item>()
  for (const item of items) {
    const article = prefix + item.article
    ipCounter++
    const res = await site.request('/api/comments', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': CHROME,
        'X-Forwarded-For': `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`,
      },
      body: JSON.stringify({
        article,
        author: item.author,
        email: `reader${ipCounter}@example.org`,
        url: item.url ?? '',
        content: item.content,
        formToken: tokens.get(article),
        website: '',
      }),
    })
    const body = (await res.json()) as { comment?: { id: string }; error?: { code: string } }
    if (res.status === 201 && body.comment) ids.set(Number(body.comment.id), item)
    else results.push({ item, refused: body.error?.code ?? String(res.status) })
  }
  const idList = [...ids.keys()]
  for (let i = 0; i < idList.length; i += 500) {
    const rows = await site.db
      .selectFrom('comments')
      .select(['id', 'status', 'reasons', 'spam_score'])
      .where('id', 'in', idList.slice(i, i + 500))
      .execute()
    for (const r of rows) results.push({ item: ids.get(Number(r.id))!, id: String(r.id), status: r.status, reasons: r.reasons, score: r.spam_score })
  }
  return results
}

/** A moderator decides each posted item by its label (spam → spam, legitimate → approved), 200 at a time. */
async function decideAll(site: Site, results: Result[]): Promise<number> {
  let n = 0
  for (const status of ['spam', 'approved'] as const) {
    const all = results.flatMap((r) => ('id' in r && r.item.spam === (status === 'spam') ? [r.id] : []))
    for (let i = 0; i < all.length; i += 200) {
      const res = await site.request('/api/admin/comments/bulk', {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ids: all.slice(i, i + 200), status }),
      })
      if (res.status !== 200) throw new Error(`bulk decision: ${res.status} ${await res.text()}`)
      n += all.slice(i, i + 200).length
    }
  }
  return n
}

// --- tallies ------------------------------------------------------------------------------------------

type Tally = { spam: number; flagged: number; toSpam: number; ham: number; hamToSpam: number; hamHeld: number; refused: number }
function tally(results: Result[], pick: (i: Item) => boolean = () => true): Tally {
  const t: Tally = { spam: 0, flagged: 0, toSpam: 0, ham: 0, hamToSpam: 0, hamHeld: 0, refused: 0 }
  for (const r of results) {
    if (!pick(r.item)) continue
    if ('refused' in r) {
      t.refused++
      continue
    }
    if (r.item.spam) {
      t.spam++
      if (r.status === 'spam') t.toSpam++
      if (r.status === 'spam' || r.reasons.length > 0) t.flagged++
    } else {
      t.ham++
      if (r.status === 'spam') t.hamToSpam++
      else if (r.reasons.length > 0) t.hamHeld++
    }
  }
  return t
}
const rate = (k: number, n: number) => (n === 0 ? '–' : fmtRate(k, n))
const ok = (k: number, n: number, target: number, atLeast: boolean) => {
  if (n === 0) return ''
  const p = k / n
  return (atLeast ? p >= target : p <= target) ? ' ✓' : ' ✗'
}

function row(name: string, t: Tally): string {
  return (
    `| ${name} | ${t.spam} | ${rate(t.flagged, t.spam)}${ok(t.flagged, t.spam, 0.9, true)} | ${rate(t.toSpam, t.spam)}${ok(t.toSpam, t.spam, 0.6, true)} ` +
    `| ${t.ham} | ${rate(t.hamToSpam, t.ham)}${ok(t.hamToSpam, t.ham, 0.01, false)} | ${rate(t.hamHeld, t.ham)} | ${t.refused} |`
  )
}
const HEADER =
  '| set | spam | spam flagged (target ≥ 90%) | spam → `spam` (≥ 60%) | legitimate | legitimate → `spam` (≤ 1%) | legitimate held with a reason | refused (409 duplicate) |\n' +
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'

function reasonCounts(results: Result[], pick: (r: Result) => boolean): string {
  const counts = new Map<string, number>()
  for (const r of results) {
    if (!('status' in r) || !pick(r)) continue
    for (const reason of r.reasons) {
      const kind = reason.split(':')[0]!
      counts.set(kind, (counts.get(kind) ?? 0) + 1)
    }
  }
  return (
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `\`${k}\` ${n}`)
      .join(', ') || 'none'
  )
}

// --- 3. learning curve (defined here so EVAL_CURVE_ONLY can run it alone) ------------------------------

const log = (s: string) => console.log(s)
const youtubeHeld = HELD_OUT.flatMap((k) => sets[VIDEOS[k]!]!)
// One site that receives both kinds of comment: the held-out videos and the DataCamp blog (818 + 607),
// shuffled together (seeded). 300 are the test; the rest are posted and decided by their labels as
// published, in steps. On the test, DataCamp's non-commercial "spam" (non-English, one-word) is left out
// of the spam figures (it is decided in training, as that site's moderator did).
const curveSite = seededShuffle([...youtubeHeld, ...sets.datacamp!], 11)
const CURVE_STEPS = [0, 50, 200, 1000]
async function learningCurve(): Promise<string[]> {
  log('learning curve…')
  const curveRows: string[] = []
  const test = curveSite.slice(0, 300)
  const pool = curveSite.slice(300)
  const site = await openSite()
  let done = 0
  for (const n of CURVE_STEPS) {
    if (n > done) {
      const taught = await post(site, pool.slice(done, n), `/learn${n}`)
      await decideAll(site, taught)
      done = n
    }
    const results = await post(site, test, `/test${n}`)
    const t = tally(results, (i) => i.commercial !== false)
    const blog = tally(results, (i) => i.set === 'datacamp' && !i.spam)
    curveRows.push(
      `| ${n} | ${rate(t.toSpam, t.spam)} | ${rate(t.flagged, t.spam)} | ${rate(t.hamToSpam, t.ham)} | ${rate(blog.hamToSpam, blog.ham)} |`,
    )
    log(curveRows.at(-1)!)
  }
  await site.close()
  return curveRows
}
if (process.env.EVAL_CURVE_ONLY) {
  await learningCurve()
  process.exit(0)
}

// --- 1. a new site ------------------------------------------------------------------------------------

const out: string[] = []
log('new site: posting every held-out and outside comment…')
const fresh = await openSite()
const newSite: Record<string, Result[]> = {}
for (const [name, items] of Object.entries(sets)) {
  newSite[name] = await post(fresh, items, '/new')
  log(row(name, tally(newSite[name])))
}
await fresh.close()

const newRows = [
  ...HELD_OUT.map((k) => row(`${VIDEOS[k]} (held out)`, tally(newSite[VIDEOS[k]!]!))),
  row(
    'datacamp: commercial spam vs all legitimate',
    tally(newSite.datacamp!, (i) => !i.spam || i.commercial === true),
  ),
  row('datacamp: every label as published', tally(newSite.datacamp!)),
  row('davidson (tweets; all read as legitimate)', tally(newSite.davidson!)),
  row('impermium (news comments; all read as legitimate)', tally(newSite.impermium!)),
]

log(newRows[2]!)
// EVAL_SHOW=set prints that set's missed spam and harmed legitimate comments (for reading development sets only).
for (const r of process.env.EVAL_SHOW ? (newSite[process.env.EVAL_SHOW] ?? []) : []) {
  if (!('status' in r)) continue
  const missed = r.item.spam && r.item.commercial !== false && r.status !== 'spam'
  if (missed || (!r.item.spam && r.status === 'spam'))
    log(`${r.item.spam ? 'SPAM' : 'HAM '} ${r.status} ${r.score} [${r.reasons.join(' ')}] ${r.item.content.replace(/\s+/g, ' ').slice(0, 160)}`)
}
if (process.env.EVAL_QUICK) process.exit(0)

// --- 2. across sites ----------------------------------------------------------------------------------

log('across sites…')
const acrossRows: string[] = []
const trainings: [string, Item[], string[]][] = [
  ['held-out YouTube videos (Eminem + Shakira)', youtubeHeld, ['datacamp', 'davidson', 'impermium']],
  ['datacamp', sets.datacamp!, [VIDEOS[3]!, VIDEOS[4]!, 'davidson', 'impermium']],
]
for (const [name, train, targets] of trainings) {
  const site = await openSite()
  const taught = await post(site, train, '/train')
  const decided = await decideAll(site, taught)
  for (const target of targets) {
    const sample = seededShuffle(sets[target]!, 7).slice(0, ACROSS_SAMPLE)
    const t = tally(await post(site, sample, '/after'))
    acrossRows.push(
      `| ${name} (${decided} decisions) | ${target} (${sample.length} sampled) | ${rate(t.hamToSpam, t.ham)}${ok(t.hamToSpam, t.ham, 0.01, false)} | ${t.spam ? rate(t.toSpam, t.spam) : '–'} | ${t.spam ? rate(t.flagged, t.spam) : '–'} |`,
    )
    log(acrossRows.at(-1)!)
  }
  await site.close()
}

// --- 3. learning curve --------------------------------------------------------------------------------

const curveRows = await learningCurve()

// --- 4. profanity: the hand-checked sample ------------------------------------------------------------

const isProfane = sharedProfanityCheck()
const outside = ['datacamp', 'davidson', 'impermium'].flatMap((s) => loadOutside(s))
const byId = new Map(outside.map((c) => [`${c.set}:${c.n}`, c]))
const flagsNow = (id: string) => {
  const c = byId.get(id)!
  return isProfane(c.content).length > 0 || isProfane(c.author).length > 0
}
const flaggedNow = outside.filter((c) => flagsNow(`${c.set}:${c.n}`)).length
// The sample (scripts/eval-profanity-sample.ts): two strata drawn with the check as it was then, each
// comment judged by hand. Read as a stratified random sample of the population, it estimates the
// precision and recall of the check as it is now, whatever it flags today.
type Judged = { id: string; flagged: boolean; profane: boolean | null }
type SampleDoc = { drawnFrom: { flagged: number; notFlagged: number }; judgedAtCommit: string; sample: Judged[] }
type Row = { profane: boolean; now: boolean }
function estimate(st: { size: number; rows: Row[] }[]) {
  let tp = 0
  let flaggedEst = 0
  let profaneEst = 0
  for (const s of st) {
    const n = Math.max(1, s.rows.length)
    tp += (s.size * s.rows.filter((r) => r.profane && r.now).length) / n
    flaggedEst += (s.size * s.rows.filter((r) => r.now).length) / n
    profaneEst += (s.size * s.rows.filter((r) => r.profane).length) / n
  }
  return { precision: tp / Math.max(1e-9, flaggedEst), recall: tp / Math.max(1e-9, profaneEst) }
}
/** A judged sample read as the stratified random sample it is: point estimates, 95% bootstrap intervals, and what changed side since the draw. */
function scoreSample(file: string) {
  const doc = JSON.parse(readFileSync(join(LABELS, file), 'utf8')) as SampleDoc
  const judged = doc.sample.filter((j) => j.profane !== null)
  const strata = [
    { size: doc.drawnFrom.flagged, rows: judged.filter((j) => j.flagged) },
    { size: doc.drawnFrom.notFlagged, rows: judged.filter((j) => !j.flagged) },
  ].map((s) => ({ ...s, rows: s.rows.map((j) => ({ profane: j.profane!, now: flagsNow(j.id) })) }))
  const boots: { precision: number; recall: number }[] = []
  let seed = 99
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32
  for (let b = 0; b < 2000; b++) {
    boots.push(estimate(strata.map((s) => ({ size: s.size, rows: s.rows.map(() => s.rows[Math.floor(rand() * s.rows.length)]!) }))))
  }
  const interval = (key: 'precision' | 'recall') => {
    const v = boots.map((b) => b[key]).sort((a, b) => a - b)
    return `${(100 * v[Math.floor(0.025 * v.length)]!).toFixed(1)}–${(100 * v[Math.floor(0.975 * v.length)]!).toFixed(1)}%`
  }
  const asDrawn = estimate(strata.map((s, k) => ({ size: s.size, rows: s.rows.map((r) => ({ ...r, now: k === 0 })) })))
  return {
    doc,
    sizes: strata.map((s) => s.rows.length),
    point: estimate(strata),
    interval,
    asDrawn,
    tpDrawn: strata[0]!.rows.filter((r) => r.profane).length,
    missedDrawn: strata[1]!.rows.filter((r) => r.profane).length,
    changed: strata.flatMap((s, k) => s.rows.filter((r) => r.now !== (k === 0))).length,
  }
}
const pct = (x: number) => `${(100 * x).toFixed(1)}%`
const first = scoreSample('profanity-sample.json')
const clean = scoreSample('profanity-sample-2.json')
log(
  `profanity, first sample: precision ${pct(first.point.precision)} (${first.interval('precision')}), recall ${pct(first.point.recall)} (${first.interval('recall')})`,
)
log(
  `profanity, clean sample: precision ${pct(clean.point.precision)} (${clean.interval('precision')}), recall ${pct(clean.point.recall)} (${clean.interval('recall')})`,
)

// --- the document -------------------------------------------------------------------------------------

const prior = priorModel()
out.push(`# Evaluation of the checks

Written by \`npm run eval\` (scripts/eval.ts) on ${new Date().toISOString().slice(0, 10)}, in ${Math.round((Date.now() - started) / 1000)} s.
Shipped prior: \`${prior.version}\`. Data is read from \`${DATA_DIR.includes('shared') ? '../shared/data' : DATA_DIR}\` at run time and never copied here.

How every figure below is measured: each comment is **posted through the app's HTTP API as the embed posts
it** (JSON with the form token the article's list handed out a few seconds before, an empty honeypot, a
browser's User-Agent, each commenter at their own address), on a **fresh site** (new embedded database,
shipped defaults: \`SPAM_THRESHOLD\` as shipped, no word lists, no languages set), and its stored verdict is
read back: \`spam\`, or \`pending\` with or without reasons. "Flagged" is \`spam\` or pending with a reason.
Moderator decisions go through the moderator API (\`POST /api/admin/comments/bulk\`). Every rate has its
Wilson 95% interval. A ✓ or ✗ compares the rate itself with the target.

**Which data is which.** Tuning: the shipped prior was trained on YouTube videos Psy, KatyPerry and LMFAO
(and the 40 hand-written examples in src/moderation/seed.ts), and the threshold was chosen by
cross-validation on those three videos only (scripts/train-model.ts). Report: the held-out videos Eminem and
Shakira and the three outside sets were never trained on and no threshold was chosen on them. Caveat: the
hand-set weights of the signals (src/moderation/signals.ts) and the word lists were written while reading
failures in the outside sets (which their README allows: "look at them, measure on them"), so those sets
are development data for the signals, not a clean test; the hidden blog set is the clean test.

## 1. A new site: shipped defaults and prior only, no decisions

${HEADER}
${newRows.join('\n')}

Reasons on spam (all sets): ${reasonCounts(Object.values(newSite).flat(), (r) => r.item.spam)}.
Reasons on legitimate comments held: ${reasonCounts(Object.values(newSite).flat(), (r) => !r.item.spam)}.

DataCamp's spam labels include non-English and one-word comments and genuine questions (its README says so);
\`scripts/eval-labels/datacamp-commercial.json\` lists, by id, the ${commercial.size} of its 110 spam comments that
are commercial (marketing, services, links by name), judged by reading each one. The first DataCamp row scores
those against all legitimate comments. Davidson and Impermium carry no spam labels: every comment is read as
legitimate, so their rows measure harm only (a few may in fact be spam).

## 2. Across sites: trained on one set's decisions, scored on others

A fresh site posts one set and a moderator decides every comment by its label; then ${ACROSS_SAMPLE} comments of each
other set (seeded sample) are posted to the same site.

| trained on | scored on | legitimate → \`spam\` (≤ 1%) | spam → \`spam\` | spam flagged |
| --- | --- | ---: | ---: | ---: |
${acrossRows.join('\n')}

## 3. Learning curve on one site

One site that receives both video and blog comments: the held-out videos' ${youtubeHeld.length} comments and DataCamp's
${sets.datacamp!.length}, shuffled together (seeded). 300 of them are the test, posted after each step under new article keys; the
rest are posted and decided in steps by their labels as published (${curveSite.length - 300} available). The spam columns leave out
DataCamp's non-commercial "spam" (non-English, one-word comments: decided as labelled in training, not scored), so
they count the videos' spam and DataCamp's commercial spam. DataCamp is development data for the signals (see
section 1), so this curve is a development figure too.

| decisions | spam → \`spam\` | spam flagged | legitimate → \`spam\` | of them, DataCamp's legitimate → \`spam\` |
| ---: | ---: | ---: | ---: | ---: |
${curveRows.join('\n')}

## 4. Profanity: hand-checked samples from ../shared/data/outside

Two seeded samples were drawn from the three outside sets, each text read in full and judged: does it contain
profanity, a slur or an obscene insult? Ids and verdicts, not texts, are in \`scripts/eval-labels/\` (each file's
note says how borderline words were judged). Each is read as the stratified random sample it is (each stratum
weighed by its size), so it measures the check as shipped; intervals are from 2,000 bootstrap resamples within
the strata. The shipped check flags ${flaggedNow} of the ${outside.length} comments.

**The clean reading** (\`profanity-sample-2.json\`): ${clean.sizes[0]} comments the check flagged and ${clean.sizes[1]} it did not (of
${clean.doc.drawnFrom.flagged} and ${clean.doc.drawnFrom.notFlagged}, the check as of ${clean.doc.judgedAtCommit}), drawn from the comments the first sample does
not hold, so none of them was read while the word lists were written, and no word was added after reading
them. As drawn: ${clean.tpDrawn} of the ${clean.sizes[0]} flagged were profane; ${clean.missedDrawn} of the ${clean.sizes[1]} not flagged were. ${clean.changed} changed side since.

- Precision: **${pct(clean.point.precision)}** (${clean.interval('precision')}); target ≥ 80%.
- Recall: **${pct(clean.point.recall)}** (${clean.interval('recall')}); target ≥ 90%.

**The first sample** (\`profanity-sample.json\`): 200 flagged and 200 not (of ${first.doc.drawnFrom.flagged} and ${first.doc.drawnFrom.notFlagged}, the check as of
${first.doc.judgedAtCommit}). As drawn: ${first.tpDrawn} of the 200 flagged were profane; ${first.missedDrawn} of the 200 not flagged were. Words were added
after reading its misses (hoe(s), -tard insults, f'cked, beeeoch; ${first.changed} sampled comments changed side), so the figures
after them are optimistic: precision ${pct(first.point.precision)} (${first.interval('precision')}), recall ${pct(first.point.recall)} (${first.interval('recall')}); as drawn,
before them, recall was ${pct(first.asDrawn.recall)} and precision ${pct(first.asDrawn.precision)}.
`)

writeFileSync(join(import.meta.dirname, '..', 'EVALUATION.md'), out.join('\n') + (process.env.EVAL_NOTES ?? readNotes()))
console.log(`\nWrote EVALUATION.md in ${Math.round((Date.now() - started) / 1000)} s`)
process.exit(0) // the sites' background timers (retention, webhooks) would keep the process alive

function readNotes(): string {
  try {
    return '\n' + readFileSync(join(LABELS, 'notes.md'), 'utf8')
  } catch {
    return ''
  }
}
