import type { Kysely } from 'kysely'
import { Migrator, type MigrationResultSet } from 'kysely/migration'
import { migrations } from '../../migrations/index.js'

/** Brings the schema up to date with the static migration list; throws if any step fails. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  })
  const result = await migrator.migrateToLatest()
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    const reason = result.error instanceof Error ? String(result.error) : JSON.stringify(result.error)
    throw new Error(`migration ${failed} failed: ${reason}`, { cause: result.error })
  }
  return result
}
