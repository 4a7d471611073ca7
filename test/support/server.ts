/**
 * Real processes for end-to-end tests (browser tests, black-box HTTP tests).
 *
 *   const hostPort = await freePort()
 *   const parley = await startParley({ allowedOrigins: [`http://localhost:${hostPort}`] })
 *   const host = await startHostSite(parley.url, { port: hostPort })
 *   // page.goto(host.articleUrl('/my-article'))   → an article of ANOTHER origin that embeds parley.url/embed.js
 *   // await parley.admin('PATCH', `/comments/${id}`, { status: 'approved' })
 *   await host.stop(); await parley.stop()
 *
 * startParley runs `node --import tsx src/server.ts` (one process, so SIGTERM reaches the server itself) on a free
 * port with a temporary DATA_DIR (embedded PostgreSQL), known ADMIN_TOKEN/SECRET_KEY, no request logs and
 * generous rate limits, waits for /healthz, and stop() sends SIGTERM and removes the data directory.
 * It serves whatever dist/embed.js holds when it starts: `npm test` builds it first (pretest); buildEmbed() does it here.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef'
export const E2E_SECRET_KEY = 'e2e-secret-key-0123456789abcdef0123456789abcdef'

const root = new URL('../../', import.meta.url).pathname

/** A TCP port free right now (on 127.0.0.1 and ::). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer()
    server.once('error', reject)
    server.listen(0, () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** Builds dist/embed.js from src/embed (as `npm test` does first), so a single test file can run alone. */
export function buildEmbed(): void {
  execFileSync(process.execPath, ['scripts/build-embed.mjs'], { cwd: root, stdio: 'pipe' })
}

export type ParleyServer = {
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  url: string
  port: number
  adminToken: string
  /** A moderator API call: admin('PATCH', '/comments/12', { status: 'approved' }) → fetch Response. */
  admin: (method: string, path: string, body?: unknown) => Promise<Response>
  /** POST /api/comments with a JSON body, as a script would (no form token) → fetch Response. */
  post: (body: unknown) => Promise<Response>
  /** Everything the server printed so far (stdout and stderr), for failure messages. */
  output: () => string
  stop: () => Promise<void>
  /** SIGKILL: the process dies where it is (the data directory is left as it was). */
  kill: () => Promise<void>
}

export async function startParley(
  options: {
    allowedOrigins?: string[]
    env?: Record<string, string>
    /** kept after stop() (the caller removes it) */ dataDir?: string
    port?: number
  } = {},
): Promise<ParleyServer> {
  const port = options.port ?? (await freePort())
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'parley-e2e-'))
  const url = `http://127.0.0.1:${port}`
  let output = ''
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: '',
      PORT: String(port),
      DATA_DIR: dataDir,
      ADMIN_TOKEN: E2E_ADMIN_TOKEN,
      SECRET_KEY: E2E_SECRET_KEY,
      ALLOWED_ORIGINS: (options.allowedOrigins ?? []).join(','),
      LOG_REQUESTS: 'false',
      RATE_IP_PER_MINUTE: '1000',
      RATE_IP_PER_HOUR: '10000',
      RATE_EMAIL_PER_HOUR: '1000',
      FLOOD_SECONDS: '0',
      ...options.env,
    },
  })
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    }
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
  // A crash: SIGKILL, no shutdown of any kind; the data directory stays.
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await exited
    }
  }

  const deadline = Date.now() + 150_000
  for (;;) {
    if (child.exitCode !== null) {
      await stop()
      throw new Error(`Parley exited with ${child.exitCode} before it was healthy:\n${output}`)
    }
    const healthy = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    )
    if (healthy) break
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`Parley was not healthy within 150 s:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }

  return {
    url,
    port,
    adminToken: E2E_ADMIN_TOKEN,
    admin: (method, path, body) =>
      fetch(`${url}/api/admin${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${E2E_ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    post: (body) => fetch(`${url}/api/comments`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    output: () => output,
    stop,
    kill,
  }
}

/**
 * A browser test's two servers: the embed built, Parley started allowing a host site's origin (with these options),
 * and the host site on that origin. Stop both in afterAll.
 */
export async function startParleyAndHost(
  options: Omit<Parameters<typeof startParley>[0], 'allowedOrigins'> = {},
): Promise<{ parley: ParleyServer; host: HostSite }> {
  buildEmbed()
  const hostPort = await freePort()
  const parley = await startParley({ ...options, allowedOrigins: [`http://localhost:${hostPort}`] })
  try {
    return { parley, host: await startHostSite(parley.url, { port: hostPort }) }
  } catch (error) {
    await parley.stop()
    throw error
  }
}

export type HostSite = {
  /** e.g. http://localhost:41235: another origin than Parley's (other host name and port). */
  origin: string
  /** An article page of this site with the embed under it; data-* attributes for the container as options. */
  articleUrl: (article: string, data?: { lang?: string; theme?: string; 'page-size'?: string }) => string
  /** A page of this site at `path` with this body (trusted test markup) and the embed script after it; its URL. */
  page: (path: string, body: string) => string
  stop: () => Promise<void>
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/**
 * A tiny "host site": GET /article?article=KEY[&lang=..&theme=..&page-size=..] returns an article page (its own font and
 * colors) with `<div id="comments" data-article="KEY">` and `<script src="PARLEY/embed.js" async>`.
 */
export async function startHostSite(parleyUrl: string, options: { port?: number } = {}): Promise<HostSite> {
  const port = options.port ?? (await freePort())
  const pages = new Map<string, string>()
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const body = pages.get(url.pathname)
    if (body !== undefined) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      res.end(
        `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>A host page</title></head><body>\n${body}\n<script src="${escapeAttr(parleyUrl)}/embed.js" async></script>\n</body></html>`,
      )
      return
    }
    if (url.pathname !== '/article') {
      res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404).end()
      return
    }
    const q = url.searchParams
    const data = ['article', 'lang', 'theme', 'page-size']
      .filter((name) => q.get(name))
      .map((name) => ` data-${name}="${escapeAttr(q.get(name)!)}"`)
      .join('')
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
    res.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A host article</title>
<style>body{font:17px/1.6 Georgia,serif;color:#222;background:#fff;max-width:40rem;margin:2rem auto;padding:0 1rem}</style>
</head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>A host article</h1><p>Some words the comments below are about.</p></article>
<div id="comments"${data}></div>
<script src="${escapeAttr(parleyUrl)}/embed.js" async></script>
</body></html>`)
  })
  await new Promise<void>((resolve) => server.listen(port, resolve))
  const origin = `http://localhost:${port}`
  return {
    origin,
    articleUrl: (article, extra = {}) => {
      const q = new URLSearchParams({ article })
      for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v)
      return `${origin}/article?${q}`
    },
    page: (path, body) => {
      pages.set(path, body)
      return origin + path
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
