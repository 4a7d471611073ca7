import type { Status } from '../db/schema.js'
import { features, SpamModel, type Example, type Label, type Message } from './classifier.js'
import { SEED_HAM, SEED_SPAM } from './seed.js'

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

let seedExamples: Example[] | undefined
/** The shipped prior: the hand-written seed as examples, trained along with the decisions. */
function seed(): Example[] {
  seedExamples ??= [
    ...SEED_SPAM.map((content) => ({ features: features({ author: '', content, url: null }), label: 'spam' as const })),
    ...SEED_HAM.map((content) => ({ features: features({ author: '', content, url: null }), label: 'ham' as const })),
  ]
  return seedExamples
}

const encoder = new TextEncoder()
/** A message's identity in the model: the same text by the same name is one example however often it is decided. */
async function messageKey(m: Message): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(`${m.author}\u0000${m.url ?? ''}\u0000${m.content}`))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export type Learner = {
  /** The spam probability of a message, from the model kept in memory (refreshed from the store when it changed). */
  score(m: Message): Promise<number>
  /** A moderator moved a message to a status: learn, unlearn or relearn it. */
  learn(m: Message, to: Status): Promise<void>
}

export type LearnerOptions = {
  /** Train on the shipped seed too (default true). */
  prior?: boolean
  /** How often the store's version is checked, at most (default 1 s). */
  refreshMs?: number
  /** Milliseconds clock (tests). */
  now?: () => number
}

/**
 * The model lives in memory, one per instance. The store's version is read at most once per refreshMs:
 * new decisions are learned on top of the model; a reversed or withdrawn one retrains it from the stored
 * decisions, so the old label is gone exactly.
 */
export function createLearner(store: ModelStore, options: LearnerOptions = {}): Learner {
  const prior = options.prior === false ? [] : seed()
  const refreshMs = options.refreshMs ?? 1_000
  const now = options.now ?? Date.now
  let model: SpamModel | undefined
  let loadedSeq = -1
  let checkedAt = -Infinity
  let refreshing: Promise<SpamModel> | undefined

  async function refresh(): Promise<SpamModel> {
    const v = await store.version()
    if (!model || v.resetSeq > loadedSeq) {
      const rows = await store.examples(0, MAX_EXAMPLES)
      model = SpamModel.train([...prior, ...rows])
      loadedSeq = Math.max(v.seq, ...rows.map((r) => r.seq))
    } else if (v.seq > loadedSeq) {
      const rows = await store.examples(loadedSeq, MAX_EXAMPLES)
      model.learnMore(rows)
      loadedSeq = Math.max(v.seq, ...rows.map((r) => r.seq))
    }
    return model
  }

  async function current(): Promise<SpamModel> {
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
    async learn(m, to) {
      await store.relabel(await messageKey(m), features(m), labelOf(to))
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
