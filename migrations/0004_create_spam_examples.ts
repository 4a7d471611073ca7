import { sql, type Kysely } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  // The learned spam model is now logistic regression trained from the decisions themselves (hashed
  // features only, never the text); 0002's per-feature counts cannot be converted and are dropped.
  await sql`drop table spam_learned`.execute(db)
  await sql`drop table spam_features`.execute(db)
  // One row per decided message; label null = the decision was withdrawn (kept so every instance sees it).
  await sql`
    create table spam_examples (
      key text primary key,
      label text check (label in ('spam', 'ham')),
      features integer[] not null,
      seq bigint not null
    )`.execute(db)
  await sql`create index spam_examples_seq on spam_examples (seq)`.execute(db)
  // The model's version: seq moves on every decision, reset_seq when one was reversed or withdrawn.
  await sql`
    create table spam_model (
      id smallint primary key check (id = 1),
      seq bigint not null,
      reset_seq bigint not null
    )`.execute(db)
  await sql`insert into spam_model (id, seq, reset_seq) values (1, 0, 0)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table spam_model`.execute(db)
  await sql`drop table spam_examples`.execute(db)
  await sql`
    create table spam_features (
      feature text primary key,
      spam integer not null default 0 check (spam >= 0),
      ham integer not null default 0 check (ham >= 0)
    )`.execute(db)
  await sql`
    create table spam_learned (
      key text primary key,
      label text not null check (label in ('spam', 'ham')),
      learned_at timestamptz not null default now()
    )`.execute(db)
}
