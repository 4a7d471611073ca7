// The Worker's own settings and the README's local Worker path, as an operator follows them.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../src/config.js'
import { ADMIN_TOKEN, SECRET_KEY } from './support/app.js'

const root = new URL('../', import.meta.url)
const wranglerToml = readFileSync(new URL('wrangler.toml', root), 'utf8')

/** The KEY = "value" lines of wrangler.toml's [vars] table. */
function wranglerVars(): Record<string, string> {
  const table = /^\[vars\]\n([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(wranglerToml)?.[1] ?? ''
  return Object.fromEntries([...table.matchAll(/^([A-Z_]+) = "([^"]*)"$/gm)].map((m) => [m[1]!, m[2]!]))
}

// Informational on Workers (the limits are always counted in PostgreSQL there).
const WORKER_ONLY = new Set(['RATE_LIMIT_STORE'])

describe('wrangler.toml', () => {
  it('sets every setting to the same value as Node’s default (one spam threshold everywhere)', () => {
    const vars = wranglerVars()
    expect(Object.keys(vars)).toContain('SPAM_THRESHOLD')
    const base = { ADMIN_TOKEN, SECRET_KEY, DATABASE_URL: 'postgres://x@127.0.0.1/x' }
    const node = parseConfig(base)
    for (const [name, value] of Object.entries(vars)) {
      if (WORKER_ONLY.has(name)) continue
      expect(parseConfig({ ...base, [name]: value }), `${name} = "${value}"`).toEqual(node)
    }
  })
})
