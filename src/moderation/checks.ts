import { countLinks, isLinkLike } from './links.js'
import { normalizeText, tokenize } from '../text/normalize.js'
import type { ProfanityCheck } from './profanity.js'
import type { Submission } from './types.js'
import type { CompiledLists } from './word-lists.js'
import type { WordSet } from './word-set.js'

// Each check is pure: a submission (and what it needs, passed in) to the reasons it finds.

export function honeypotCheck(s: Pick<Submission, 'website'>): string[] {
  return s.website !== undefined && s.website.trim() !== '' ? ['honeypot'] : []
}

/** `links:N` when the text holds maxLinks or more links, or the author's name is itself a link. */
export function linksCheck(s: Pick<Submission, 'author' | 'content'>, maxLinks: number): string[] {
  const inText = countLinks(s.content)
  const nameIsLink = isLinkLike(s.author)
  const n = inText + (nameIsLink ? 1 : 0)
  return inText >= maxLinks || nameIsLink ? [`links:${n}`] : []
}

/** The fields word lists and profanity read, each normalized and split into words once. */
export function submissionWords(s: Pick<Submission, 'author' | 'email' | 'url' | 'content' | 'userAgent'>): (readonly string[])[] {
  // In an address, @ separates words rather than standing for an "a".
  const email = s.email.replaceAll('@', ' ')
  return [s.author, email, s.url ?? '', s.content, s.userAgent ?? ''].map((f) => tokenize(normalizeText(f)))
}

/** A spam word anywhere → `disallowed_word:W` (spam); else a hold word → `moderation_word:W`. */
export function wordsCheck(fields: readonly (readonly string[])[], lists: CompiledLists): string[] {
  for (const words of fields) {
    const hit = lists.disallowed.find(words)
    if (hit !== null) return [`disallowed_word:${hit}`]
  }
  for (const words of fields) {
    const hit = lists.moderation.find(words)
    if (hit !== null) return [`moderation_word:${hit}`]
  }
  return []
}

/** Profanity in what readers will see: the name and the text (the moderators' own profane and allowed words included). */
export function profanityCheck(
  fields: { author: string; content: string },
  isProfane: ProfanityCheck,
  lists: { profane?: WordSet; allowed?: WordSet } = {},
): string[] {
  return isProfane(fields.content, lists, 1).length > 0 || isProfane(fields.author, lists, 1).length > 0 ? ['profanity'] : []
}

/** Form-token reasons raise the spam score (in log-odds) rather than decide anything alone. */
const TOKEN_WEIGHT: Record<string, number> = { no_form_token: 0.5, too_fast: 1.5, bad_form_token: 1 }

export function adjustedScore(score: number, reasons: readonly string[], extra = 0): number {
  let bump = extra
  for (const r of reasons) bump += TOKEN_WEIGHT[r] ?? (r.startsWith('links:') ? LINKS_WEIGHT : 0)
  if (bump === 0) return score
  const p = Math.min(1 - 1e-9, Math.max(1e-9, score))
  return 1 / (1 + Math.exp(-(Math.log(p / (1 - p)) + bump)))
}

/**
 * How much of that bump is evidence about the comment itself: every signal and reason except a missing
 * form token (an API client or a reader without JavaScript posts without one).
 */
export function evidenceWeight(reasons: readonly string[], extra = 0): number {
  let w = extra
  for (const r of reasons) if (r !== 'no_form_token') w += TOKEN_WEIGHT[r] ?? (r.startsWith('links:') ? LINKS_WEIGHT : 0)
  return w
}

/** MAX_LINKS or more links in the text (or a name that is a link, counted by the signals too) add this. */
const LINKS_WEIGHT = 1
