// npm run admin -- token … and import …: real processes on an embedded data directory, as an operator would run them.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { openEmbedded } from '../src/node/embedded.js'
import { ADMIN_TOKEN, makeApp, SECRET_KEY } from './support/app.js'

const run = promisify(execFile)
const root = new URL('../', import.meta.url).pathname
const dataDir = mkdtempSync(join(tmpdir(), 'parley-cli-'))

const admin = (...args: string[]) => adminIn(dataDir, ...args)

async function adminIn(dir: string, ...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dir, SECRET_KEY: '' },
    })
    return { code: 0, out: stdout + stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

/** Opens the data directory in this process (as the server would) and asks whether a token signs in. */
async function signsIn(token: string): Promise<number> {
  const db = await openEmbedded(join(dataDir, 'pgdata'))
  try {
    const t = await makeApp(db)
    return (await t.admin('GET', '/stats', undefined, token)).status
  } finally {
    await db.destroy()
  }
}

describe('npm run admin -- --help', () => {
  it('prints the usage and exits 0 when asked; an unknown command still exits 1 with it', async () => {
    for (const flag of ['--help', '-h']) {
      const asked = await admin(flag)
      expect(asked.code, flag).toBe(0)
      expect(asked.out, flag).toMatch(/^Usage:\n {2}npm run admin -- token create NAME/)
    }
    const wrong = await admin('frobnicate')
    expect(wrong.code).toBe(1)
    expect(wrong.out).toContain('Usage:')
  }, 120_000)
})

describe('npm run admin -- token', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('creates a token printed once, lists it, refuses it while the database is open elsewhere, and revokes it', async () => {
    const created = await admin('token', 'create', 'alice')
    expect(created.code).toBe(0)
    const token = /\b(pm_[A-Za-z0-9_-]{43})\b/.exec(created.out)?.[1]
    expect(token).toBeDefined()

    const listed = await admin('token', 'list')
    expect(listed.out).toMatch(/^admin\tADMIN_TOKEN/m)
    expect(listed.out).toMatch(/^alice\tcreated \S+$/m)
    expect(listed.out).not.toContain(token!)

    // While another process (here: this one) has the embedded database open, the CLI says so and stops.
    const db = await openEmbedded(join(dataDir, 'pgdata'))
    const busy = await admin('token', 'list')
    await db.destroy()
    expect(busy.code).toBe(1)
    expect(busy.out).toContain('stop the Parley server first')

    expect(await signsIn(token!)).toBe(200)
    const revoked = await admin('token', 'revoke', 'alice')
    expect(revoked.code).toBe(0)
    expect(await signsIn(token!)).toBe(401)
  }, 300_000) // five starts of the embedded database, in child processes and here

  it.each([
    [['token', 'create', 'admin'], 'ADMIN_TOKEN'],
    [['token', 'create', 'bad name'], 'Give a name'],
    [['token', 'revoke', 'nobody'], 'No moderator named "nobody"'],
    [['tokens'], 'Usage'],
  ])(
    'refuses %j',
    async (args, message) => {
      const result = await admin(...args)
      expect(result.code).toBe(1)
      expect(result.out).toContain(message)
    },
    120_000,
  )
})

