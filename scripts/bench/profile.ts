// Summarizes a V8 .cpuprofile (node --cpu-prof): where the server's CPU time went, by function and by module.
import { readFileSync } from 'node:fs'

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples: number[] }

export type Hot = { name: string; ms: number; share: number }
export type ProfileSummary = { totalMs: number; functions: Hot[]; modules: Hot[] }

/** Where a frame's code lives: a package, a project file, Node's internals, or V8 (GC, idle, program). */
function moduleOf(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'native'})`
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]!
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0]
  const own = /\/(src|scripts|migrations)\/(.+)$/.exec(url)
  if (own) return `${own[1]}/${own[2]}`
  return url
}

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const totalMs = (profile.endTime - profile.startTime) / 1000
  const totalHits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1
  const msPerHit = totalMs / totalHits
  const functions = new Map<string, number>()
  const modules = new Map<string, number>()
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0
    if (hits === 0) continue
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
      .map(([name, hits]) => ({ name, ms: hits * msPerHit, share: hits / totalHits }))
  return { totalMs, functions: rank(functions), modules: rank(modules) }
}

export function renderProfile(title: string, s: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`
  const lines = [`#### ${title} (self time, ${(s.totalMs / 1000).toFixed(1)} s profiled)`, '', '| module | self | | function | self |', '| --- | ---: | --- | --- | ---: |']
  const rows = Math.max(s.modules.length, s.functions.length)
  for (let i = 0; i < rows; i++) {
    const m = s.modules[i]
    const f = s.functions[i]
    lines.push(`| ${m ? `\`${m.name}\`` : ''} | ${m ? pct(m.share) : ''} | | ${f ? `\`${f.name}\`` : ''} | ${f ? pct(f.share) : ''} |`)
  }
  return lines.join('\n')
}
