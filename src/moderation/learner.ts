import type { Status } from '../db/schema.js'
import { bucketOf, decodeModel, FAMILY, FEATURE_BITS, familyOf, features, SpamModel, type Example, type Label, type Message } from './classifier.js'
import { keyedHash } from '../privacy/email.js'
import type { Keys } from '../privacy/keys.js'
import { PRIOR_MODEL } from './prior-model.js'

/** Where the learned state changed: `seq` on every decision, `resetSeq` when one was reversed or withdrawn. */
export type ModelVersion = { seq: number; resetSeq: number }
export type StoredExample = Example & { seq: number }

/** The moderators' decisions as training examples: in the database in production, in memory for the eval and tests. */
export interface ModelStore {
  version(): Promise<ModelVersion>
  /** Decided examples changed after `afterSeq` (withdrawn ones left out), oldest first, at most `limit` newest. */
  examples(afterSeq: number, limit: number): Promise<StoredExample[]>
  /** Sets what one message (named by key) teaches; null withdraws it. Setting the same label again changes nothing. */
  relabel(key: string, feats: Int32Array, label: Label | null): Promise<void>
}

/** Which label a moderator's decision teaches: approved is ham, spam is spam; pending and trash teach nothing. */
export function labelOf(status: Status): Label | null {
  return status === 'approved' ? 'ham' : status === 'spam' ? 'spam' : null
}

/** The newest decisions a full training reads (bounds its time and memory). */
export const MAX_EXAMPLES = 10_000

let shipped: { version: string; model: SpamModel } | undefined
/** The shipped prior (scripts/train-model.ts), decoded once per process. */
export function priorModel(): { version: string; model: SpamModel } {
  shipped ??= decodeModel(PRIOR_MODEL)
  return shipped
}

/**
 * What a site's decisions may teach: its words, character n-grams, authors' words and link hosts, on top
 * of the prior, with no bias of its own. Not the shapes (capitals, digits): those the prior knows across
 * sites, and one site's habits must not make it harsh on kinds of comment that site never saw.
 */
export const SITE_FAMILIES = [FAMILY.legacy, FAMILY.chars, FAMILY.words, FAMILY.author, FAMILY.link]

/**
 * The most the shipped prior alone may say, in log-odds: sigmoid(1.5) = 0.82, under any sensible
 * SPAM_THRESHOLD. A model trained on video comments is a weak judge of a blog's (EVALUATION.md): alone it
 * can hold a comment (a `spam_score` reason from 0.8) but not send it to spam; it adds to the signals,
 * and a site's own decisions, learned on top, may say more.
 */
export const PRIOR_CAP = 1.5

/** The prior as a base: its margin capped at PRIOR_CAP. */
export function capped(model: SpamModel): { margin(f: Int32Array): number; score(f: Int32Array): number } {
  const margin = (f: Int32Array) => Math.min(PRIOR_CAP, model.margin(f))
  return { margin, score: (f) => 1 / (1 + Math.exp(-margin(f))) }
}

/** A site's model: its score, and how much of its log-odds its own decisions give (the rest is the shipped prior's). */
export type ScoringModel = { score(f: Int32Array): number; siteMargin(f: Int32Array): number }

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))

/** The model a site has: the prior alone, or trained on its decisions on top of the prior. A pure function of the decisions. */
export function siteModel(decisions: readonly Example[], prior: boolean | SpamModel = true): ScoringModel {
  const raw = prior === true ? priorModel().model : prior === false ? undefined : prior
  const base = raw ? capped(raw) : undefined
  if (decisions.length === 0) {
    if (base) return { score: (f) => base.score(f), siteMargin: () => 0 }
    const empty = new SpamModel()
    return { score: (f) => empty.score(f), siteMargin: (f) => empty.margin(f) }
  }
  const site = SpamModel.train(decisions, base ? { base, families: SITE_FAMILIES } : {})
  if (!base) return { score: (f) => site.score(f), siteMargin: (f) => site.margin(f) }
  // What the decisions said about a comment counts as far as they knew its words: the site model's margin
  // is weighed by the square of the share of the comment's words that some decision contained. A comment
  // of a kind the site never decided (a technical question on a music site) is judged by the prior and
  // the signals, not by weights learned from other kinds of text.
  const known = new Uint8Array(1 << FEATURE_BITS)
  for (const ex of decisions)
    for (let i = 0; i < ex.features.length; i++) if (familyOf(ex.features[i]!) === FAMILY.words) known[bucketOf(ex.features[i]!)] = 1
  const siteMargin = (f: Int32Array) => {
    let words = 0
    let seen = 0
    for (let i = 0; i < f.length; i++) {
      if (familyOf(f[i]!) !== FAMILY.words) continue
      words++
      seen += known[bucketOf(f[i]!)]!
    }
    const coverage = words === 0 ? 0 : seen / words
    return coverage * coverage * site.margin(f)
  }
  return { score: (f) => sigmoid(base.margin(f) + siteMargin(f)), siteMargin }
}