describe('npm run admin -- import wordpress', () => {
  const fixture = 'test/fixtures/wordpress-export.xml'
  const dirs: string[] = []
  /** A data directory as the server leaves it after its first start: its secrets.json, the key the tests' apps use. */
  const siteDir = (secrets = true) => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-import-'))
    dirs.push(dir)
    if (secrets) writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ ADMIN_TOKEN, SECRET_KEY }), { mode: 0o600 })
    return dir
  }
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

  async function inDatabase<T>(dir: string, use: (db: Awaited<ReturnType<typeof openEmbedded>>) => Promise<T>): Promise<T> {
    const db = await openEmbedded(join(dir, 'pgdata'))
    try {
      return await use(db)
    } finally {
      await db.destroy()
    }
  }
  const examples = (db: Awaited<ReturnType<typeof openEmbedded>>) =>
    sql<{ label: string; n: number }>`select label, count(*)::int as n from spam_examples group by label order by label`
      .execute(db)
      .then((r) => Object.fromEntries(r.rows.map((x) => [x.label, Number(x.n)])))

  it('a dry run reads the file and says what it would import, writing nothing (no database, no key needed)', async () => {
    const dir = siteDir(false)
    const result = await adminIn(dir, 'import', 'wordpress', fixture, '--dry-run')
    expect(result.code).toBe(0)
    expect(result.out).toContain('(WXR 1.2)')
    expect(result.out).toMatch(/posts seen\s+3 \(2 with comments\)/)
    expect(result.out).toMatch(/to import\s+8 \(approved 5, pending 1, spam 1, trash 1\)/)
    expect(result.out).toMatch(/skipped\s+4 \(pingback 1, trackback 1, no email 1, empty text 1\)/)
    expect(result.out).toMatch(/replies made top-level\s+1/)
    expect(result.out).toMatch(/decisions to learn\s+6/)
    expect(result.out).toMatch(/articles to close\s+1/)
    expect(result.out).toContain('Dry run: nothing was written.')
    expect(existsSync(join(dir, 'pgdata'))).toBe(false)
    const noLearn = await adminIn(dir, 'import', 'wordpress', fixture, '--dry-run', '--no-learn', '--key', 'url')
    expect(noLearn.out).toMatch(/decisions to learn\s+0/)
  }, 60_000)

  it('imports with --no-learn (nothing learned), adds nothing the second time, and the server reads what it stored', async () => {
    const dir = siteDir()
    const first = await adminIn(dir, 'import', 'wordpress', fixture, '--no-learn')
    expect(first.code, first.out).toBe(0)
    expect(first.out).toMatch(/imported\s+8 \(approved 5, pending 1, spam 1, trash 1\)/)
    expect(first.out).toMatch(/articles created\s+2/)
    expect(first.out).toMatch(/decisions learned\s+0/)
    expect(first.out).toMatch(/articles closed\s+1 \(comments closed on WordPress/)
    const second = await adminIn(dir, 'import', 'wordpress', fixture)
    expect(second.out).toMatch(/imported\s+0/)
    expect(second.out).toMatch(/already present\s+8/)
    expect(second.out).toMatch(/articles created\s+0/)
    expect(second.out).toMatch(/decisions learned\s+0/)
    expect(second.out).toMatch(/articles closed\s+0/)

    await inDatabase(dir, async (db) => {
      expect(await examples(db)).toEqual({})
      // An app with the site's key: the public list, and the moderator's view with the email decrypted.
      const t = await makeApp(db)
      const list = await (await t.list('/2024/01/hello-world/')).json()
      expect(list.comments.map((c: { author: string }) => c.author)).toEqual(['Ann Example', 'Bob', 'Cleo'])
      const queue = await (await t.admin('GET', `/comments?article=${encodeURIComponent('/2024/01/hello-world/')}&status=approved`)).json()
      expect(queue.comments.map((c: { email: string }) => c.email).sort()).toEqual([
        'Ann.Example@Mail.example',
        'bob@mail.example',
        'cleo@mail.example',
      ])
      // Moderators find them by their reason.
      const imported = await (await t.admin('GET', '/comments?reason=imported&limit=100')).json()
      expect(imported.comments).toHaveLength(8)
    })
  }, 300_000) // three starts of the embedded database

  it('learns from the approved and spam comments by default', async () => {
    const dir = siteDir()
    const result = await adminIn(dir, 'import', 'wordpress', fixture)
    expect(result.code, result.out).toBe(0)
    expect(result.out).toMatch(/decisions learned\s+6/)
    await inDatabase(dir, async (db) => expect(await examples(db)).toEqual({ ham: 5, spam: 1 }))
  }, 300_000)

  it.each([
    [['import', 'wordpress', fixture], 'No secret key yet'],
    [['import', 'wordpress'], 'Give the export file'],
    [['import', 'wordpress', fixture, '--fast'], 'Unknown option --fast'],
    [['import', 'wordpress', fixture, '--key', 'slug'], '--key takes `path`'],
    [['import', 'wordpress', fixture, '--key'], "Option '--key <value>' argument missing"],
    [['import', 'wordpress', fixture, fixture], 'One export file at a time'],
    [['import', 'wordpress', 'no-such-file.xml'], 'Cannot read no-such-file.xml: ENOENT'],
    [['import', 'wordpress', 'package.json'], 'not well-formed XML (line 1, column 1)'],
    [['import', 'disqus', fixture], 'import wordpress FILE.xml'],
  ])(
    'refuses %j',
    async (args, message) => {
      const result = await adminIn(siteDir(false), ...args)
      expect(result.code).toBe(1)
      expect(result.out).toContain(message)
    },
    60_000,
  )

  it('refuses posts that share one URL path (?p= permalinks) unless --key url', async () => {
    const dir = siteDir(false)
    const file = join(dir, 'plain-permalinks.xml')
    writeFileSync(
      file,
      readFileSync(join(root, fixture), 'utf8')
        .replace('https://blog.example/2024/01/hello-world/</link>', 'https://blog.example/?p=12</link>')
        .replace('https://blog.example/2024/02/cafe-notes/</link>', 'https://blog.example/?p=20</link>'),
    )
    const byPath = await adminIn(dir, 'import', 'wordpress', file, '--dry-run')
    expect(byPath.code).toBe(1)
    expect(byPath.out).toContain('Use --key url')
    const byUrl = await adminIn(dir, 'import', 'wordpress', file, '--dry-run', '--key=url')
    expect(byUrl.code).toBe(0)
    expect(byUrl.out).toMatch(/articles\s+2/)
  }, 60_000)
})

