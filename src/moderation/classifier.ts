import { INVISIBLE, normalizeText, stripMarkup, tokenize, unleet } from '../text/normalize.js'

/** What the classifier reads of a comment. */
export type Message = { author: string; content: string; url: string | null }
export type Label = 'spam' | 'ham'

/** Features are hashed into 2^20 buckets: a 4 MB weight vector, few collisions at comment scale. */
export const FEATURE_BITS = 20
const MASK = (1 << FEATURE_BITS) - 1
/** Hosts read per comment (a comment made of links gives its first ones; the signals count them all). */
const MAX_HOSTS = 8

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

// A written link: scheme or www. or a path makes it one ("example.com/x"); a bare "a.b" is not counted.
// It starts only where a host can start (not inside one), so a long run of letters and dots costs one pass.
const HOST = /(?<![a-z0-9.-])(https?:\/\/|www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,6})\b([/?][^\s<>"]*)?/g

const HAS_DIGIT = /\p{N}/u
// A run of letters and digits joined by - or _, 8 characters or more (it starts only where a word can
// start, and the look-ahead reads at most 8 characters: one pass).
const CODE = /(?<![\p{L}\p{N}_-])(?=[\p{L}\p{N}_-]{8})[\p{L}\p{N}]+(?:[-_][\p{L}\p{N}]+)*/gu
/**
 * An id, hash, serial or order number: 8 or more characters mixing at least two digits with letters
 * (a UUID, a commit hash, "ABX7-99QK-22LM"). It says nothing about spam, but its random letters and
 * digits are n-grams a small training set has seen mostly in spam: it is read as no text at all.
 */
export function dropCodes(text: string): string {
  if (!HAS_DIGIT.test(text)) return text
  return text.replace(CODE, (run) => {
    if (run.length < 8) return run
    let digits = 0
    let letters = 0
    for (let i = 0; i < run.length; i++) {
      const c = run.charCodeAt(i)
      if (c >= 48 && c <= 57) digits++
      else if (c !== 45 && c !== 95) letters++
    }
    return digits >= 2 && letters >= 1 ? ' ' : run
  })
}

/**
 * The features of a message, as sorted distinct numbers (family and bucket): character 3–5-grams of the
 * normalized text (digits read as 0), its words and word pairs (leetspeak read), the author's words,
 * shapes of the text (shouting, digits, non-Latin letters, "!!"), and each written link's host (a link's
 * own letters are read only as its host).
 */
export function features(m: Message): Int32Array {
  const out = new Distinct()
  // The whole comment is read: spam behind a long harmless text is still seen (each step is linear in its length).
  const plain = stripMarkup(m.content).replace(INVISIBLE, '')
  const norm = normalizeText(plain)
  // A link's text is read only as its host (below): its letters would teach "has a link" again, which
  // one kind of site (video spam) holds against every comment that cites a source.
  // Ids and hashes (dropCodes) are read as no text either.
  const words0 = dropCodes(
    norm.replace(HOST, (whole, prefix: string | undefined, _host: string, path: string | undefined) => (prefix || path ? ' ' : whole)),
  )
  const text = ` ${words0.replace(/\s+/g, ' ').trim().replace(/[0-9]/g, '0')} `
  const gram = hash('c')
  for (let i = 0; i + 3 <= text.length; i++) {
    let h = gram
    for (let n = 0; n < 5 && i + n < text.length; n++) {
      h = step(h, text.charCodeAt(i + n))
      if (n >= 2) out.add((FAMILY.chars << FEATURE_BITS) | ((h >>> 0) & MASK))
    }
  }
  const words = tokenize(words0).map(unleet)
  const word = hash('w')
  const pair = hash('b')
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    out.push(feature(FAMILY.words, hash(w, word)))
    const next = words[i + 1]
    if (next !== undefined) out.push(feature(FAMILY.words, hash(next, hash(' ', hash(w, pair)))))
  }
  for (const w of tokenize(normalizeText(m.author)).slice(0, 8)) out.push(feature(FAMILY.author, hash(unleet(w), hash('a'))))
  for (const s of shapes(dropCodes(plain))) out.push(feature(FAMILY.shape, hash(s, hash('s'))))
  const link = hash('d')
  let hosts = 0
  for (const [, prefix, host, path] of norm.matchAll(HOST)) {
    if (!prefix && !path) continue
    if (++hosts > MAX_HOSTS) break
    const labels = host!.split('.')
    out.push(feature(FAMILY.link, hash(`host:${labels.slice(-2).join('.')}`, link)))
  }
  return out.sorted()
}

// Duplicates are dropped as features are made, not by sorting them all: a 50,000-character comment makes
// 150,000 character n-grams but few distinct ones. Per bucket: the call that last saw it, and which families.
const seenIn = new Uint32Array(1 << FEATURE_BITS)
const seenFamilies = new Uint8Array(1 << FEATURE_BITS)
let generation = 0

/** The distinct features of one call (one generation of the seen-tables), kept as they come. */
class Distinct {
  private readonly kept: number[] = []
  private readonly gen: number
  constructor() {
    generation = (generation + 1) >>> 0
    if (generation === 0) {
      seenIn.fill(0)
      generation = 1
    }
    this.gen = generation
  }
  add(f: number): void {
    const b = f & MASK
    const bit = 1 << (f >>> FEATURE_BITS)
    if (seenIn[b] !== this.gen) {
      seenIn[b] = this.gen
      seenFamilies[b] = bit
      this.kept.push(f)
      return
    }
    if (seenFamilies[b]! & bit) return
    seenFamilies[b] = seenFamilies[b]! | bit
    this.kept.push(f)
  }
  push(f: number): void {
    this.add(f)
  }
  sorted(): Int32Array {
    return Int32Array.from(this.kept).sort()
  }
}

/** Coarse shapes of the text as seen (case kept, markup and invisible characters removed). */
function shapes(plain: string): string[] {
  let upper = 0
  let lower = 0
  let digits = 0
  let nonAscii = 0
  for (let i = 0; i < plain.length; i++) {
    const code = plain.charCodeAt(i)
    if (code < 128) {
      if (code >= 48 && code <= 57) digits++
      else if (code >= 65 && code <= 90) upper++
      else if (code >= 97 && code <= 122) lower++
      continue
    }
    nonAscii++
    // Halves of emoji and other astral characters, and symbols and punctuation, have no case.
    if ((code >= 0xd800 && code <= 0xdfff) || (code >= 0x3000 && code <= 0x9fff)) continue
    const ch = plain[i]!
    const l = ch.toLowerCase()
    const u = ch.toUpperCase()
    if (l === u) continue
    if (ch === u) upper++
    else lower++
  }
  // Nothing here says whether the comment has a link or how long it is: a model trained on one kind of
  // site learns those from that site's habits (video spam carries links, video comments are short) and
  // would hold them against every long or link-citing comment elsewhere. The signals judge links.
  const out = [
    `caps:${upper + lower < 8 ? 'few' : Math.floor((4 * upper) / (upper + lower))}`,
    `digits:${Math.min(4, Math.ceil(Math.log2(1 + digits)))}`,
    `non_ascii:${nonAscii === 0 ? 0 : nonAscii < 3 ? 1 : 2}`,
  ]
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

/** What a model reads and what it adds to. */
export type ModelOptions = {
  /** Families this model reads (default: all). A family it does not read weighs nothing in it. */
  families?: readonly number[]
  /** A model this one is trained on top of: its margin is added before this one's (residual learning). */
  base?: { margin(feats: Int32Array): number }
}

/**
 * Logistic regression over hashed binary features, each weighed by its family and the example's vector
 * scaled to unit length, plus a small naive Bayes term folded into the same weights. Trained in full
 * (deterministic: same examples in the same order, same model), optionally on top of a base model.
 */
export class SpamModel {
  readonly weights = new Float32Array(1 << FEATURE_BITS)
  bias = 0
  private readonly familyWeight: Float32Array
  private readonly base: ModelOptions['base']

  constructor(options: ModelOptions = {}) {
    this.familyWeight = Float32Array.from(FAMILY_WEIGHT)
    if (options.families) for (let f = 0; f < this.familyWeight.length; f++) if (!options.families.includes(f)) this.familyWeight[f] = 0
    this.base = options.base
  }

  /** The spam probability (0…1) of a message's features (the base model's margin included). */
  score(feats: Int32Array): number {
    return 1 / (1 + Math.exp(-this.totalMargin(feats)))
  }

  /** Log-odds of spam, base model included. */
  totalMargin(feats: Int32Array): number {
    return (this.base?.margin(feats) ?? 0) + this.margin(feats)
  }

  /** Log-odds of spam from this model's own weights. */
  margin(feats: Int32Array): number {
    let z = 0
    let norm = 0
    for (let i = 0; i < feats.length; i++) {
      const v = this.familyWeight[feats[i]! >>> FEATURE_BITS] ?? 1
      if (v === 0) continue
      z += v * this.weights[feats[i]! & MASK]!
      norm += v * v
    }
    return norm === 0 ? this.bias : this.bias + z / Math.sqrt(norm)
  }

  /** One stochastic gradient step of the log loss on one example (offset: the base model's margin for it). */
  update(ex: Example, rate: number, offset = 0): void {
    const feats = ex.features
    if (feats.length === 0) return
    const y = ex.label === 'spam' ? 1 : 0
    const g = 1 / (1 + Math.exp(-(offset + this.margin(feats)))) - y
    let norm = 0
    for (let i = 0; i < feats.length; i++) norm += (this.familyWeight[feats[i]! >>> FEATURE_BITS] ?? 1) ** 2
    if (norm === 0) return
    const scale = 1 / Math.sqrt(norm)
    for (let i = 0; i < feats.length; i++) {
      const v = this.familyWeight[feats[i]! >>> FEATURE_BITS] ?? 1
      if (v === 0) continue
      const b = feats[i]! & MASK
      this.weights[b] = this.weights[b]! - rate * (g * scale * v + L2 * this.weights[b]!)
    }
    if (!this.base) this.bias -= rate * g
  }

  /** Trains from scratch on these examples, in a fixed pseudo-random order per epoch. */
  static train(examples: readonly Example[], options: ModelOptions = {}): SpamModel {
    const model = new SpamModel(options)
    const offsets = examples.map((ex) => options.base?.margin(ex.features) ?? 0)
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
      for (const i of order) model.update(examples[i]!, rate, offsets[i])
    }
    if (!options.base) model.addNaiveBayes(examples)
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
}

// --- the compact form of a trained model (the shipped prior) -------------------------------------------

/**
 * A model's non-negligible weights as text: version line, bias, scale, then base64 of the buckets
 * (delta-coded varints, ascending) and their weights (int8, × scale). Reading it back gives weights
 * within scale/2 of the trained ones.
 */
export function encodeModel(model: SpamModel, version: string, minAbs: number): string {
  const buckets: number[] = []
  let max = 0
  for (let b = 0; b < model.weights.length; b++) {
    const w = model.weights[b]!
    if (Math.abs(w) >= minAbs) {
      buckets.push(b)
      max = Math.max(max, Math.abs(w))
    }
  }
  const scale = max / 127
  const bytes: number[] = []
  let last = 0
  for (const b of buckets) {
    let d = b - last
    last = b
    while (d >= 0x80) {
      bytes.push((d & 0x7f) | 0x80)
      d >>>= 7
    }
    bytes.push(d)
  }
  const weights = buckets.map((b) => Math.round(model.weights[b]! / scale) & 0xff)
  const b64 = (a: number[]) => {
    let bin = ''
    for (const x of a) bin += String.fromCharCode(x)
    return btoa(bin)
  }
  return [version, model.bias.toFixed(6), scale.toPrecision(8), String(buckets.length), b64(bytes), b64(weights)].join('\n')
}

function fromBase64(text: string): Uint8Array {
  const bin = atob(text)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** Reads encodeModel's text back into a model (works on Node and Workers alike). */
export function decodeModel(text: string): { version: string; model: SpamModel } {
  const [version, bias, scale, count, bucketText, weightText] = text.split('\n')
  const model = new SpamModel()
  model.bias = Number(bias)
  const s = Number(scale)
  const bytes = fromBase64(bucketText ?? '')
  const weights = new Int8Array(fromBase64(weightText ?? '').buffer)
  let pos = 0
  let bucket = 0
  for (let i = 0; i < Number(count); i++) {
    let d = 0
    let shift = 0
    for (;;) {
      const byte = bytes[pos++]!
      d |= (byte & 0x7f) << shift
      if (byte < 0x80) break
      shift += 7
    }
    bucket += d
    model.weights[bucket] = weights[i]! * s
  }
  return { version: version ?? '', model }
}
