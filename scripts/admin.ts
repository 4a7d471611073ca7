// npm run admin -- token create NAME | token list | token revoke NAME
// npm run admin -- import wordpress FILE.xml [--dry-run] [--no-learn] [--key path|url]
// npm run admin -- copy --to postgres://… | --to-data-dir DIR
// Moderator tokens, comments brought from a WordPress export, and the whole site copied to a new database. Uses DATABASE_URL when set, else the
// embedded database in DATA_DIR (default ./data), which only one process can open at a time: stop the server first.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'
import type { Kysely } from 'kysely'
import { Migrator } from 'kysely/migration'
import { migrations } from '../migrations/index.js'
import { copyDatabase, CopyRefused } from '../src/db/copy.js'
import { DataDirInUse } from '../src/node/data-dir-lock.js'
import { openEmbedded } from '../src/node/embedded.js'
import { closeArticles, importComments, type ImportResult } from '../src/db/import.js'
import { migrateToLatest } from '../src/db/migrate.js'
import {
  createModerator,
  ENV_MODERATOR,
  isReservedModerator,
  listModerators,
  moderatorNamePattern,
  RESERVED_MODERATORS,
  revokeModerator,
} from '../src/db/moderators.js'
import { openPostgres } from '../src/db/postgres.js'
import { statuses, type Database, type Status } from '../src/db/schema.js'
import { parseWxr, planImport, skipReasons, WxrError, type ImportPlan, type KeyMode, type SkipReason } from '../src/import/wordpress.js'
import { createLearner, keyedMessageKey, MAX_EXAMPLES } from '../src/moderation/learner.js'
import { PostgresModelStore } from '../src/db/spam-examples.js'
import { nodeCryptoKeys } from '../src/node/crypto.js'
import { deriveKeys } from '../src/privacy/keys.js'

const usage = `Usage:
  npm run admin -- token create NAME   make a moderator token (printed once; only its hash is kept)
  npm run admin -- token list          list moderators
  npm run admin -- token revoke NAME   revoke a moderator's token at once
  npm run admin -- import wordpress FILE.xml [--dry-run] [--no-learn] [--key path|url]
                                       bring the comments of a WordPress export (Tools → Export)
      --dry-run    read the file and print what would be imported; write nothing
      --no-learn   do not teach the spam model from the approved and spam comments
      --key path   article key = the post link's URL path, as the embed uses without data-article (default)
      --key url    article key = the post's whole link
  npm run admin -- copy --to postgres://USER@HOST/DB
                                       copy the whole site, every id kept, into a new database (migrated here first):
                                       from the embedded database to a server PostgreSQL as a site grows
  npm run admin -- copy --to-data-dir DIR
                                       the same into a new embedded database in DIR (e.g. production, to look at locally)

Uses DATABASE_URL if set, else the embedded database in DATA_DIR (default ./data); stop the server first then.
An import needs the server's SECRET_KEY (from the environment, or DATA_DIR/secrets.json with the embedded database).
"${ENV_MODERATOR}" is ADMIN_TOKEN's moderator: change that variable to replace it.`

class CliError extends Error {}
function fail(message: string): never {
  throw new CliError(message)
}

async function open(): Promise<Kysely<Database>> {
  return openDatabase(process.env.DATABASE_URL?.trim(), process.env.DATA_DIR || './data')
}

/** A server PostgreSQL at `url` (migrations must have run), else the embedded one in `dataDir` (migrated here). */
async function openDatabase(url: string | undefined, dataDir: string): Promise<Kysely<Database>> {
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
  const dir = join(dataDir, 'pgdata')
  // openEmbedded takes the directory's lock first: while a server (or another command) has it, this stops
  // with one line and touches nothing. A lock left by a killed server is recognised as stale and taken over.
  const db = await openEmbedded(dir).catch((error: unknown) => {
    if (error instanceof DataDirInUse) fail(error.message)
    throw error
  })
  await migrateToLatest(db)
  return db
}

async function main(args: string[]): Promise<void> {
  const [group, ...rest] = args
  // Asked for, the usage is an answer (stdout, exit 0); given anything else unknown, it is a refusal.
  if (group === '--help' || group === '-h' || group === 'help') return void console.log(usage)
  if (group === 'token') return tokenCommand(rest)
  if (group === 'import') return importCommand(rest)
  if (group === 'copy') return copyCommand(rest)
  fail(usage)
}

