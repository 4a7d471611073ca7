// Ceiling (b) of WORKLOADS.md: one-row INSERTs into a comment-like table with three indexes, by pgbench.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
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

export async function pgbench(url: string, clients: number, seconds: number): Promise<PgbenchResult> {
  const u = new URL(url)
  const args = [
    '-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'),
    '-n', '-M', 'prepared', '-c', String(clients), '-j', String(Math.min(2, clients)), '-T', String(seconds),
    '-f', INSERT_FILE, u.pathname.slice(1),
  ]
  const { stdout } = await run(PGBENCH, args, { maxBuffer: 1 << 20 })
  const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1])
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1])
  if (!Number.isFinite(tps)) throw new Error(`could not read pgbench's tps:\n${stdout}`)
  return { tps, latencyMs, command: `pgbench ${args.join(' ')}` }
}
