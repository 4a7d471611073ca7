import type { Kysely } from 'kysely'
import { toHex } from '../privacy/keys.js'
import type { Database, ModeratorRow } from './schema.js'

/** ADMIN_TOKEN's moderator: always there, never stored, never revoked here (rotate the variable instead). */
export const ENV_MODERATOR = 'admin'
export const moderatorNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/** Names the audit log gives to Parley's own actors (one-click links, imports): no person may take them. */
export const RESERVED_MODERATORS = [ENV_MODERATOR, 'webhook-link', 'import', 'parley', 'system']
export const isReservedModerator = (name: string) => RESERVED_MODERATORS.includes(name.toLowerCase())

/**
 * Tokens are 32 random bytes, so a plain SHA-256 is enough to store them (nothing to guess),
 * and it does not depend on SECRET_KEY: rotating that key keeps moderators signed in.
 */
export async function hashToken(token: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)))
}

export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return `pm_${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`
}

/**
 * Stores a new moderator and returns the token, which exists nowhere else afterwards. A revoked
 * name can be given a new token; a live one cannot (undefined): revoke it first.
 */
export async function createModerator(db: Kysely<Database>, name: string): Promise<string | undefined> {
  if (isReservedModerator(name)) throw new Error(`"${name}" is reserved: the audit log uses it for Parley's own actions.`)
  const token = newToken()
  const tokenHash = await hashToken(token)
  return db.transaction().execute(async (tx) => {
    await tx.deleteFrom('moderators').where('name', '=', name).where('revoked_at', 'is not', null).execute()
    const row = await tx
      .insertInto('moderators')
      .values({ name, token_hash: tokenHash })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('id')
      .executeTakeFirst()
    return row ? token : undefined
  })
}

export async function listModerators(db: Kysely<Database>): Promise<ModeratorRow[]> {
  return db.selectFrom('moderators').selectAll().orderBy('id').execute()
}

/** True when a moderator of that name had a live token that is now revoked. */
export async function revokeModerator(db: Kysely<Database>, name: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('moderators')
    .set({ revoked_at: now })
    .where('name', '=', name)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** The name of the live moderator holding this token, if any. */
export async function moderatorForToken(db: Kysely<Database>, token: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('moderators')
    .select('name')
    .where('token_hash', '=', await hashToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return row?.name
}

/** The name a moderator's replies carry: the one they set, else their moderator name. */
export async function displayNameOf(db: Kysely<Database>, name: string): Promise<string> {
  const row = await db.selectFrom('moderator_profiles').select('display_name').where('name', '=', name).executeTakeFirst()
  return row?.display_name ?? name
}

export async function setDisplayName(db: Kysely<Database>, name: string, displayName: string): Promise<void> {
  await db
    .insertInto('moderator_profiles')
    .values({ name, display_name: displayName })
    .onConflict((oc) => oc.column('name').doUpdateSet({ display_name: displayName, updated_at: new Date() }))
    .execute()
}