/** The whole site into a new database: the target is migrated first, must hold no site, and gets every row and id. */
async function copyCommand(args: string[]): Promise<void> {
  const { values, positionals } = parse(args, { to: { type: 'string' }, 'to-data-dir': { type: 'string' } })
  const url = values.to
  const dir = values['to-data-dir']
  if ((url === undefined) === (dir === undefined) || positionals.length > 0) fail(usage)
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url))
    fail('--to takes a PostgreSQL URL (postgres://…); for an embedded database use --to-data-dir DIR.')
  const from = await open()
  try {
    let to: Kysely<Database>
    if (url !== undefined) {
      to = openPostgres({ connectionString: url, max: 1 })
      await migrateToLatest(to).catch(async (error: unknown) => {
        await to.destroy()
        throw error
      })
    } else {
      to = await openDatabase(undefined, dir!)
    }
    try {
      const report = await copyDatabase(from, to, { log: (line) => console.log(line) })
      const rows = Object.values(report.tables).reduce((a, b) => a + b, 0)
      console.log(`\nCopied ${rows} rows (${report.tables.comments ?? 0} comments, ${report.tables.articles ?? 0} articles).`)
      const secrets = process.env.DATABASE_URL?.trim() ? 'SECRET_KEY' : `SECRET_KEY from ${join(process.env.DATA_DIR || './data', 'secrets.json')}`
      console.log(
        `Start Parley on it with the same ${secrets}: emails are encrypted and hashed with it. ` +
          'Moderator tokens made with `token create` work there as they are; ADMIN_TOKEN is whatever you set.',
      )
    } catch (error) {
      if (error instanceof CopyRefused) fail(error.message)
      throw error
    } finally {
      await to.destroy()
    }
  } finally {
    await from.destroy()
  }
}

