// One process per embedded database: PGlite opens a directory another process has open without a word
// (two servers on one DATA_DIR each saw only their own writes, corrupted every index and lost comments).
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname } from 'node:path'

/** Another live process holds the directory: the message is the one line to print. */
export class DataDirInUse extends Error {
  override name = 'DataDirInUse'
}

export type DataDirLock = { file: string; release: () => void }

/** The lock file of an embedded database directory: beside it, so PGlite's own files are left alone. */
export const lockFileOf = (dataDir: string) => `${dataDir.replace(/\/+$/, '')}.lock`

type Holder = { pid: number; host: string; started: string | null }

/** The kernel's start time of a process (Linux), so a reused pid is not taken for the lock's holder. */
function startedAt(pid: number): string | null {
  try {
    // Field 22 of /proc/PID/stat; the command name (field 2) may hold spaces, so count after its ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

function alive(holder: Holder): boolean {
  if (holder.pid === process.pid) return false // a lock left by an earlier process that had our pid (a restarted container)
  try {
    process.kill(holder.pid, 0)
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM' // exists, but not ours to signal
  }
  // The pid is in use: by the holder, unless it started at another time (the pid was reused since).
  const now = startedAt(holder.pid)
  return holder.started === null || now === null || now === holder.started
}

function read(file: string): Holder | undefined {
  try {
    const held = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>
    return typeof held.pid === 'number' ? { pid: held.pid, host: String(held.host ?? ''), started: held.started ?? null } : undefined
  } catch {
    return undefined // half-written or not ours: judged by the caller as stale
  }
}

/**
 * Takes `file` (e.g. DATA_DIR/pgdata.lock) for this process, before the database is opened: created
 * exclusively, holding the pid, host and process start time. A lock whose process is gone (killed,
 * crashed) is recognised as stale and taken over; a live holder, or one on another host (a shared
 * volume: its liveness cannot be seen from here), refuses with DataDirInUse. release() removes it.
 */
export function lockDataDir(file: string, what = 'The embedded database'): DataDirLock {
  mkdirSync(dirname(file), { recursive: true })
  const me: Holder = { pid: process.pid, host: hostname(), started: startedAt(process.pid) }
  for (let attempt = 0; ; attempt++) {
    let fd: number
    try {
      fd = openSync(file, 'wx', 0o600)
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST' || attempt > 2) throw error
      const holder = read(file)
      if (holder && holder.host !== me.host) {
        throw new DataDirInUse(
          `${what} in ${dirname(file)} is locked by process ${holder.pid} on ${holder.host}: one process at a time can open it. If no Parley runs there, delete ${file}.`,
        )
      }
      if (holder && alive(holder)) {
        throw new DataDirInUse(
          `${what} in ${dirname(file)} is in use by process ${holder.pid}: one process at a time can open it; stop the Parley server first.`,
        )
      }
      // Stale: its process is gone. (Two processes taking over the same stale lock at the same instant
      // could both remove it; the exclusive create below still lets only one of them in per attempt.)
      rmSync(file, { force: true })
      continue
    }
    writeSync(fd, JSON.stringify(me) + '\n')
    closeSync(fd)
    let released = false
    return {
      file,
      release: () => {
        if (released) return
        released = true
        // Only our own lock: never one another process took after ours was judged stale.
        if (read(file)?.pid === me.pid) rmSync(file, { force: true })
      },
    }
  }
}
