import { sql, type Kysely } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  // Email waiting to go out (issue 18). A row is written in the same transaction as the decision that causes it
  // (a held comment, a reply approved, a subscription asked for) and delivered later with retries: its id makes
  // the Message-ID, so a retry after a crash is the same message. Readers' addresses are stored encrypted, with
  // the keyed hash beside them for erase and export; a row for moderators has no address (MODERATOR_EMAILS).
  // comment_id is not a foreign key: a message about a comment deleted meanwhile is dropped when its turn comes.
  await sql`
    create table email_outbox (
      id bigint generated always as identity primary key,
      kind text not null check (kind in ('held', 'confirm', 'reply')),
      comment_id bigint,
      subscription_id bigint,
      recipient_enc text,
      recipient_hash text check (recipient_hash is null or char_length(recipient_hash) = 64),
      lang text not null default 'en' check (char_length(lang) <= 8),
      state text not null default 'queued' check (state in ('queued', 'sent', 'failed', 'skipped')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error text check (char_length(last_error) <= 200),
      created_at timestamptz not null default now(),
      sent_at timestamptz
    )`.execute(db)
  // The drain's question: what is due now.
  await sql`create index email_outbox_due on email_outbox (next_attempt_at) where state = 'queued'`.execute(db)
  await sql`create index email_outbox_recipient on email_outbox (recipient_hash) where recipient_hash is not null`.execute(db)
  // One message per event: a comment held twice (restored from spam) or a reply approved twice mails once.
  await sql`
    create unique index email_outbox_once on email_outbox (kind, comment_id, coalesce(recipient_hash, ''))
    where kind in ('held', 'reply')`.execute(db)

  // A reader's wish to hear about replies to their comments on one article, keyed by the keyed email hash.
  // confirmed_at stays null until the link in the confirmation message is used (double opt-in).
  await sql`
    create table email_subscriptions (
      id bigint generated always as identity primary key,
      email_hash text not null check (char_length(email_hash) = 64),
      email_enc text not null,
      article_id bigint not null references articles (id) on delete cascade,
      article_url text check (char_length(article_url) <= 2100),
      lang text not null default 'en' check (char_length(lang) <= 8),
      created_at timestamptz not null default now(),
      confirmed_at timestamptz,
      unique (email_hash, article_id)
    )`.execute(db)
  // Addresses that unsubscribed from everything: nothing more is sent to them, not even a confirmation.
  await sql`
    create table email_optouts (
      email_hash text primary key check (char_length(email_hash) = 64),
      created_at timestamptz not null default now()
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table email_optouts`.execute(db)
  await sql`drop table email_subscriptions`.execute(db)
  await sql`drop table email_outbox`.execute(db)
}
