import { sql, type Kysely } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  // rate-limiter-flexible's RateLimiterPostgres table (its own layout), created here so no request creates it.
  await sql`
    create table rate_limits (
      key varchar(255) primary key,
      points integer not null default 0,
      expire bigint
    )`.execute(db)
  await sql`create index rate_limits_expire on rate_limits (expire)`.execute(db)

  // The two word lists moderators edit; seeded from configuration on first use.
  await sql`
    create table word_lists (
      list text primary key check (list in ('moderation', 'disallowed')),
      words text[] not null default '{}',
      updated_at timestamptz not null default now()
    )`.execute(db)

  // The learned spam model: per-feature counts; the feature '' holds the message totals.
  await sql`
    create table spam_features (
      feature text primary key,
      spam integer not null default 0 check (spam >= 0),
      ham integer not null default 0 check (ham >= 0)
    )`.execute(db)
  // What each decided message was learned as, so a changed decision unlearns the old label exactly once.
  await sql`
    create table spam_learned (
      key text primary key,
      label text not null check (label in ('spam', 'ham')),
      learned_at timestamptz not null default now()
    )`.execute(db)

  // The moderation queue sorted by spam score.
  await sql`create index comments_status_score on comments (status, spam_score desc nulls last, id desc)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index comments_status_score`.execute(db)
  await sql`drop table spam_learned`.execute(db)
  await sql`drop table spam_features`.execute(db)
  await sql`drop table word_lists`.execute(db)
  await sql`drop table rate_limits`.execute(db)
}
