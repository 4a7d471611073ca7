// npm run migrate — brings DATABASE_URL's schema up to date with migrations/ (the same list Node and Workers use).
import { migrateToLatest } from '../src/db/migrate.js'
import { openPostgres } from '../src/db/postgres.js'

const url = process.env.DATABASE_URL
if (!url) {
  console.error('Set DATABASE_URL to the PostgreSQL to migrate (the embedded database migrates itself at start).')
  process.exit(1)
}
const db = openPostgres({ connectionString: url, max: 1 })
try {
  const result = await migrateToLatest(db)
  const done = result.results ?? []
  console.log(done.length ? done.map((r) => `${r.status}: ${r.migrationName}`).join('\n') : 'Already up to date.')
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
} finally {
  await db.destroy()
}
