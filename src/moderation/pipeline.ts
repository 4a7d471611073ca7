import type { Config } from '../config.js'
import type { Keys } from '../privacy/keys.js'
import { adjustedScore, evidenceWeight, honeypotCheck, linksCheck, profanityCheck, submissionWords, wordsCheck } from './checks.js'
import { checkFormToken } from './form-token.js'
import type { Learner } from './learner.js'
import { PRIOR_FLAG_LINE } from './prior-model.js'
import { createProfanityCheck, type ProfanityCheck } from './profanity.js'
import { signals, signalWeight, type Signal } from './signals.js'
import type { Moderation, Submission, Verdict } from './types.js'
import { WordListStore, type CompiledLists } from './word-lists.js'

/**
 * A spam score at or above this is shown to moderators as a reason even when it does not decide: the
 * line at which 5% of the training videos' legitimate comments would show it, under cross-validation
 * (scripts/train-model.ts writes it beside the prior it belongs to).
 */
const NOTABLE_SCORE = PRIOR_FLAG_LINE
/**
 * The least evidence (log-odds) that may send a comment to spam by its score: signals that hold on any
 * site, or the site's own decisions. The shipped prior, trained on video comments, is a weak judge of
 * other kinds of text (it puts 6% of DataCamp's and 2% of Impermium's legitimate comments at its cap), so
 * alone, or with only weak signals beside it, it holds a comment for a moderator but never files it as spam.
 */
const MIN_EVIDENCE = 1

/**
 * Turns the checks' reasons and the spam score into a verdict. Honeypot, a spam word or a score above
 * the threshold → spam; anything else is held as pending (with its reasons). Never approved here.
 */
export function decide(reasons: string[], spamScore: number | null, threshold = 0.95): Verdict {
  const spam = reasons.some((r) => r === 'honeypot' || r.startsWith('disallowed_word:')) || (spamScore !== null && spamScore > threshold)
  return { status: spam ? 'spam' : 'pending', reasons, spamScore }
}

let profanity: ProfanityCheck | undefined
/** bad-words' Filter and the word index are built once per process. */
export function sharedProfanityCheck(): ProfanityCheck {
  profanity ??= createProfanityCheck()
  return profanity
}

export type ModerationOptions = {
  config: Config
  keys: Keys
  /** The spam model: the entry's is learned from the database's decisions (db/spam-examples.ts) on top of the shipped prior. */
  learner: Learner
  /**
   * The hold, spam, profanity and allowed words: the entry's are a WordListStore over the database (db/word-lists.ts),
   * seeded from the configuration, which the moderator API also edits; a fixed set for scripts and tests.
   */
  wordLists: WordListStore | { compiled(): Promise<CompiledLists> }
  /**
   * Whether this author (email hash and name) has an approved comment, for AUTO_APPROVE: the query lives with the
   * other comment queries (db/comments.ts) and the entry passes it in. Without it nobody is auto-approved (the
   * scripts that run the checks without a database).
   */
  approvedBefore?: (emailHash: string, author: string) => Promise<boolean>
}

export function createModeration(deps: ModerationOptions): Moderation {
  const { config, keys, learner, wordLists } = deps
  const isProfane = sharedProfanityCheck()
  return {
    ...(wordLists instanceof WordListStore ? { wordLists } : {}),
    async review(s: Submission): Promise<Verdict> {
      const fields = submissionWords(s)
      const [lists, token, learned] = await Promise.all([
        wordLists.compiled(),
        checkFormToken(keys, s.formToken, s.article, s.now, {
          minSeconds: config.checks.formTokenMinSeconds,
          maxAgeSeconds: config.checks.formTokenMaxAgeSeconds,
        }),
        learner.explain({ author: s.author, content: s.content, url: s.url }),
      ])
      const found: Signal[] = signals({ author: s.author, url: s.url, content: s.content }, { siteLanguages: config.checks.siteLanguages })
      const reasons = [
        ...honeypotCheck(s),
        ...(token ? [token] : []),
        ...wordsCheck(fields, lists),
        ...linksCheck(s, config.checks.maxLinks),
        ...profanityCheck({ author: s.author, content: s.content }, isProfane, { profane: lists.profanity, allowed: lists.allowed }),
        ...found.map((f) => f.reason),
      ]
      const weight = signalWeight(found)
      const score = Math.round(adjustedScore(learned.score, reasons, weight) * 1000) / 1000
      if (score >= NOTABLE_SCORE) reasons.push(`spam_score:${score.toFixed(2)}`)
      const evidence = Math.max(evidenceWeight(reasons, weight), learned.siteMargin)
      // Without evidence no score reaches spam (a threshold of 1 is never exceeded): held, its score shown.
      const verdict = decide(reasons, score, evidence >= MIN_EVIDENCE ? config.checks.spamThreshold : 1)
      // Auto-approval is the operator's choice, and only for an author already approved once.
      if (verdict.status === 'pending' && reasons.length === 0 && config.autoApprove) {
        if (await deps.approvedBefore?.(s.emailHash, s.author)) return { ...verdict, status: 'approved' }
      }
      return verdict
    },
    async learn(change) {
      await learner.learn({ author: change.author, content: change.content, url: change.url }, change.to)
    },
  }
}
