// Runs the Worker in workerd through `wrangler dev --local`, with its Hyperdrive binding on a given PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from './server.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const wranglerBin = join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js')
const READY_MS = 90_000

export type RunningWorker = {
  url: string
  /** The snapshot of the project the Worker was built from (its dist/embed.js is the one served). */
  dir: string
  output: () => string
  stop: () => Promise<void>
}

/**
 * wrangler dev rebuilds when a source changes; other people edit this tree while tests run. So the Worker
 * runs from a snapshot of what it is built from (node_modules linked), taken once, at start.
 */
function snapshot(): string {
  if (!existsSync(join(root, 'dist', 'embed.js'))) throw new Error('dist/embed.js is missing: run npm run build:embed first')
  const dir = mkdtempSync(join(tmpdir(), 'parley-worker-'))
  for (const path of ['src', 'migrations', 'dist/embed.js', 'dist/console.js', 'wrangler.toml', 'package.json', 'tsconfig.json']) {
    cpSync(join(root, path), join(dir, path), { recursive: true })
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
  mkdirSync(join(dir, 'state'))
  return dir
}

/** Hyperdrive's local connection string must carry a password; with trust auth any value does. */
export function withPassword(url: string): string {
  const parsed = new URL(url)
  if (!parsed.password) parsed.password = 'local'
  return parsed.toString()
}

/**
 * Starts `wrangler dev --local` on a free port with the given vars (they override wrangler.toml's),
 * waits until /healthz answers 200 and returns its URL. stop() ends the whole process group it started.
 */
export async function startWorker(options: { databaseUrl: string; vars: Record<string, string> }): Promise<RunningWorker> {
  const port = await freePort()
  const inspectorPort = await freePort()
  const dir = snapshot()
  const persist = join(dir, 'state')
  const args = [wranglerBin, 'dev', '--local', '--ip', '127.0.0.1', '--port', String(port)]
  args.push('--inspector-port', String(inspectorPort), '--persist-to', persist, '--show-interactive-dev-session=false')
  // --test-scheduled: GET /__scheduled runs the cron handler.
  // 'log' keeps the Worker's own console lines (the app's JSON error log) in output().
  args.push('--log-level', 'log', '--test-scheduled')
  for (const [name, value] of Object.entries(options.vars)) args.push('--var', `${name}:${value}`)

  let log = ''
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: dir,
    // Its own process group, so stop() reaches workerd too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: withPassword(options.databaseUrl),
      // Offline machines: do not try to download the Request.cf object, send metrics or check for updates.
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      WRANGLER_SEND_METRICS: 'false',
      NO_COLOR: '1',
      CI: '1',
    },
  })
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  // If the test process ends without calling stop() (a crash, a timeout), take wrangler and workerd with it.
  const killOnExit = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  process.once('exit', killOnExit)

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM')
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL')
        } catch {
          // already gone
        }
      }, 5_000)
      await exited
      clearTimeout(timer)
    }
    process.off('exit', killOnExit)
    rmSync(dir, { recursive: true, force: true })
  }

  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + READY_MS
  let exitCode: number | null | undefined
  void exited.then((code) => (exitCode = code))
  while (Date.now() < deadline) {
    if (exitCode !== undefined) break
    try {
      const res = await fetch(`${url}/healthz`)
      if (res.status === 200) return { url, dir, output: () => log, stop }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  await stop()
  throw new Error(`wrangler dev did not become ready (exit ${String(exitCode)}):\n${log.slice(-4000)}`)
}
