// The Worker's own settings and the README's local Worker path, as an operator follows them.
import { execFile, spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../src/config.js'
import { ADMIN_TOKEN, SECRET_KEY, uniqueArticle, validComment } from './support/app.js'
import { freePort } from './support/server.js'

const root = new URL('../', import.meta.url)
const wranglerToml = readFileSync(new URL('wrangler.toml', root), 'utf8')

/** The KEY = "value" lines of wrangler.toml's [vars] table. */
function wranglerVars(): Record<string, string> {
  const table = /^\[vars\]\n([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(wranglerToml)?.[1] ?? ''
  return Object.fromEntries([...table.matchAll(/^([A-Z_]+) = "([^"]*)"$/gm)].map((m) => [m[1]!, m[2]!]))
}

// Informational on Workers (the limits are always counted in PostgreSQL there).
const WORKER_ONLY = new Set(['RATE_LIMIT_STORE'])

describe('wrangler.toml', () => {
  it('sets every setting to the same value as Node’s default (one spam threshold everywhere)', () => {
    const vars = wranglerVars()
    expect(Object.keys(vars)).toContain('SPAM_THRESHOLD')
    const base = { ADMIN_TOKEN, SECRET_KEY, DATABASE_URL: 'postgres://x@127.0.0.1/x' }
    const node = parseConfig(base)
    for (const [name, value] of Object.entries(vars)) {
      if (WORKER_ONLY.has(name)) continue
      expect(parseConfig({ ...base, [name]: value }), `${name} = "${value}"`).toEqual(node)
    }
  })
})

const serverUrl = process.env.TEST_DATABASE_URL
const hasCreatedb = spawnSync('createdb', ['--version']).status === 0

/** The README's shell lines for running the Worker locally (the sh block after "**Locally**"). */
function readmeLines(): string[] {
  const readme = readFileSync(new URL('README.md', root), 'utf8')
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('**Locally**')))![1]!
  return block.trim().split('\n')
}

describe.skipIf(!serverUrl || !hasCreatedb)('the README’s local Worker path, followed line by line', () => {
  it('creates and migrates the database, writes .dev.vars, and npm run dev:worker then serves a post, a decision and the list', async () => {
    const lines = readmeLines()
    expect(lines).toHaveLength(4)
    expect(lines[3]).toBe('npm run dev:worker')
    // Followed literally, dev:worker reaches the database the first line creates.
    const created = /createdb .* (\w+)$/.exec(lines[0]!)![1]!
    expect(/localConnectionString = "postgres:\/\/[^"]*\/(\w+)"/.exec(wranglerToml)?.[1]).toBe(created)

    // A database of this run's own (parley_dev may be someone's), pointed to by the README's override variable.
    const name = `parley_readme_${randomBytes(5).toString('hex')}`
    const url = `postgres://postgres:postgres@127.0.0.1:5432/${name}`
    const dir = mkdtempSync(join(tmpdir(), 'parley-readme-'))
    for (const path of ['src', 'migrations', 'scripts', 'wrangler.toml', 'package.json', 'tsconfig.json']) {
      cpSync(fileURLToPath(new URL(path, root)), join(dir, path), { recursive: true })
    }
    symlinkSync(fileURLToPath(new URL('node_modules', root)), join(dir, 'node_modules'), 'dir')
    const env = { ...process.env, CI: '1', NO_COLOR: '1', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', DATABASE_URL: '' }
    const sh = (line: string) => promisify(execFile)('bash', ['-euo', 'pipefail', '-c', line], { cwd: dir, env })
    let worker: ReturnType<typeof spawn> | undefined
    let output = ''
    try {
      for (const line of lines.slice(0, 3)) await sh(line.replaceAll(created, name))
      const vars = Object.fromEntries(
        readFileSync(join(dir, '.dev.vars'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.split('=') as [string, string]),
      )
      expect(vars.ADMIN_TOKEN).toMatch(/^[0-9a-f]{48}$/)
      expect(vars.SECRET_KEY).toMatch(/^[0-9a-f]{64}$/)

      const port = await freePort()
      worker = spawn('bash', ['-c', `exec ${lines[3]} -- --port ${port} --ip 127.0.0.1 --inspector-port ${await freePort()}`], {
        cwd: dir,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...env, CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: url },
      })
      worker.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
      worker.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
      const base = `http://127.0.0.1:${port}`
      const deadline = Date.now() + 150_000
      while (
        (await fetch(`${base}/healthz`).then(
          (r) => r.status,
          () => 0,
        )) !== 200
      ) {
        if (Date.now() > deadline || worker.exitCode !== null) throw new Error(`npm run dev:worker did not become healthy:\n${output.slice(-3000)}`)
        await new Promise((r) => setTimeout(r, 500))
      }
      const article = uniqueArticle('readme-worker')
      const posted = await fetch(`${base}/api/comments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(validComment(article)),
      })
      expect(posted.status).toBe(201)
      const { comment } = (await posted.json()) as { comment: { id: string } }
      const decided = await fetch(`${base}/api/admin/comments/${comment.id}`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${vars.ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ status: 'approved' }),
      })
      expect(decided.status).toBe(200)
      const list = (await (await fetch(`${base}/api/comments?article=${encodeURIComponent(article)}`)).json()) as { comments: { id: string }[] }
      expect(list.comments.map((c) => c.id)).toEqual([comment.id])
    } finally {
      if (worker?.pid !== undefined && worker.exitCode === null) {
        const exited = new Promise((resolve) => worker!.once('exit', resolve))
        process.kill(-worker.pid, 'SIGTERM')
        const timer = setTimeout(() => process.kill(-worker!.pid!, 'SIGKILL'), 5_000)
        await exited
        clearTimeout(timer)
      }
      await sh(`dropdb -h 127.0.0.1 -U postgres --if-exists --force ${name}`).catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    }
  }, 240_000)
})
