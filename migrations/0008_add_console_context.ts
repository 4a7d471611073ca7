import { sql, type Kysely } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  // What the moderator sees of an article: its page title and canonical URL, sent by the embed with a post
  // (kept once known) or set by a moderator.
  await sql`alter table articles add column title text check (title is null or char_length(title) between 1 and 300)`.execute(db)
  await sql`alter table articles add column url text check (url is null or (char_length(url) <= 2000 and url ~ '^https?://'))`.execute(db)
  // A reply a moderator posted as the site: the moderator's name (audit); the public answer only says byModerator.
  await sql`alter table comments add column by_moderator text check (by_moderator is null or char_length(by_moderator) between 1 and 64)`.execute(db)
  // The name a moderator's replies are signed with, per moderator (ADMIN_TOKEN's "admin" included, so no foreign key).
  await sql`
    create table moderator_profiles (
      name text primary key check (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
      display_name text not null check (char_length(display_name) between 1 and 100),
      updated_at timestamptz not null default now()
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table moderator_profiles`.execute(db)
  await sql`alter table comments drop column by_moderator`.execute(db)
  await sql`alter table articles drop column url`.execute(db)
  await sql`alter table articles drop column title`.execute(db)
}
