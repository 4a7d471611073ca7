import { sql, type Kysely } from 'kysely'
import type { Config } from '../config.js'
import { announceArticle } from './articles.js'
import type { Database } from './schema.js'

const DAY = 86_400_000

export type PurgeResult = { purged: number; closed: number; linksForgotten: number }

/**
 * The periodic task (Node: a timer in server.ts; Workers: the scheduled() handler):
 * drops IP and user agent from comments older than RETENTION_DAYS, schedules the auto-close
 * of articles (AUTO_CLOSE_DAYS after they were created, i.e. their first comment) unless a
 * moderator reopened them, and forgets used one-click link nonces once those links have expired.
 */
export async function purgeExpired(db: Kysely<Database>, config: Config, now: Date): Promise<PurgeResult> {
  const cutoff = new Date(now.getTime() - config.retentionDays * DAY)
  const purged = await db
    .updateTable('comments')
    .set({ ip: null, user_agent: null })
    .where('created_at', '<', cutoff)
    .where((eb) => eb.or([eb('ip', 'is not', null), eb('user_agent', 'is not', null)]))
    .executeTakeFirst()

  let closed = 0n
  if (config.autoCloseDays > 0) {
    // closed_at may lie in the future: posting checks closed_at <= now, so the close happens on time.
    const result = await db
      .updateTable('articles')
      .set({ closed_at: sql`created_at + make_interval(days => ${config.autoCloseDays})` })
      .where('closed_at', 'is', null)
      .where('reopened_at', 'is', null)
      .executeTakeFirst()
    closed = result.numUpdatedRows
    // Many articles at once: every instance drops its whole cache rather than hear one notice per key.
    if (closed > 0n) await announceArticle(db)
  }
  const forgotten = await db.deleteFrom('used_links').where('expires_at', '<', now).executeTakeFirst()
  return { purged: Number(purged.numUpdatedRows), closed: Number(closed), linksForgotten: Number(forgotten.numDeletedRows) }
}
