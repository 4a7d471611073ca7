// Node only (server.ts): the embedded database's directory, readable by its owner alone.
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Creates DATA_DIR (and its parents) if needed and makes it and everything in it owner-only (0700 for
 * directories, 0600 for files), as PostgreSQL does with its data directory. New files get the same through
 * the umask; PGlite writes its files 0666 whatever the umask, so the walk runs again after it has opened,
 * and the 0700 directory keeps anything it writes later out of other users' reach.
 */
export function secureDataDir(dir: string): { fixed: number } {
  process.umask(0o077)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  return { fixed: restrict(dir) }
}

function restrict(path: string): number {
  const stat = lstatSync(path)
  if (stat.isSymbolicLink()) return 0
  let fixed = 0
  if ((stat.mode & 0o077) !== 0) {
    chmodSync(path, stat.mode & 0o700)
    fixed++
  }
  if (stat.isDirectory()) for (const name of readdirSync(path)) fixed += restrict(join(path, name))
  return fixed
}
