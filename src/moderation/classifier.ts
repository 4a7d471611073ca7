import { countLinks } from './links.js'
import { normalizeText, tokenize, unleet } from './normalize.js'

/** What the classifier reads of a comment. */
export type Message = { author: string; content: string; url: string | null }
export type Label = 'spam' | 'ham'
export type Counts = { spam: number; ham: number }

/** Token counts of the learned model: kept in the database in production, in memory for the eval and tests. */
export interface ModelStore {
  /** How many spam and ham messages were learned, and each asked feature's counts (absent = never seen). */
  lookup(features: readonly string[]): Promise<{ totals: Counts; counts: Map<string, Counts> }>
  /**
   * Moves one message (named by key) to a label, or to none: its features are removed from the label it was
   * learned under and added under the new one. Learning the same thing twice changes nothing.
   */
  relabel(key: string, feats: readonly string[], label: Label | null): Promise<void>
}

const MAX_FEATURES = 400

/**
 * The features of a message: its words and word pairs (normalized, leetspeak read), its author's words,
 * and a few shapes spam has (links, shouting, a website given, length).
 */
export function features(m: Message): string[] {
  const out = new Set<string>()
  const words = tokenize(normalizeText(m.content)).map(unleet)
  for (let i = 0; i < words.length && out.size < MAX_FEATURES; i++) {
    const w = words[i]!
    if (w.length > 40) continue
    out.add(`w:${w}`)
    const next = words[i + 1]
    if (next !== undefined && next.length <= 40) out.add(`b:${w} ${next}`)
  }
  for (const w of tokenize(normalizeText(m.author)).slice(0, 8)) out.add(`a:${unleet(w)}`)
  const links = countLinks(m.content)
  out.add(links === 0 ? 'm:no_link' : links === 1 ? 'm:link' : 'm:links')
  if (m.url) out.add('m:url')
  if (isShouting(m.content)) out.add('m:caps')
  out.add(words.length < 5 ? 'm:short' : words.length < 25 ? 'm:medium' : 'm:long')
  if (/!{2,}/.test(m.content)) out.add('m:bang')
  return [...out]
}

/** Mostly capital letters (counted on the first 2,000 characters; letters with case only). */
function isShouting(text: string): boolean {
  let upper = 0
  let lower = 0
  for (let i = 0; i < text.length && i < 2000; i++) {
    const ch = text[i]!
    const l = ch.toLowerCase()
    const u = ch.toUpperCase()
    if (l === u) continue
    if (ch === u) upper++
    else lower++
  }
  return upper + lower >= 12 && upper / (upper + lower) > 0.6
}

// Robinson's smoothing: a feature seen n times leans on the neutral 0.5 with the weight of S sightings.
const S = 1
const X = 0.5
const MIN_STRENGTH = 0.1
const MAX_CLUES = 30
/**
 * Fisher's combination is very sure of itself; dividing its log-odds by this temperature spreads the top
 * end so that SPAM_THRESHOLD (0.95) sits where about 1% of legitimate comments score (EVALUATION.md).
 */
const TEMPERATURE = 1.7

/** P(X² ≥ x2) for an even number of degrees of freedom. */
function chi2Q(x2: number, dof: number): number {
  const m = x2 / 2
  let term = Math.exp(-m)
  let sum = term
  for (let i = 1; i < dof / 2; i++) {
    term *= m / i
    sum += term
  }
  return Math.min(sum, 1)
}

/**
 * The spam probability of a message (0…1): Robinson's per-feature probabilities combined with
 * Fisher's method (as SpamBayes does), so the score is calibrated and near 0.5 when evidence is thin.
 */
export function spamScore(feats: readonly string[], totals: Counts, counts: Map<string, Counts>): number {
  if (totals.spam === 0 || totals.ham === 0) return 0.5
  const clues: number[] = []
  for (const f of feats) {
    const c = counts.get(f)
    if (!c) continue
    const n = c.spam + c.ham
    if (n === 0) continue
    const spamRatio = c.spam / totals.spam
    const hamRatio = c.ham / totals.ham
    const p = spamRatio / (spamRatio + hamRatio)
    const prob = (S * X + n * p) / (S + n)
    if (Math.abs(prob - 0.5) >= MIN_STRENGTH) clues.push(Math.min(0.99, Math.max(0.01, prob)))
  }
  if (clues.length === 0) return 0.5
  clues.sort((a, b) => Math.abs(b - 0.5) - Math.abs(a - 0.5))
  const used = clues.slice(0, MAX_CLUES)
  let lnSpam = 0
  let lnHam = 0
  for (const p of used) {
    lnSpam += Math.log(1 - p)
    lnHam += Math.log(p)
  }
  const spamEvidence = 1 - chi2Q(-2 * lnSpam, 2 * used.length)
  const hamEvidence = 1 - chi2Q(-2 * lnHam, 2 * used.length)
  const raw = Math.min(1 - 1e-9, Math.max(1e-9, (1 + spamEvidence - hamEvidence) / 2))
  return 1 / (1 + Math.exp(-Math.log(raw / (1 - raw)) / TEMPERATURE))
}

/** An in-memory model store: the eval's and the tests' store, and the shipped prior's. */
export class MemoryModelStore implements ModelStore {
  readonly totals: Counts = { spam: 0, ham: 0 }
  readonly counts = new Map<string, Counts>()

  async lookup(feats: readonly string[]) {
    const counts = new Map<string, Counts>()
    for (const f of feats) {
      const c = this.counts.get(f)
      if (c) counts.set(f, c)
    }
    return { totals: { ...this.totals }, counts }
  }

  private readonly learned = new Map<string, Label>()

  async relabel(key: string, feats: readonly string[], label: Label | null): Promise<void> {
    const before = this.learned.get(key) ?? null
    if (before === label) return
    if (before) this.add(feats, before, -1)
    if (label) this.add(feats, label, 1)
    if (label) this.learned.set(key, label)
    else this.learned.delete(key)
  }

  /** Direct counting, for the shipped prior. */
  add(feats: readonly string[], label: Label, delta: 1 | -1): void {
    this.totals[label] = Math.max(0, this.totals[label] + delta)
    for (const f of feats) {
      const c = this.counts.get(f) ?? { spam: 0, ham: 0 }
      c[label] = Math.max(0, c[label] + delta)
      this.counts.set(f, c)
    }
  }
}
