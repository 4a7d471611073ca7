import { countLinks } from './links.js'
import { normalizeText, stripMarkup, tokenize, unleet } from './normalize.js'

/** What the classifier reads of a comment. */
export type Message = { author: string; content: string; url: string | null }
export type Label = 'spam' | 'ham'

/** Features are hashed into 2^20 buckets: a 4 MB weight vector, few collisions at comment scale. */
export const FEATURE_BITS = 20
const MASK = (1 << FEATURE_BITS) - 1
/** Only the start of a long comment is read: bounds the cost of a 5,000-character comment and of a stored example. */
const MAX_CHARS = 2_000
const MAX_WORDS = 400
const MAX_HOSTS = 8
// eslint-disable-next-line no-misleading-character-class -- lone combining and joining characters are what is matched
const INVISIBLE = /[\u00ad\u034f\u180e\u200b-\u200f\u2060-\u2064\ufeff]/g

// FNV-1a, extended one character at a time, so every n-gram's hash costs one step over its prefix's.
const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 16777619
function step(h: number, code: number): number {
  return Math.imul(h ^ code, FNV_PRIME)
}
function hash(s: string, h = FNV_OFFSET): number {
  for (let i = 0; i < s.length; i++) h = step(h, s.charCodeAt(i))
  return h
}

/**
 * A feature is a number: its family in the bits above FEATURE_BITS, its bucket below. The family only
 * sets how much the feature counts (FAMILY_WEIGHT); all families share the one weight vector.
 * Family 0 is a feature stored before families existed (features version 1): same buckets, weight 1.
 */
export const FAMILY = { legacy: 0, chars: 1, words: 2, author: 3, shape: 4, link: 5 } as const
/** How much each family counts (EVALUATION.md says how these were chosen): character n-grams half, links' hosts double. */
const FAMILY_WEIGHT = Float32Array.of(1, 0.5, 1, 1, 1, 2)
const feature = (family: number, h: number) => (family << FEATURE_BITS) | ((h >>> 0) & MASK)
export const bucketOf = (f: number) => f & MASK
export const familyOf = (f: number) => f >>> FEATURE_BITS
const weightOf = (f: number) => FAMILY_WEIGHT[f >>> FEATURE_BITS] ?? 1

