// Builds the Worker exactly as `wrangler deploy` would (--dry-run) and prints its size as JSON:
// { raw, gzip } in bytes over every module uploaded (the bundle and the embed script), plus the budget.
// Usage: node scripts/worker-size.mjs [outdir]   (default dist/worker; run npm run build:embed first)
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'

const root = fileURLToPath(new URL('..', import.meta.url))
export const GZIP_BUDGET = 300 * 1024

/** Runs `wrangler deploy --dry-run --outdir` (nothing is uploaded) and returns the outdir's path. */
export function buildWorker(outdir = join(root, 'dist', 'worker')) {
  rmSync(outdir, { recursive: true, force: true })
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), 'deploy', '--dry-run', '--outdir', outdir, '--metafile'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    },
  )
  return outdir
}

/**
 * Sizes of the modules in a built outdir (source maps, README and the metafile are not uploaded code).
 * @param {string} outdir
 */
export function measureWorker(outdir) {
  const files = readdirSync(outdir).filter((f) => /\.(m?js|wasm|txt|bin)$/.test(f))
  let raw = 0
  let gzip = 0
  for (const file of files) {
    const bytes = readFileSync(join(outdir, file))
    raw += bytes.length
    gzip += gzipSync(bytes, { level: 9 }).length
  }
  return { raw, gzip, files }
}

/**
 * The esbuild metafile wrangler wrote: which source files ended up in the bundle.
 * @param {string} outdir
 * @returns {string[]}
 */
export function bundledInputs(outdir) {
  const meta = JSON.parse(readFileSync(join(outdir, 'bundle-meta.json'), 'utf8'))
  return Object.keys(meta.inputs)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outdir = buildWorker(process.argv[2])
  const { raw, gzip } = measureWorker(outdir)
  console.log(JSON.stringify({ raw, gzip, rawKiB: +(raw / 1024).toFixed(1), gzipKiB: +(gzip / 1024).toFixed(1), budgetGzip: GZIP_BUDGET }))
}
