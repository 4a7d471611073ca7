import type { Keys } from './keys.js'
import { sign, verify } from './tokens.js'

/**
 * A token given only to a comment's author (in the 201 answer), with which their page can ask
 * whether the comment is still awaiting moderation: no account, no email in the browser.
 */
export async function issueStatusToken(keys: Keys, id: number): Promise<string> {
  return sign(keys, 'status', String(id))
}

export async function checkStatusToken(keys: Keys, id: number, token: string): Promise<boolean> {
  return verify(keys, 'status', String(id), token)
}
