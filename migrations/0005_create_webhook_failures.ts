import { sql, type Kysely } from 'kysely'

// Frozen: never edit a migration that has shipped; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  // Webhook deliveries that failed for good (after their retries, or refused with a 4xx), for moderators
  // to see. Never the payload (comment text, perhaps the email), the secret, or the receiver's full URL:
  // `target` is its origin only, since a webhook URL's path or query often is a credential itself.
  // comment_id is not a foreign key: a comment deleted while its delivery was retried must not lose the record.
  await sql`
    create table webhook_failures (
      id bigint generated always as identity primary key,
      delivery_id text not null check (char_length(delivery_id) <= 100),
      event text not null check (char_length(event) <= 100),
      comment_id bigint,
      target text not null check (char_length(target) <= 300),
      status integer not null check (status between 0 and 999),
      error text not null check (error in ('http_status', 'network', 'timeout')),
      attempts integer not null check (attempts >= 1),
      first_attempt_at timestamptz not null,
      failed_at timestamptz not null default now()
    )`.execute(db)
  // Old failures are pruned by age.
  await sql`create index webhook_failures_failed_at on webhook_failures (failed_at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table webhook_failures`.execute(db)
}
