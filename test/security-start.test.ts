// The Node entry: DATA_DIR owner-only (and created when nested and missing), HOST binds one address.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { secureDataDir } from '../src/node/data-dir.js'
import { startParley } from './support/server.js'

const mode = (path: string) => statSync(path).mode & 0o777

/** Every path under dir that a group or other user may read, write or enter. */
function openToOthers(dir: string): string[] {
  const found: string[] = []
  const walk = (path: string) => {
    if ((statSync(path).mode & 0o077) !== 0) found.push(path)
    if (statSync(path).isDirectory()) for (const name of readdirSync(path)) walk(join(path, name))
  }
  walk(dir)
  return found
}

const reachable = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 })
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => (socket.destroy(), resolve(false)))
  })

describe('the data directory', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'parley-perms-'))
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('an existing DATA_DIR open to others is made owner-only, files and directories', () => {
    const dir = join(scratch, 'lax')
    mkdirSync(join(dir, 'pgdata', 'base'), { recursive: true })
    writeFileSync(join(dir, 'pgdata', 'base', '1259'), 'x')
    chmodSync(join(dir, 'pgdata', 'base', '1259'), 0o666)
    for (const d of [dir, join(dir, 'pgdata'), join(dir, 'pgdata', 'base')]) chmodSync(d, 0o755)
    const { fixed } = secureDataDir(dir)
    expect(fixed).toBe(4)
    expect(openToOthers(dir)).toEqual([])
    expect(mode(join(dir, 'pgdata', 'base', '1259'))).toBe(0o600)
  })

  it('a server started with both secrets and a nested DATA_DIR that does not exist creates it, owner-only, and binds HOST only', async () => {
    const parley = await startParley({ env: { DATA_DIR: join(scratch, 'new', 'nested', 'data'), HOST: '127.0.0.1' } })
    try {
      expect((await fetch(`${parley.url}/healthz`)).status).toBe(200)
      const dataDir = join(scratch, 'new', 'nested', 'data')
      expect(mode(dataDir)).toBe(0o700)
      expect(mode(join(dataDir, 'pgdata'))).toBe(0o700)
      // Files PGlite wrote as it opened were made owner-only too.
      expect(openToOthers(dataDir)).toEqual([])
      // Another interface of this machine does not answer (without HOST, every interface did).
      const other = Object.values(networkInterfaces())
        .flat()
        .find((i) => i && i.family === 'IPv4' && !i.internal)
      if (other) expect(await reachable(other.address, parley.port)).toBe(false)
      expect(await reachable('127.0.0.1', parley.port)).toBe(true)
    } finally {
      await parley.stop()
    }
  }, 180_000)
})