const encoder = new TextEncoder()
const messageText = (m: Message) => `${m.author}\u0000${m.url ?? ''}\u0000${m.content}`

/**
 * A message's identity in the model before issue 14: an unkeyed SHA-256 of its name, website and text,
 * with which anyone holding the table could confirm a guessed comment. Still computed to find old rows
 * (erasure removes them too) and used only where no keys are given (the eval's and tests' memory store).
 */
export async function legacyMessageKey(m: Message): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(messageText(m)))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** A message's identity in the model, keyed by the site's SECRET_KEY: the same text by the same name is one example. */
export function keyedMessageKey(keys: Keys): (m: Message) => Promise<string> {
  return (m) => keyedHash(keys, 'spam-example', messageText(m))
}

export type Learner = {
  /** The spam probability of a message, from the model kept in memory (refreshed from the store when it changed). */
  score(m: Message): Promise<number>
  /** The same score, and the log-odds of it that the site's own decisions give (0 on a new site). */
  explain(m: Message): Promise<{ score: number; siteMargin: number }>
  /** A moderator moved a message to a status: learn, unlearn or relearn it. */
  learn(m: Message, to: Status): Promise<void>
}

export type LearnerOptions = {
  /** Build on the shipped prior (default true), or on this model instead (the training script's cross-validation). */
  prior?: boolean | SpamModel
  /** How often the store's version is checked, at most (default 1 s). */
  refreshMs?: number
  /** Milliseconds clock (tests). */
  now?: () => number
  /** How a message is named in the store (default: the unkeyed legacy key; production passes keyedMessageKey). */
  keyOf?: (m: Message) => Promise<string>
}

/**
 * The model lives in memory, one per instance. The store's version is read at most once per refreshMs;
 * when decisions changed, the model is trained again from all stored decisions on top of the shipped
 * prior (deterministic; at most once per refreshMs), so a reversed decision is gone exactly.
 */
export function createLearner(store: ModelStore, options: LearnerOptions = {}): Learner {
  const prior = options.prior ?? true
  const refreshMs = options.refreshMs ?? 1_000
  const now = options.now ?? Date.now
  const keyOf = options.keyOf ?? legacyMessageKey
  let model: ScoringModel | undefined
  let loadedSeq = -1
  let checkedAt = -Infinity
  let refreshing: Promise<ScoringModel> | undefined

  async function refresh(): Promise<ScoringModel> {
    const v = await store.version()
    // Any change retrains from the stored decisions, so the model in memory is always the one a
    // restart would build from the same rows: the same scores before and after.
    if (!model || v.seq > loadedSeq) {
      const rows = await store.examples(0, MAX_EXAMPLES)
      model = siteModel(rows, prior)
      loadedSeq = Math.max(v.seq, ...rows.map((r) => r.seq))
    }
    return model
  }

  async function current(): Promise<ScoringModel> {
    if (model && now() - checkedAt < refreshMs) return model
    // One refresh at a time; requests arriving meanwhile share it.
    refreshing ??= refresh().finally(() => {
      checkedAt = now()
      refreshing = undefined
    })
    try {
      return await refreshing
    } catch (error) {
      // A failed refresh keeps the model already in memory; with none yet, the request fails as before.
      if (model) return model
      throw error
    }
  }

  return {
    async score(m) {
      return (await current()).score(features(m))
    },
    async explain(m) {
      const model = await current()
      const f = features(m)
      return { score: model.score(f), siteMargin: model.siteMargin(f) }
    },
    async learn(m, to) {
      await store.relabel(await keyOf(m), features(m), labelOf(to))
      checkedAt = -Infinity // this instance sees its own decision on the next score
    },
  }
}

/** The store in memory: the eval's and the tests'. Same semantics as the database's PostgresModelStore. */
export class MemoryModelStore implements ModelStore {
  private seq = 0
  private resetSeq = 0
  private readonly rows = new Map<string, { features: Int32Array; label: Label | null; seq: number }>()

  async version(): Promise<ModelVersion> {
    return { seq: this.seq, resetSeq: this.resetSeq }
  }

  async examples(afterSeq: number, limit: number): Promise<StoredExample[]> {
    const out: StoredExample[] = []
    for (const r of this.rows.values()) if (r.seq > afterSeq && r.label) out.push({ features: r.features, label: r.label, seq: r.seq })
    return out.sort((a, b) => a.seq - b.seq).slice(-limit)
  }

  async relabel(key: string, feats: Int32Array, label: Label | null): Promise<void> {
    const before = this.rows.get(key)
    if ((before?.label ?? null) === label) return
    this.seq++
    if (before?.label) this.resetSeq = this.seq
    this.rows.set(key, { features: feats, label, seq: this.seq })
  }
}
