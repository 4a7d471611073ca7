// Node only: a new embedded database made from a shipped template (initdb's output, migrated) instead of PGlite's initdb.
// initdb runs a second PostgreSQL and the initdb program, each in its own WebAssembly memory, then copies
// the result through an in-memory tar: 0.8–1.1 GB at its peak and 5–11 s on a 2-core machine. The
// template (assets/, made by `npm run pgdata-template` from the same PGlite) is unpacked as a stream into
// a temporary directory and renamed into place: about 60 ms and a few MB, and a half-written directory
// is never taken for a database.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, normalize } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createReadStream } from 'node:fs'
import { createBrotliDecompress } from 'node:zlib'
import { fileURLToPath } from 'node:url'

/**
 * The shipped template, beside its description (the PGlite version it was made with): assets/ at the
 * project's root, found upwards from this module, which runs from src/node/ (tsx) or a dist/ bundle.
 */
export const TEMPLATE: URL = (() => {
  for (const up of ['../', '../../', '../../../']) {
    const url = new URL(`${up}assets/pgdata-template.tar.br`, import.meta.url)
    if (existsSync(url)) return url
  }
  return new URL('../../assets/pgdata-template.tar.br', import.meta.url)
})()

/** What the template holds: the PGlite version that wrote it, and the migrations applied in it (in order). */
export type TemplateInfo = { pglite: string; migrations: string[] }

/** The installed PGlite's version: a template made by another version may not match its catalog. */
export function installedPglite(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite')
  let dir = dirname(entry)
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir)
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version
}

/** The template's description, or why it cannot be used (missing, made by another PGlite, or by other migrations). */
export function templateFor(migrations: string[], template: URL = TEMPLATE): { ok: true; info: TemplateInfo } | { ok: false; why: string } {
  const file = fileURLToPath(template)
  const infoFile = file.replace(/\.tar\.br$/, '.json')
  if (!existsSync(file) || !existsSync(infoFile)) return { ok: false, why: `no template at ${file}` }
  const info = JSON.parse(readFileSync(infoFile, 'utf8')) as TemplateInfo
  const installed = installedPglite()
  if (info.pglite !== installed) return { ok: false, why: `the template was made by PGlite ${info.pglite}, ${installed} is installed` }
  // Its migrations must be the first of today's (Kysely's order: by name); later ones run at the first start.
  const known = [...migrations].sort()
  if (info.migrations.some((name, i) => known[i] !== name)) return { ok: false, why: 'the template holds migrations this code does not have' }
  return { ok: true, info }
}

/**
 * Unpacks the template into `dataDir` if it holds no database yet (missing or empty). Returns false,
 * touching nothing, when it already holds one or anything else (PGlite then decides, as before).
 */
export async function unpackTemplate(dataDir: string, template: URL = TEMPLATE): Promise<boolean> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return false
  const partial = `${dataDir.replace(/\/+$/, '')}.partial`
  rmSync(partial, { recursive: true, force: true })
  mkdirSync(partial, { recursive: true, mode: 0o700 })
  await pipeline(createReadStream(fileURLToPath(template)), createBrotliDecompress(), untar(partial))
  if (existsSync(dataDir)) rmdirSync(dataDir)
  renameSync(partial, dataDir)
  return true
}

/** A minimal ustar reader (regular files and directories only, as PGlite's dump writes), as a stream sink. */
function untar(root: string): (source: AsyncIterable<Buffer>) => Promise<void> {
  return async (source) => {
    let pending: Buffer = Buffer.alloc(0)
    let file: { fd: number; left: number; pad: number } | undefined
    let skip = 0
    for await (const chunk of source) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk
      for (;;) {
        if (skip > 0) {
          const n = Math.min(skip, pending.length)
          pending = pending.subarray(n)
          skip -= n
          if (skip > 0) break
        }
        if (file) {
          const n = Math.min(file.left, pending.length)
          if (n > 0) writeSync(file.fd, pending, 0, n)
          pending = pending.subarray(n)
          file.left -= n
          if (file.left > 0) break
          closeSync(file.fd)
          skip = file.pad
          file = undefined
          continue
        }
        if (pending.length < 512) break
        const header = pending.subarray(0, 512)
        pending = pending.subarray(512)
        if (header.every((b) => b === 0)) continue
        const text = (from: number, to: number) => header.subarray(from, to).toString('latin1').replace(/\0.*$/s, '')
        const name = join(text(345, 500), text(0, 100))
        const size = parseInt(text(124, 136).trim() || '0', 8)
        const path = join(root, normalize(name).replace(/^(\.\.(\/|$))+/, ''))
        if (!path.startsWith(root)) throw new Error(`the template holds a path outside the directory: ${name}`)
        const type = String.fromCharCode(header[156]!)
        if (type === '5') mkdirSync(path, { recursive: true, mode: 0o700 })
        else if (type === '0' || type === '\0') {
          mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
          file = { fd: openSync(path, 'w', 0o600), left: size, pad: (512 - (size % 512)) % 512 }
        } else skip = size + ((512 - (size % 512)) % 512)
      }
    }
    if (file) throw new Error('the template ends inside a file')
  }
}
