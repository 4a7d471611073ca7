/**
 * Private PostgreSQL clusters and Redis servers for fault tests: they are stopped, killed and frozen
 * (SIGSTOP) under load, so they are never the shared ones. Ports: PostgreSQL 55432–55439, Redis
 * 56379–56389 (the first free one is used). PostgreSQL refuses to run as root: as root, initdb and
 * pg_ctl run as the `postgres` user (runuser) in a temporary directory it owns.
 *
 *   const pg = await startPgCluster()       // pg.url: postgres://postgres@127.0.0.1:PORT/postgres
 *   await pg.stop('fast') / pg.kill() / pg.freeze() / pg.thaw() / pg.start()
 *   await pg.destroy()                      // always, in afterAll
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** PostgreSQL's server binaries: PG_BIN, else the newest /usr/lib/postgresql/N/bin. */
function pgBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))) : []
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0]
  if (!newest) throw new Error('No PostgreSQL server binaries found (install postgresql, or set PG_BIN).')
  return join(root, newest, 'bin')
}

const asRoot = process.getuid?.() === 0

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

async function firstFreePort(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port++) if (await portFree(port)) return port
  throw new Error(`no free port in ${from}–${to}`)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Whether a process exists (a zombie counts as gone). */
function running(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

/** Children of `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) found.push(Number(entry))
    } catch {
      // gone meanwhile
    }
  }
  return found
}

export type PgCluster = {
  url: string
  port: number
  /** pg_ctl stop -m fast (or immediate), waiting for it. */
  stop: (mode?: 'fast' | 'immediate') => Promise<void>
  /** kill -9 of the postmaster; returns once its backends are gone too. */
  kill: () => Promise<void>
  /** SIGSTOP / SIGCONT to the postmaster and every backend. */
  freeze: () => void
  thaw: () => void
  /** pg_ctl start, waiting until it accepts connections. */
  start: () => Promise<void>
  destroy: () => Promise<void>
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = pgBin()
  const port = await firstFreePort(55432, 55439)
  const dir = mkdtempSync(join(tmpdir(), 'parley-faults-pg-'))
  const data = join(dir, 'data')
  if (asRoot) chownSync(dir, ...ids('postgres'))
  const as = (cmd: string, args: string[], timeout = 60_000) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { timeout }) : run(join(bin, cmd), args, { timeout })
  await as('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'])
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c max_connections=60`
  const start = async () => {
    await as('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '60', 'start'])
  }
  const postmaster = (): number | undefined => {
    try {
      return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])
    } catch {
      return undefined
    }
  }
  // Only the processes of this cluster: its postmaster (from its own pid file) and that process's children.
  const processes = () => {
    const pid = postmaster()
    return pid && running(pid) ? [pid, ...childrenOf(pid)] : []
  }
  await start()
  const cluster: PgCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop: async (mode = 'fast') => {
      await as('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop'])
    },
    kill: async () => {
      const all = processes()
      if (all[0]) process.kill(all[0], 'SIGKILL')
      // Backends notice the postmaster's death and exit; a new postmaster cannot start before they have.
      for (let i = 0; i < 200 && all.some(running); i++) await sleep(50)
    },
    freeze: () => {
      for (const pid of processes()) process.kill(pid, 'SIGSTOP')
    },
    thaw: () => {
      const pid = postmaster()
      if (!pid) return
      for (const p of [pid, ...childrenOf(pid)]) process.kill(p, 'SIGCONT')
    },
    destroy: async () => {
      cluster.thaw()
      await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {})
      const left = postmaster()
      if (left && running(left)) process.kill(left, 'SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return cluster
}

function ids(user: string): [number, number] {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`))
  if (!line) throw new Error(`no ${user} user: PostgreSQL refuses to run as root`)
  const [, , uid, gid] = line.split(':')
  return [Number(uid), Number(gid)]
}

export type PrivateRedis = {
  url: string
  port: number
  stop: () => Promise<void>
  start: () => Promise<void>
  freeze: () => void
  thaw: () => void
  destroy: () => Promise<void>
}

/** A redis-server of our own (no persistence), as a child process: stop/start restart it empty. */
export async function startRedis(): Promise<PrivateRedis> {
  const port = await firstFreePort(56379, 56389)
  let child: ChildProcess | undefined
  const start = async () => {
    const next = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    })
    child = next
    for (let i = 0; i < 200; i++) {
      if (next.exitCode !== null) throw new Error(`redis-server exited with ${next.exitCode}`)
      if (!(await portFree(port))) return
      await sleep(25)
    }
    throw new Error('redis-server did not listen')
  }
  const stop = async () => {
    const current = child
    child = undefined
    if (!current || current.exitCode !== null || current.signalCode !== null) return
    const exited = new Promise((r) => current.once('exit', r))
    current.kill('SIGCONT')
    current.kill('SIGKILL')
    await exited
  }
  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop,
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    destroy: stop,
  }
}
