import type { Status } from '../db/schema.js'
import { features, MemoryModelStore, spamScore, type Counts, type Label, type Message, type ModelStore } from './classifier.js'
import { SEED_HAM, SEED_SPAM } from './seed.js'

/** Which label a moderator's decision teaches: approved is ham, spam is spam; pending and trash teach nothing. */
export function labelOf(status: Status): Label | null {
  return status === 'approved' ? 'ham' : status === 'spam' ? 'spam' : null
}

let seedModel: MemoryModelStore | undefined
/** The shipped prior as counts, built once per process from the hand-written seed. */
function seed(): MemoryModelStore {
  if (!seedModel) {
    seedModel = new MemoryModelStore()
    for (const content of SEED_SPAM) seedModel.add(features({ author: '', content, url: null }), 'spam', 1)
    for (const content of SEED_HAM) seedModel.add(features({ author: '', content, url: null }), 'ham', 1)
  }
  return seedModel
}

const encoder = new TextEncoder()
/** A message's identity in the model: the same text by the same name is one message however often it is decided. */
async function messageKey(m: Message): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(`${m.author}\u0000${m.url ?? ''}\u0000${m.content}`))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export type Learner = {
  /** The spam probability of a message, from the learned counts plus the shipped prior. */
  score(m: Message): Promise<number>
  /** A moderator moved a message from one status to another: learn, unlearn or relearn it. */
  learn(m: Message, to: Status): Promise<void>
}

export function createLearner(store: ModelStore, options: { prior?: boolean } = {}): Learner {
  const prior = options.prior === false ? undefined : seed()
  return {
    async score(m) {
      const feats = features(m)
      const { totals, counts } = await store.lookup(feats)
      if (!prior) return spamScore(feats, totals, counts)
      const merged = new Map<string, Counts>(counts)
      for (const f of feats) {
        const p = prior.counts.get(f)
        if (!p) continue
        const c = merged.get(f) ?? { spam: 0, ham: 0 }
        merged.set(f, { spam: c.spam + p.spam, ham: c.ham + p.ham })
      }
      const sum = { spam: totals.spam + prior.totals.spam, ham: totals.ham + prior.totals.ham }
      return spamScore(feats, sum, merged)
    },
    async learn(m, to) {
      await store.relabel(await messageKey(m), features(m), labelOf(to))
    },
  }
}
