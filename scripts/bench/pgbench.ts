// Ceiling (b) of WORKLOADS.md: one-row INSERTs into a comment-like table with three indexes, by pgbench.
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import pg from 'pg'

const run = promisify(execFile)
export const PGBENCH = process.env.PGBENCH ?? '/usr/bin/pgbench'
// Copies of ../shared/bench/*.sql (WORKLOADS.md's), kept beside this file so a fresh clone has them.
export const SCHEMA_FILE = new URL('pgbench-schema.sql', import.meta.url).pathname
export const INSERT_FILE = new URL('pgbench-insert.sql', import.meta.url).pathname

export type PgbenchResult = { tps: number; latencyMs: number; command: string }

/** Loads pgbench-schema.sql (table, three indexes, 10,000 rows) into the database at `url`. */
export async function loadSchema(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(readFileSync(SCHEMA_FILE, 'utf8'))
  } finally {
    await client.end()
  }
}

/** pgbench when installed; otherwise the same INSERT from Node through pg, one prepared statement per client. */
export async function insertCeiling(url: string, clients: number, seconds: number): Promise<PgbenchResult> {
  return existsSync(PGBENCH) ? pgbench(url, clients, seconds) : nodeInserts(url, clients, seconds)
}

const INSERT = `INSERT INTO bench_comment (article_id, author_name, author_email, body, status, ip)
  VALUES ('/bench/w1/a' || $1, 'User ' || $2, 'user' || $2 || '@example.com',
          'Comment ' || $3 || '-' || $4 || ': lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua',
          'pending', ('10.0.' || ($2 % 250) || '.1')::inet)`

async function nodeInserts(url: string, clients: number, seconds: number): Promise<PgbenchResult> {
  const conns = await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      return client
    }),
  )
  let done = 0
  let latency = 0
  const until = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    conns.map(async (client, id) => {
      while (performance.now() < until) {
        const t = performance.now()
        const u = 1 + Math.floor(Math.random() * 5000)
        await client.query({ name: 'ins', text: INSERT, values: [Math.floor(Math.random() * 50), u, id, Math.floor(Math.random() * 1e9)] })
        latency += performance.now() - t
        done++
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  await Promise.all(conns.map((c) => c.end()))
  return {
    tps: done / elapsed,
    latencyMs: latency / Math.max(1, done),
    command: `(pgbench not installed) the same INSERT through pg from Node, ${clients} clients, ${seconds} s`,
  }
}

export async function pgbench(url: string, clients: number, seconds: number): Promise<PgbenchResult> {
  const u = new URL(url)
  const args = [
    '-h',
    u.hostname,
    '-p',
    u.port || '5432',
    '-U',
    decodeURIComponent(u.username || 'postgres'),
    '-n',
    '-M',
    'prepared',
    '-c',
    String(clients),
    '-j',
    String(Math.min(2, clients)),
    '-T',
    String(seconds),
    '-f',
    INSERT_FILE,
    u.pathname.slice(1),
  ]
  const { stdout } = await run(PGBENCH, args, { maxBuffer: 1 << 20 })
  const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1])
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1])
  if (!Number.isFinite(tps)) throw new Error(`could not read pgbench's tps:\n${stdout}`)
  return { tps, latencyMs, command: `pgbench ${args.join(' ')}` }
}