describe('npm run admin -- copy', () => {
  const dirs: string[] = []
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-copy-'))
    dirs.push(dir)
    return dir
  }
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

  it('copies an embedded site into a new embedded database, and refuses to copy into it twice', async () => {
    const site = newDir()
    writeFileSync(join(site, 'secrets.json'), JSON.stringify({ ADMIN_TOKEN, SECRET_KEY }), { mode: 0o600 })
    const imported = await adminIn(site, 'import', 'wordpress', 'test/fixtures/wordpress-export.xml', '--no-learn')
    expect(imported.code, imported.out).toBe(0)
    const target = newDir()
    const copied = await adminIn(site, 'copy', '--to-data-dir', target)
    expect(copied.code, copied.out).toBe(0)
    expect(copied.out).toMatch(/Copied \d+ rows \(8 comments, 3 articles\)/) // the closed /about/ post is an article too
    expect(copied.out).toContain(`SECRET_KEY from ${join(site, 'secrets.json')}`)
    // The copy serves the same comments, emails readable with the site's key.
    const db = await openEmbedded(join(target, 'pgdata'))
    try {
      const t = await makeApp(db)
      const list = await (await t.list('/2024/01/hello-world/')).json()
      expect(list.comments.map((c: { author: string }) => c.author)).toEqual(['Ann Example', 'Bob', 'Cleo'])
      const queue = await (await t.admin('GET', '/comments?status=approved&limit=100')).json()
      expect(queue.comments.map((c: { email: string }) => c.email)).toContain('bob@mail.example')
    } finally {
      await db.destroy()
    }
    const again = await adminIn(site, 'copy', '--to-data-dir', target)
    expect(again.code).toBe(1)
    expect(again.out).toContain('already holds data')
  }, 300_000)

  it.each([
    [['copy'], 'copy --to postgres://'],
    [['copy', '--to', '/some/dir'], '--to takes a PostgreSQL URL'],
    [['copy', '--to'], "Option '--to <value>' argument missing"],
    [['copy', '--to', 'postgres://x/y', '--to-data-dir', '/tmp/x'], 'copy --to postgres://'],
    [['copy', '--to-data-dir', '/tmp/x', 'extra'], 'copy --to postgres://'],
  ])(
    'refuses %j',
    async (args, message) => {
      const result = await adminIn(newDir(), ...args)
      expect(result.code).toBe(1)
      expect(result.out).toContain(message)
    },
    60_000,
  )
})
