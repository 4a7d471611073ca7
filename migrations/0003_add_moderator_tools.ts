import { sql, type Kysely } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  // Named moderator tokens. Only a SHA-256 of each token is kept; ADMIN_TOKEN stays outside, as "admin".
  await sql`
    create table moderators (
      id bigint generated always as identity primary key,
      name text not null unique check (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
      token_hash text not null unique check (char_length(token_hash) = 64),
      created_at timestamptz not null default now(),
      revoked_at timestamptz
    )`.execute(db)

  // Every moderator action: who, what, when, from which status to which. No email is ever written here.
  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      moderator text not null,
      action text not null,
      comment_id bigint,
      article text,
      from_status text,
      to_status text,
      detail jsonb
    )`.execute(db)

  // One-click action links are single-use: a link's nonce is written here when it is used.
  await sql`
    create table used_links (
      nonce text primary key,
      used_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db)

  // Held comments the webhook has announced (an outbox: each is claimed once, whichever request sees it).
  await sql`alter table comments add column notified_at timestamptz`.execute(db)
  await sql`update comments set notified_at = created_at`.execute(db)
  await sql`create index comments_unnotified on comments (id) where notified_at is null and status = 'pending'`.execute(db)
  // Retention purge: rows that still hold an IP or user agent, by age.
  await sql`create index comments_identifying on comments (created_at) where ip is not null or user_agent is not null`.execute(db)
  // A moderator who reopens an article overrides auto-close for good.
  await sql`alter table articles add column reopened_at timestamptz`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table articles drop column reopened_at`.execute(db)
  await sql`drop index comments_identifying`.execute(db)
  await sql`drop index comments_unnotified`.execute(db)
  await sql`alter table comments drop column notified_at`.execute(db)
  await sql`drop table used_links`.execute(db)
  await sql`drop table audit_log`.execute(db)
  await sql`drop table moderators`.execute(db)
}
