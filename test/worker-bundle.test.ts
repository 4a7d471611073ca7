// What the Worker may contain: no Node-only API anywhere in src/ but server.ts and src/node/, no PGlite in the bundle,
// and a bundle (built as `wrangler deploy` builds it) within the 300 KB gzipped budget.
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, transform } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs script without type declarations
import { buildWorker, bundledInputs, GZIP_BUDGET, measureWorker } from '../scripts/worker-size.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
/** The Node entry and the Node-only modules only it imports. */
const NODE_ONLY = (file: string) => file === 'src/server.ts' || file.startsWith('src/node/')
/**
 * Node-named modules that Workers implement natively under nodejs_compat, allowed only where named:
 * the Worker keeps each request's pool in an AsyncLocalStorage.
 */
const WORKERS_ALSO: Record<string, string[]> = { 'src/worker.ts': ['node:async_hooks'] }
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))
/** Node's globals, turned by esbuild's define (which touches only free identifiers, never strings or properties) into a marker. */
const NODE_GLOBALS = ['process', 'Buffer', 'require', 'global', '__dirname', '__filename']
const define = Object.fromEntries(NODE_GLOBALS.map((name) => [name, `__NODE_ONLY__.${name}`]))

/** The Node-only things a TypeScript source uses: builtin imports and Node globals. */
async function nodeOnlyUses(code: string): Promise<string[]> {
  const used: string[] = []
  const result = await build({
    stdin: { contents: code, loader: 'ts', resolveDir: root },
    bundle: true,
    write: false,
    metafile: true,
    platform: 'neutral',
    packages: 'external',
    external: [...builtins],
    logLevel: 'silent',
    // Relative imports are other files, checked on their own.
    plugins: [{ name: 'only-this-file', setup: (b) => b.onResolve({ filter: /^\./ }, (a) => ({ path: a.path, external: true })) }],
  })
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) if (builtins.has(imported.path)) used.push(imported.path)
  }
  const stripped = await transform(code, { loader: 'ts', define })
  for (const match of stripped.code.matchAll(/__NODE_ONLY__\.(\w+)/g)) used.push(match[1]!)
  return [...new Set(used)]
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.(ts|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

describe('Node-only APIs stay in src/server.ts', () => {
  it.each([
    { name: 'a node: import', code: "import { readFileSync } from 'node:fs'\nreadFileSync('x')", uses: ['node:fs'] },
    { name: 'a bare builtin import', code: "import { createHash } from 'crypto'\ncreateHash('md5')", uses: ['crypto'] },
    { name: 'process.env', code: 'export const url = process.env.DATABASE_URL', uses: ['process'] },
    { name: 'Buffer', code: "export const b = Buffer.from('x')", uses: ['Buffer'] },
    {
      name: 'a web API only',
      code: "export const h = (s: string) => crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)) // process.env",
      uses: [],
    },
    { name: 'the word in a string', code: "export const hint = 'set process.env.X or Buffer'", uses: [] },
  ])('the checker sees $name', async ({ code, uses }) => {
    expect(await nodeOnlyUses(code)).toEqual(uses)
  })

  const files = [...sourceFiles('src'), ...sourceFiles('migrations')].filter((f) => !NODE_ONLY(f))
  it('finds the sources to check', () => {
    expect(files).toContain('src/worker.ts')
    expect(files).toContain('src/app.ts')
  })
  it.each(files)('%s uses no Node-only API', async (file) => {
    const allowed = WORKERS_ALSO[file] ?? []
    const uses = await nodeOnlyUses(readFileSync(join(root, file), 'utf8'))
    expect(uses.filter((u) => !allowed.includes(u))).toEqual([])
  })
})

describe('the Worker bundle, as wrangler deploy builds it', () => {
  let outdir: string
  let inputs: string[]
  beforeAll(() => {
    outdir = buildWorker(mkdtempSync(join(tmpdir(), 'parley-worker-bundle-')))
    inputs = bundledInputs(outdir).map((p: string) => relative(root, join(root, p)))
  }, 120_000)
  afterAll(() => {
    if (outdir) rmSync(outdir, { recursive: true, force: true })
  })

  it('holds the app and pg, and never PGlite (the embedded PostgreSQL) or the Node entry', () => {
    expect(inputs).toContain('src/worker.ts')
    expect(inputs).toContain('src/app.ts')
    expect(inputs.some((p) => p.includes('node_modules/pg/'))).toBe(true)
    expect(inputs.filter((p) => /@electric-sql\/pglite|src\/db\/embedded\.ts|src\/server\.ts|src\/node\/|@hono\/node-server/.test(p))).toEqual([])
  })

  it('stays within 300 KB gzipped', () => {
    const { raw, gzip } = measureWorker(outdir)
    console.log(`[worker-bundle] raw ${(raw / 1024).toFixed(1)} KiB, gzip ${(gzip / 1024).toFixed(1)} KiB`)
    expect(gzip).toBeGreaterThan(0)
    expect(gzip).toBeLessThanOrEqual(GZIP_BUDGET)
  })
})
