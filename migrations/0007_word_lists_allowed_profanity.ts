import { sql, type Kysely } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  // Two more lists moderators edit: `profanity` (words this site holds as profanity, on top of the
  // shipped list) and `allowed` (words never read as profanity or as a hold or spam word: a town, a surname).
  await sql`alter table word_lists drop constraint if exists word_lists_list_check`.execute(db)
  await sql`alter table word_lists add constraint word_lists_list_check check (list in ('moderation', 'disallowed', 'profanity', 'allowed'))`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from word_lists where list in ('profanity', 'allowed')`.execute(db)
  await sql`alter table word_lists drop constraint if exists word_lists_list_check`.execute(db)
  await sql`alter table word_lists add constraint word_lists_list_check check (list in ('moderation', 'disallowed'))`.execute(db)
}
