import { sql, type Kysely } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table articles (
      id bigint generated always as identity primary key,
      key text not null unique check (char_length(key) between 1 and 512),
      approved_count integer not null default 0 check (approved_count >= 0),
      version integer not null default 0,
      closed_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db)

  await sql`
    create table comments (
      id bigint generated always as identity primary key,
      article_id bigint not null references articles (id) on delete cascade,
      parent_id bigint references comments (id) on delete set null,
      depth smallint not null default 0 check (depth >= 0),
      status text not null default 'pending'
        check (status in ('pending', 'approved', 'spam', 'trash')),
      previous_status text
        check (previous_status in ('pending', 'approved', 'spam', 'trash')),
      author text not null check (char_length(author) between 1 and 100),
      url text check (url is null or (char_length(url) <= 200 and url ~ '^https?://')),
      content text not null check (char_length(content) >= 1),
      html text not null,
      email_enc text not null,
      email_hash text not null check (char_length(email_hash) = 64),
      content_hash text not null,
      avatar text not null,
      ip text,
      user_agent text check (user_agent is null or char_length(user_agent) <= 512),
      reasons text[] not null default '{}',
      spam_score real check (spam_score is null or spam_score between 0 and 1),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db)

  // The public list: approved comments of an article, oldest first (ids grow with time).
  await sql`create index comments_article_approved on comments (article_id, id) where status = 'approved'`.execute(db)
  // The moderation queue: by status, newest first.
  await sql`create index comments_status_id on comments (status, id desc)`.execute(db)
  // One author, one text, one article: enforced by the database, so concurrent posts cannot race past it.
  await sql`create unique index comments_no_duplicates on comments (article_id, email_hash, content_hash)`.execute(db)
  // An author's earlier comments (auto-approval, personal data export).
  await sql`create index comments_email_hash on comments (email_hash)`.execute(db)
  await sql`create index comments_parent on comments (parent_id) where parent_id is not null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table comments`.execute(db)
  await sql`drop table articles`.execute(db)
}
