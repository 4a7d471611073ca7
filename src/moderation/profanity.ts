import { Filter } from 'bad-words'
import { unleet } from './normalize.js'
import { WordSet } from './word-set.js'

/**
 * Words on bad-words' list that are not profane by themselves: religious, clinical and historical
 * words people use in ordinary discussion. One alone is not profanity; two different ones together are.
 * Chosen by what they are, and checked on the Jigsaw sample (EVALUATION.md): alone they were mostly false alarms.
 */
export const MILD_WORDS = ['god', 'hell', 'sex', 'xxx', 'nazi', 'nazis', 'anus', 'vagina', 'penis', 'bloody', 'damn']

export type ProfanityCheck = (tokens: readonly string[]) => boolean

/**
 * Built once per process: bad-words supplies the list; matching runs on normalized, whole words, so
 * disguised spellings (f*ck, fuuuck, $hit, a$$hole, Cyrillic look-alikes) are caught and "Scunthorpe" is not.
 * A hit is confirmed by bad-words' own isProfane() on the word found (cheap; never clean()).
 */
export function createProfanityCheck(): ProfanityCheck {
  const filter = new Filter()
  const mildSet = new Set(MILD_WORDS)
  // Spellings of a mild word on the list (d4mn, *damn) are mild too: read as letters they match it.
  const isMild = (w: string) => mildSet.has(unleet(w.toLowerCase().replace(/^\*+|\*+$/g, '')))
  const strong = new WordSet(filter.list.filter((w) => !isMild(w)))
  const mild = new WordSet(MILD_WORDS)
  return (tokens) => {
    const hit = strong.find(tokens)
    if (hit !== null) return filter.isProfane(hit)
    const first = mild.find(tokens)
    if (first === null) return false
    return mild.find(tokens.filter((t) => mild.find([t]) !== first)) !== null
  }
}
