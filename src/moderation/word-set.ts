import { collapseRuns, normalizeText, tokenize, unleet, variants } from '../text/normalize.js'

/** Characters and runs that mean a word may be disguised; plain words skip the slower readings. */
const DISGUISED = /[0-9@$!*]|(.)\1\1/u
const ANY_LETTER = /\p{L}/u

/**
 * A list of words and phrases matched on whole words of normalized text: "ass" never matches
 * "class" or "Scunthorpe", and no regular expression is ever built from a list entry.
 */
export class WordSet {
  private readonly single = new Map<string, string>()
  /** Single words with repeated letters collapsed, for drawn-out spellings (fuuuck). */
  private readonly collapsed = new Map<string, string>()
  /** Single words by length, for masked spellings (f*ck). */
  private readonly byLength = new Map<number, string[]>()
  /** Phrases by their first word. */
  private readonly phrases = new Map<string, { words: string[]; entry: string }[]>()
  readonly size: number

  constructor(entries: readonly string[]) {
    let phrases = 0
    for (const entry of entries) {
      const words = tokenize(normalizeText(entry)).map(unleet)
      if (words.length === 0) continue
      if (words.length > 1) {
        const first = this.phrases.get(words[0]!) ?? []
        first.push({ words, entry })
        this.phrases.set(words[0]!, first)
        phrases++
        continue
      }
      const word = words[0]!
      this.single.set(word, entry)
      if (!this.collapsed.has(collapseRuns(word))) this.collapsed.set(collapseRuns(word), entry)
      const same = this.byLength.get(word.length) ?? []
      same.push(word)
      this.byLength.set(word.length, same)
    }
    this.size = this.single.size + phrases
  }

  /** The list entry a token stands for, if any, trying its disguised readings too. */
  private lookup(token: string): string | undefined {
    const direct = this.single.get(token)
    if (direct !== undefined) return direct
    // Every entry has a letter; a token without one (a number) can stand for none, however disguised.
    if (!ANY_LETTER.test(token)) return undefined
    // Plurals: "casinos" is "casino".
    if (token.length > 3 && token.endsWith('s') && !token.endsWith('ss')) {
      const singular = this.single.get(token.slice(0, -1))
      if (singular !== undefined) return singular
    }
    if (!DISGUISED.test(token)) return undefined
    for (const v of variants(token)) {
      const hit = this.single.get(v) ?? (v.length < token.length ? this.collapsed.get(v) : undefined)
      if (hit !== undefined) return hit
    }
    if (token.length > 2 && token.includes('*')) return this.masked(token)
    return undefined
  }

  /** f*ck, sh**: stars stand for single letters; the first letter and most others must be shown. */
  private masked(token: string): string | undefined {
    if (token[0] === '*') return undefined
    const stars = [...token].filter((c) => c === '*').length
    if (stars * 2 > token.length) return undefined
    for (const word of this.byLength.get(token.length) ?? []) {
      let same = true
      for (let i = 0; i < word.length && same; i++) same = token[i] === '*' || token[i] === word[i]
      if (same) return this.single.get(word)
    }
    return undefined
  }

  private matchesAt(tokens: readonly string[], i: number, word: string): boolean {
    const t = tokens[i]
    return t !== undefined && (t === word || unleet(t) === word)
  }

  /** The first entry found among the tokens of normalized text, or null. */
  find(tokens: readonly string[]): string | null {
    if (this.size === 0) return null
    for (let i = 0; i < tokens.length; i++) {
      const hit = this.lookup(tokens[i]!)
      if (hit !== undefined) return hit
      const t = tokens[i]!
      for (const p of this.phrases.get(t) ?? this.phrases.get(unleet(t)) ?? []) {
        if (p.words.every((w, k) => this.matchesAt(tokens, i + k, w))) return p.entry
      }
    }
    return null
  }

  /** Whether some phrase (of two or more words) starts with this token. */
  startsPhrase(token: string): boolean {
    return this.phrases.has(token)
  }

  /**
   * The entry that starts with this token (read with its disguises) and, for a phrase, goes on with
   * `rest` from index `from`; null if none. Lets a caller look at every word, not only the first hit.
   */
  startsAt(token: string, rest: readonly string[], from: number): string | null {
    if (this.size === 0) return null
    const hit = this.lookup(token)
    if (hit !== undefined) return hit
    for (const p of this.phrases.get(token) ?? this.phrases.get(unleet(token)) ?? []) {
      if (p.words.slice(1).every((w, k) => this.matchesAt(rest, from + k, w))) return p.entry
    }
    return null
  }

  /** Convenience: the first entry found in raw text (markup and look-alikes normalized first). */
  findIn(text: string): string | null {
    return this.find(tokenize(normalizeText(text)))
  }
}
