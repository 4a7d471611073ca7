import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import { hasApprovedComment } from '../db/comments.js'
import type { Database } from '../db/schema.js'
import type { Keys } from '../privacy/keys.js'
import { checkFormToken } from './form-token.js'
import type { Moderation, Submission, Verdict } from './types.js'

/** Turns the reasons the checks gave into a verdict. Nothing is ever approved by the checks alone. */
export function decide(reasons: string[], spamScore: number | null): Verdict {
  const spam = reasons.some((r) => r === 'honeypot' || r.startsWith('disallowed_word:'))
  return { status: spam ? 'spam' : 'pending', reasons, spamScore }
}

export function createModeration(deps: { db: Kysely<Database>; config: Config; keys: Keys }): Moderation {
  const { db, config, keys } = deps
  return {
    async review(s: Submission): Promise<Verdict> {
      const reasons: string[] = []
      if (s.website && s.website.trim() !== '') reasons.push('honeypot')
      const token = await checkFormToken(keys, s.formToken, s.article, s.now, {
        minSeconds: config.checks.formTokenMinSeconds,
        maxAgeSeconds: config.checks.formTokenMaxAgeSeconds,
      })
      if (token) reasons.push(token)
      const verdict = decide(reasons, null)
      // Auto-approval is the operator's choice, and only for an author already approved once.
      if (verdict.status === 'pending' && reasons.length === 0 && config.autoApprove) {
        if (await hasApprovedComment(db, s.emailHash)) return { ...verdict, status: 'approved' }
      }
      return verdict
    },
  }
}
