// npm run admin -- token create NAME | token list | token revoke NAME
// Moderator tokens. Uses DATABASE_URL when set, else the embedded database in DATA_DIR (default ./data),
// which only one process can open at a time: stop the server first.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { Migrator } from 'kysely/migration'
import { migrations } from '../migrations/index.js'
import { openEmbedded } from '../src/db/embedded.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { createModerator, ENV_MODERATOR, listModerators, moderatorNamePattern, revokeModerator } from '../src/db/moderators.js'
import { openPostgres } from '../src/db/postgres.js'
import type { Database } from '../src/db/schema.js'

const usage = `Usage:
  npm run admin -- token create NAME   make a moderator token (printed once; only its hash is kept)
  npm run admin -- token list          list moderators
  npm run admin -- token revoke NAME   revoke a moderator's token at once

Uses DATABASE_URL if set, else the embedded database in DATA_DIR (default ./data); stop the server first then.
"${ENV_MODERATOR}" is ADMIN_TOKEN's moderator: change that variable to replace it.`

class CliError extends Error {}
function fail(message: string): never {
  throw new CliError(message)
}

async function open(): Promise<Kysely<Database>> {
  const url = process.env.DATABASE_URL?.trim()
  if (url) {
    const db = openPostgres({ connectionString: url, max: 1 })
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
    const pending = (await migrator.getMigrations()).filter((m) => !m.executedAt)
    if (pending.length > 0) {
      await db.destroy()
      fail(`The database needs migrations first: run \`npm run migrate\`.`)
    }
    return db
  }
  const dir = join(process.env.DATA_DIR || './data', 'pgdata')
  // PGlite keeps postmaster.pid in its directory while a process has it open.
  if (existsSync(join(dir, 'postmaster.pid'))) {
    fail(
      `The embedded database in ${dir} is in use: stop the Parley server first (one process at a time can open it), then run this again.\n` +
        `If no server is running, an earlier one did not shut down cleanly: start and stop it once.`,
    )
  }
  const db = await openEmbedded(dir)
  await migrateToLatest(db)
  return db
}

async function main(args: string[]): Promise<void> {
  const [group, command, name] = args
  if (group !== 'token' || !command || !['create', 'list', 'revoke'].includes(command)) fail(usage)
  if (command !== 'list' && (!name || !moderatorNamePattern.test(name))) {
    fail('Give a name: letters, digits, ".", "_" or "-", up to 64 characters, e.g. `npm run admin -- token create alice`.')
  }
  if (name === ENV_MODERATOR) fail(`"${ENV_MODERATOR}" is ADMIN_TOKEN's moderator; change ADMIN_TOKEN to replace its token.`)

  const db = await open()
  // Always close: an embedded database left open keeps its lock file, and the server would not start.
  try {
    if (command === 'create') {
      const token = await createModerator(db, name!)
      if (!token) fail(`A moderator named "${name}" already has a live token; revoke it first.`)
      console.log(`Moderator "${name}" created. Their token (shown only this once; Parley keeps only its hash):\n\n  ${token}\n`)
    } else if (command === 'revoke') {
      if (!(await revokeModerator(db, name!, new Date()))) fail(`No moderator named "${name}" has a live token.`)
      console.log(`Revoked: "${name}" can no longer sign in.`)
    } else {
      const rows = await listModerators(db)
      console.log(`${ENV_MODERATOR}\tADMIN_TOKEN (environment)`)
      for (const row of rows) {
        console.log(`${row.name}\tcreated ${row.created_at.toISOString()}${row.revoked_at ? `\trevoked ${row.revoked_at.toISOString()}` : ''}`)
      }
    }
  } finally {
    await db.destroy()
  }
}

try {
  await main(process.argv.slice(2))
} catch (error) {
  console.error(error instanceof CliError ? error.message : `Failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
}
