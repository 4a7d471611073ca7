// Summarizes a V8 .cpuprofile (node --cpu-prof): where the server's CPU time went, by function and by module.
import { readFileSync } from 'node:fs'

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export type Hot = { name: string; ms: number; share: number }
export type ProfileSummary = { totalMs: number; idleShare: number; functions: Hot[]; modules: Hot[] }

/** Where a frame's code lives: a package, a project file, Node's internals, or V8 (GC, idle, program). */
function moduleOf(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'native'})`
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]!
  if (url.startsWith('node:internal/')) return 'node:' + url.slice(5).split('/').slice(0, 3).join('/')
  if (url.startsWith('node:')) return url
  const own = /\/(src|scripts|migrations)\/(.+)$/.exec(url)
  if (own) return `${own[1]}/${own[2]}`
  return url
}

/**
 * Self time per function and per module, from the samples taken inside `window` (µs on the monotonic
 * clock, as the bench records its measured phase), so start-up and warm-up are left out.
 */
export function summarizeProfile(file: string, window?: { startUs: number; endUs: number }, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const hitsOf = new Map<number, number>()
  let t = profile.startTime
  let first = Infinity
  let last = -Infinity
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0
    if (window && (t < window.startUs || t > window.endUs)) return
    first = Math.min(first, t)
    last = Math.max(last, t)
    hitsOf.set(id, (hitsOf.get(id) ?? 0) + 1)
  })
  const totalMs = Number.isFinite(first) ? (last - first) / 1000 : 0
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const totalHits = [...hitsOf.values()].reduce((a, b) => a + b, 0) || 1
  const idleHits = [...hitsOf.entries()].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((n, [, h]) => n + h, 0)
  const busyHits = totalHits - idleHits || 1
  const msPerHit = totalMs / totalHits
  const functions = new Map<string, number>()
  const modules = new Map<string, number>()
  for (const [id, hits] of hitsOf) {
    const node = byId.get(id)
    // Shares are of busy time: the event loop waiting (on the database, on sockets) is reported apart.
    if (!node || node.callFrame.functionName === '(idle)') continue
    const { functionName, url, lineNumber } = node.callFrame
    const mod = moduleOf(url, functionName)
    const name = url ? `${functionName || '(anonymous)'} ${mod}:${lineNumber + 1}` : `(${functionName})`
    functions.set(name, (functions.get(name) ?? 0) + hits)
    modules.set(mod, (modules.get(mod) ?? 0) + hits)
  }
  const rank = (m: Map<string, number>): Hot[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => ({ name, ms: hits * msPerHit, share: hits / busyHits }))
  return { totalMs, idleShare: idleHits / totalHits, functions: rank(functions), modules: rank(modules) }
}

export function renderProfile(title: string, s: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`
  const lines = [
    `#### ${title}: share of busy self time (${(s.totalMs / 1000).toFixed(1)} s profiled, ${pct(s.idleShare)} idle)`,
    '',
    '| module | self | | function | self |',
    '| --- | ---: | --- | --- | ---: |',
  ]
  const rows = Math.max(s.modules.length, s.functions.length)
  for (let i = 0; i < rows; i++) {
    const m = s.modules[i]
    const f = s.functions[i]
    lines.push(`| ${m ? `\`${m.name}\`` : ''} | ${m ? pct(m.share) : ''} | | ${f ? `\`${f.name}\`` : ''} | ${f ? pct(f.share) : ''} |`)
  }
  return lines.join('\n')
}
