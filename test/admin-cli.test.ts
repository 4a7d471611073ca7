// npm run admin -- token …: real processes on an embedded data directory, as an operator would run them.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { openEmbedded } from '../src/db/embedded.js'
import { makeApp } from './support/app.js'

const run = promisify(execFile)
const root = new URL('../', import.meta.url).pathname
const dataDir = mkdtempSync(join(tmpdir(), 'parley-cli-'))

async function admin(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir },
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
  ])('refuses %j', async (args, message) => {
    const result = await admin(...args)
    expect(result.code).toBe(1)
    expect(result.out).toContain(message)
  }, 120_000)
})