async function tokenCommand(args: string[]): Promise<void> {
  const [command, name] = args
  if (!command || !['create', 'list', 'revoke'].includes(command)) fail(usage)
  if (command !== 'list' && (!name || !moderatorNamePattern.test(name))) {
    fail('Give a name: letters, digits, ".", "_" or "-", up to 64 characters, e.g. `npm run admin -- token create alice`.')
  }
  if (name?.toLowerCase() === ENV_MODERATOR) fail(`"${ENV_MODERATOR}" is ADMIN_TOKEN's moderator; change ADMIN_TOKEN to replace its token.`)
  if (command === 'create' && isReservedModerator(name!))
    fail(`"${name}" is reserved: the audit log uses it for Parley's own actions (${RESERVED_MODERATORS.join(', ')}).`)

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

type ImportArgs = { file: string; dryRun: boolean; learn: boolean; key: KeyMode }

function importArgs(args: string[]): ImportArgs {
  const [source, ...rest] = args
  if (source !== 'wordpress') fail(usage)
  const { values, positionals } = parse(rest, { 'dry-run': { type: 'boolean' }, learn: { type: 'boolean' }, key: { type: 'string' } })
  const key = values.key ?? 'path'
  if (key !== 'path' && key !== 'url') fail("--key takes `path` (the post link's URL path, the default) or `url` (the whole link).")
  const [file, ...others] = positionals
  if (!file) fail('Give the export file, e.g. `npm run admin -- import wordpress blog.WordPress.2024-03-01.xml`.')
  if (others.length > 0) fail(`One export file at a time (got ${file} and ${others[0]}).`)
  return { file, dryRun: values['dry-run'] ?? false, learn: values.learn ?? true, key }
}

/** node's parseArgs (with --no-X for booleans), its refusals turned into the CLI's one-line errors. */
function parse<T extends ParseArgsOptionsConfig>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, allowNegative: true, strict: true })
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') fail(`Unknown option ${/'([^']+)'/.exec((error as Error).message)?.[1] ?? ''}.\n\n${usage}`)
    if (code?.startsWith('ERR_PARSE_ARGS_')) fail(`${(error as Error).message}\n\n${usage}`)
    throw error
  }
}

async function importCommand(args: string[]): Promise<void> {
  const options = importArgs(args)
  let xml: string
  try {
    xml = readFileSync(options.file, 'utf8')
  } catch (error) {
    fail(`Cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`)
  }
  let plan: ImportPlan
  try {
    plan = planImport(parseWxr(xml), { key: options.key })
  } catch (error) {
    if (error instanceof WxrError) fail(`${options.file}: ${error.message}`)
    throw error
  }
  if (options.key === 'path' && plan.sharedKeys.length > 0) {
    const [first] = plan.sharedKeys
    fail(
      `${plan.sharedKeys.length} URL path(s) are shared by posts with different links, e.g. "${first!.key}" by ${first!.links.slice(0, 3).join(', ')}.\n` +
        'Their comments would be mixed under one article. Use --key url, and give each page data-article="its link".',
    )
  }
  const learnable = plan.comments.filter((c) => c.status === 'approved' || c.status === 'spam').length
  if (options.dryRun) {
    printPlan(options.file, plan)
    console.log(line('to import', plan.comments.length, byStatus(count(plan.comments.map((c) => c.status)))))
    console.log(line('articles', plan.articles))
    console.log(line('articles to close', plan.closed.length, 'comments closed on WordPress'))
    console.log(line('decisions to learn', options.learn ? Math.min(learnable, MAX_EXAMPLES) : 0, options.learn ? 'approved and spam' : '--no-learn'))
    console.log('\nDry run: nothing was written.')
    return
  }

  const keys = await deriveKeys(secretKey(), nodeCryptoKeys)
  const db = await open()
  let result: ImportResult
  let closed: number
  try {
    if (options.learn && learnable > 0)
      console.log(`Importing ${plan.comments.length} comments, then learning from up to ${Math.min(learnable, MAX_EXAMPLES)} decisions…`)
    result = await importComments(db, plan.comments, {
      keys,
      learner: options.learn ? createLearner(new PostgresModelStore(db), { keyOf: keyedMessageKey(keys) }) : undefined,
      moderator: 'cli',
      source: 'wordpress',
      maxDepth: Number(process.env.MAX_DEPTH) || 5,
    })
    closed = await closeArticles(db, plan.closed, new Date())
  } finally {
    await db.destroy()
  }
  printPlan(options.file, plan)
  const imported = statuses.reduce((n, s) => n + result.imported[s], 0)
  console.log(line('imported', imported, byStatus(result.imported)))
  console.log(line('already present', result.alreadyPresent, 'the same author, text and article: left as they are'))
  console.log(line('articles created', result.articlesCreated, `of ${plan.articles}`))
  console.log(line('replies moved up', result.lifted, 'nested deeper than MAX_DEPTH allows: attached to an ancestor'))
  console.log(line('articles closed', closed, 'comments closed on WordPress; reopen them in the console'))
  console.log(line('decisions learned', result.learned, options.learn ? 'approved and spam teach the spam model' : '--no-learn'))
  if (process.env.DATABASE_URL?.trim() && imported > 0) console.log('\nRunning Parley instances were told to drop their cached answers.')
}

const skipLabels: Record<SkipReason, string> = {
  pingback: 'pingback',
  trackback: 'trackback',
  other_type: 'not a comment',
  no_email: 'no email',
  invalid_email: 'invalid email',
  empty_content: 'empty text',
  no_date: 'no date',
  no_article: 'no post link',
  too_long: 'over 64 KiB of text or 80 KiB in all',
}

function printPlan(file: string, plan: ImportPlan): void {
  const skipped = skipReasons.reduce((n, r) => n + plan.skipped[r], 0)
  const reasons = skipReasons.filter((r) => plan.skipped[r] > 0).map((r) => `${skipLabels[r]} ${plan.skipped[r]}`)
  console.log(`WordPress export ${file}${plan.version ? ` (WXR ${plan.version})` : ''}`)
  console.log(line('posts seen', plan.posts, `${plan.postsWithComments} with comments`))
  console.log(line('comments in the file', plan.commentsInFile))
  console.log(line('skipped', skipped, reasons.join(', ')))
  console.log(line('replies made top-level', plan.madeTopLevel, 'their parent is missing or skipped'))
  console.log(line('websites dropped', plan.urlsDropped, 'not http(s), or over 200 characters'))
  console.log(line('held, post not public', plan.heldNotPublic, 'approved on a private, draft or password-protected post: imported as pending'))
}

const line = (label: string, n: number, detail = '') => `  ${label.padEnd(24)}${n}${detail && n > 0 ? ` (${detail})` : ''}`
const count = (list: Status[]) => Object.fromEntries(statuses.map((s) => [s, list.filter((x) => x === s).length])) as Record<Status, number>
const byStatus = (counts: Record<Status, number>) => (['approved', 'pending', 'spam', 'trash'] as const).map((s) => `${s} ${counts[s]}`).join(', ')

/** The server's SECRET_KEY: imported emails must be encrypted and hashed with the very key it reads them with. */
function secretKey(): string {
  let key = process.env.SECRET_KEY
  if (!key && !process.env.DATABASE_URL?.trim()) {
    const file = join(process.env.DATA_DIR || './data', 'secrets.json')
    if (!existsSync(file)) {
      fail(`No secret key yet: start Parley once (it makes ${file}), or set SECRET_KEY to the server's. Imported emails are encrypted with it.`)
    }
    key = (JSON.parse(readFileSync(file, 'utf8')) as { SECRET_KEY?: string }).SECRET_KEY
  }
  if (!key) fail("Set SECRET_KEY to the server's secret key: imported emails are encrypted and hashed with it.")
  if (key.length < 32) fail("SECRET_KEY must be at least 32 characters (use the server's own).")
  return key
}

try {
  await main(process.argv.slice(2))
} catch (error) {
  console.error(error instanceof CliError ? error.message : `Failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
}
