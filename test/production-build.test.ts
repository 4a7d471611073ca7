// What a production install (`npm ci --omit=dev`) runs: dist/server.mjs, dist/migrate.mjs and dist/admin.mjs, built
// once by scripts/build-server.mjs and started with plain node (no TypeScript loader). The packages they import are
// exactly package.json's dependencies (plus esbuild, which builds them), so nothing a production install lacks is
// needed and nothing it needs is only a devDependency.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serverUrl } from './support/db.js'

const run = promisify(execFile)
const root = new URL('../', import.meta.url).pathname
const dataDir = mkdtempSync(join(tmpdir(), 'parley-built-'))

type Result = { code: number; out: string }
async function node(args: string[], env: Record<string, string>): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: root, env: { ...process.env, ...env } })
    return { code: 0, out: stdout + stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

/** The package a bare import specifier names ('kysely/migration' → 'kysely', '@hono/node-server/x' → '@hono/node-server'). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier)
}

beforeAll(async () => {
  await run(process.execPath, ['scripts/build-server.mjs'], { cwd: root })
}, 120_000)

afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('the production build', () => {
  it('imports exactly the production dependencies (esbuild aside), so npm ci --omit=dev is enough', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])
    const imported = new Set<string>()
    // From the three entries through the chunks they load (dist/chunks may also hold chunks of earlier builds).
    const queue = ['server.mjs', 'migrate.mjs', 'admin.mjs'].map((f) => join(root, 'dist', f))
    const seen = new Set<string>()
    for (let file = queue.shift(); file; file = queue.shift()) {
      if (seen.has(file)) continue
      seen.add(file)
      const code = readFileSync(file, 'utf8')
      // esbuild writes static imports at the start of a line (`import { a } from "x";`, possibly over several
      // lines) and dynamic ones as import("x").
      const statics = code.matchAll(/^import\s(?:[^;"]*?\sfrom\s*)?"([^"]+)";/gm)
      const dynamics = code.matchAll(/\bimport\("([^"]+)"\)/g)
      for (const match of [...statics, ...dynamics]) {
        const specifier = match[1] ?? ''
        if (specifier.startsWith('.')) queue.push(join(dirname(file), specifier))
        else if (!builtins.has(specifier)) imported.add(packageOf(specifier))
      }
    }
    expect(seen.size).toBeGreaterThan(3)
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    const production = Object.keys(pkg.dependencies).filter((name) => name !== 'esbuild')
    expect([...imported].sort()).toEqual(production.sort())
  })

  it('loads PGlite only with the embedded database: the server statically imports no module that imports it', () => {
    // What `node dist/server.mjs` loads before main() runs: the entry and the chunks it imports statically, transitively.
    const queue = [join(root, 'dist', 'server.mjs')]
    const loaded = new Set<string>()
    const packages = new Set<string>()
    for (let file = queue.shift(); file; file = queue.shift()) {
      if (loaded.has(file)) continue
      loaded.add(file)
      for (const match of readFileSync(file, 'utf8').matchAll(/^import\s(?:[^;"]*?\sfrom\s*)?"([^"]+)";/gm)) {
        const specifier = match[1] ?? ''
        if (specifier.startsWith('.')) queue.push(join(dirname(file), specifier))
        else packages.add(packageOf(specifier))
      }
    }
    expect(packages).toContain('pg')
    expect(packages).not.toContain('@electric-sql/pglite')
  })

  // One run: the embedded database takes a while to open on a busy machine (test/admin-cli.test.ts covers the commands).
  it('runs the admin CLI with plain node on an embedded database', async () => {
    const created = await node(['dist/admin.mjs', 'token', 'create', 'alice'], { DATABASE_URL: '', DATA_DIR: dataDir, SECRET_KEY: '' })
    expect(created.out).toMatch(/pm_[A-Za-z0-9_-]{20,}/)
    expect(created.code).toBe(0)
  }, 300_000)

  it('refuses to migrate without DATABASE_URL, and says why', async () => {
    const result = await node(['dist/migrate.mjs'], { DATABASE_URL: '' })
    expect(result.code).toBe(1)
    expect(result.out).toContain('Set DATABASE_URL')
  }, 60_000)

  it.skipIf(!serverUrl)(
    'migrates the server PostgreSQL with plain node',
    async () => {
      const result = await node(['dist/migrate.mjs'], { DATABASE_URL: serverUrl ?? '' })
      expect(result.out).not.toMatch(/error/i)
      expect(result.code).toBe(0)
      expect(result.out).toMatch(/Already up to date\.|Success: \d{4}_/)
    },
    60_000,
  )
})
