import type { Generated, Kysely, Selectable, Transaction } from 'kysely'
import type { Database, Status } from './schema.js'

/** The tables and columns migration 0003 adds for moderators' tools, merged over the base schema. */
export type ModeratorTables = {
  moderators: {
    id: Generated<number>
    name: string
    token_hash: string
    created_at: Generated<Date>
    revoked_at: Date | null
  }
  audit_log: {
    id: Generated<number>
    at: Generated<Date>
    moderator: string
    action: string
    comment_id: number | null
    article: string | null
    from_status: Status | null
    to_status: Status | null
    detail: unknown
  }
  used_links: { nonce: string; used_at: Generated<Date>; expires_at: Date }
  comments: { notified_at: Date | null }
  articles: { reopened_at: Date | null }
}

export type ModeratorDatabase = Database & ModeratorTables
export type ModeratorHandle = Kysely<ModeratorDatabase> | Transaction<ModeratorDatabase>
export type ModeratorRow = Selectable<ModeratorTables['moderators']>
export type AuditRow = Selectable<ModeratorTables['audit_log']>

/** The same connection, typed with migration 0003's tables (no new connection, no cast). */
export function withModeratorTables(db: Transaction<Database>): Transaction<ModeratorDatabase>
export function withModeratorTables(db: Kysely<Database>): Kysely<ModeratorDatabase>
export function withModeratorTables(db: Kysely<Database>): Kysely<ModeratorDatabase> {
  // A Transaction's $extendTables() returns the same transaction, retyped.
  return db.$extendTables<ModeratorTables>()
}