// A written link: scheme or www. or a path makes it one ("example.com/x"); a bare "a.b" is not counted.
// It starts only where a host can start (not inside one), so a long run of letters and dots costs one pass.
const HOST = /(?<![a-z0-9.-])(https?:\/\/|www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,6})\b([/?][^\s<>"]*)?/g

/**
 * The features of a message, as sorted distinct numbers (family and bucket): character 3–5-grams of the
 * normalized text (digits read as 0), its words and word pairs (leetspeak read), the author's words,
 * shapes spam has (links, shouting, digits, length, non-Latin letters, "!!"), and each written link's
 * host, top-level domain and path length.
 */
export function features(m: Message): Int32Array {
  const out: number[] = []
  const plain = stripMarkup(m.content.slice(0, MAX_CHARS)).replace(INVISIBLE, '')
  const norm = normalizeText(plain)
  const text = ` ${norm.replace(/\s+/g, ' ').trim().replace(/[0-9]/g, '0')} `
  const gram = hash('c')
  for (let i = 0; i + 3 <= text.length; i++) {
    let h = gram
    for (let n = 0; n < 5 && i + n < text.length; n++) {
      h = step(h, text.charCodeAt(i + n))
      if (n >= 2) out.push(feature(FAMILY.chars, h))
    }
  }
  const words = tokenize(norm).slice(0, MAX_WORDS).map(unleet)
  const word = hash('w')
  const pair = hash('b')
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    out.push(feature(FAMILY.words, hash(w, word)))
    const next = words[i + 1]
    if (next !== undefined) out.push(feature(FAMILY.words, hash(next, hash(' ', hash(w, pair)))))
  }
  for (const w of tokenize(normalizeText(m.author)).slice(0, 8)) out.push(feature(FAMILY.author, hash(unleet(w), hash('a'))))
  for (const s of shapes(m, plain, words.length)) out.push(feature(FAMILY.shape, hash(s, hash('s'))))
  const link = hash('d')
  let hosts = 0
  for (const [, prefix, host, path = ''] of norm.matchAll(HOST)) {
    if (!prefix && !path) continue
    if (++hosts > MAX_HOSTS) break
    const labels = host!.split('.')
    out.push(feature(FAMILY.link, hash(`host:${labels.slice(-2).join('.')}`, link)))
    out.push(feature(FAMILY.link, hash(`tld:${labels.at(-1)}`, link)))
    out.push(feature(FAMILY.link, hash(`path:${path.length <= 1 ? 'none' : path.length <= 12 ? 'short' : 'long'}`, link)))
  }
  const sorted = Int32Array.from(out).sort()
  let k = 0
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[k++] = sorted[i]!
  return sorted.slice(0, k)
}

/** Coarse shapes of the text as seen (case kept, markup and invisible characters removed). */
function shapes(m: Message, plain: string, wordCount: number): string[] {
  let upper = 0
  let lower = 0
  let digits = 0
  let nonAscii = 0
  for (let i = 0; i < plain.length; i++) {
    const ch = plain[i]!
    const code = ch.charCodeAt(0)
    if (code >= 48 && code <= 57) digits++
    else if (code > 127) nonAscii++
    const l = ch.toLowerCase()
    const u = ch.toUpperCase()
    if (l === u) continue
    if (ch === u) upper++
    else lower++
  }
  const links = countLinks(m.content.slice(0, MAX_CHARS))
  const out = [
    `links:${Math.min(links, 2)}`,
    `caps:${upper + lower < 8 ? 'few' : Math.floor((4 * upper) / (upper + lower))}`,
    `digits:${Math.min(4, Math.ceil(Math.log2(1 + digits)))}`,
    `words:${Math.min(8, Math.floor(Math.log2(1 + wordCount)))}`,
    `non_ascii:${nonAscii === 0 ? 0 : nonAscii < 3 ? 1 : 2}`,
  ]
  if (m.url) out.push('url')
  if (/!{2,}/.test(plain)) out.push('bang')
  return out
}

/** One learned example: a message's features and the label a moderator gave it. */
export type Example = { features: Int32Array; label: Label }

// Training settings (EVALUATION.md says how they were chosen): SGD on the log loss, step LEARNING_RATE / (1 + epoch).
const LEARNING_RATE = 3
const L2 = 1e-6
/** Full training makes at most this many example steps (epochs shrink as decisions grow), at least 2 epochs. */
const TRAIN_BUDGET = 200_000
const MAX_EPOCHS = 10
/** After full training, each seen bucket's naive Bayes log-ratio (smoothed by 1) is added, times this. */
const NAIVE_BAYES_WEIGHT = 0.05

/**
 * Logistic regression over hashed binary features, each weighed by its family and the example's vector
 * scaled to unit length, plus a small naive Bayes term folded into the same weights. Trained in full
 * from the stored decisions (deterministic: same decisions, same model) and updated online as new
 * decisions arrive.
 */
export class SpamModel {
  readonly weights = new Float32Array(1 << FEATURE_BITS)
  bias = 0

  /** The spam probability (0…1) of a message's features. */
  score(feats: Int32Array): number {
    const z = this.margin(feats)
    return 1 / (1 + Math.exp(-z))
  }

  private margin(feats: Int32Array): number {
    let z = 0
    let norm = 0
    for (let i = 0; i < feats.length; i++) {
      const v = weightOf(feats[i]!)
      z += v * this.weights[feats[i]! & MASK]!
      norm += v * v
    }
    return norm === 0 ? this.bias : this.bias + z / Math.sqrt(norm)
  }

  /** One stochastic gradient step of the log loss on one example. */
  update(ex: Example, rate: number): void {
    const feats = ex.features
    if (feats.length === 0) return
    const y = ex.label === 'spam' ? 1 : 0
    const g = 1 / (1 + Math.exp(-this.margin(feats))) - y
    let norm = 0
    for (let i = 0; i < feats.length; i++) norm += weightOf(feats[i]!) ** 2
    const scale = 1 / Math.sqrt(norm)
    for (let i = 0; i < feats.length; i++) {
      const b = feats[i]! & MASK
      this.weights[b] = this.weights[b]! - rate * (g * scale * weightOf(feats[i]!) + L2 * this.weights[b]!)
    }
    this.bias -= rate * g
  }

  /** Trains from scratch on these examples, in a fixed pseudo-random order per epoch. */
  static train(examples: readonly Example[]): SpamModel {
    const model = new SpamModel()
    const order = examples.map((_, i) => i)
    const epochs = Math.max(2, Math.min(MAX_EPOCHS, Math.floor(TRAIN_BUDGET / Math.max(1, examples.length))))
    let seed = 12345
    for (let e = 0; e < epochs; e++) {
      for (let i = order.length - 1; i > 0; i--) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
        const j = seed % (i + 1)
        const t = order[i]!
        order[i] = order[j]!
        order[j] = t
      }
      const rate = LEARNING_RATE / (1 + e)
      for (const i of order) model.update(examples[i]!, rate)
    }
    model.addNaiveBayes(examples)
    return model
  }

  /**
   * Adds NAIVE_BAYES_WEIGHT × log(P(bucket | spam) / P(bucket | ham)) to every bucket the examples use
   * (counts per example, smoothed by 1). The counts live only while training: two 16-bit arrays, 4 MB.
   */
  private addNaiveBayes(examples: readonly Example[]): void {
    const spam = new Uint16Array(1 << FEATURE_BITS)
    const ham = new Uint16Array(1 << FEATURE_BITS)
    let nSpam = 0
    for (const ex of examples) {
      const counts = ex.label === 'spam' ? spam : ham
      if (ex.label === 'spam') nSpam++
      for (let i = 0; i < ex.features.length; i++) {
        const b = ex.features[i]! & MASK
        if (counts[b]! < 0xffff) counts[b]!++
      }
    }
    const prior = Math.log((examples.length - nSpam + 2) / (nSpam + 2))
    for (let b = 0; b < spam.length; b++) {
      if (spam[b] === 0 && ham[b] === 0) continue
      this.weights[b] = this.weights[b]! + NAIVE_BAYES_WEIGHT * (Math.log((spam[b]! + 1) / (ham[b]! + 1)) + prior)
    }
  }

  /** New decisions on top of a trained model: a few passes at the final epochs' step size. */
  learnMore(examples: readonly Example[]): void {
    for (let e = 0; e < 3; e++) for (const ex of examples) this.update(ex, LEARNING_RATE / (MAX_EPOCHS - 2 + e))
  }
}
