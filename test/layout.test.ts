// The layout of src/ as README.md's "Layout" section draws it: which folder may import which, at run time.
// A folder (or top-level file) may import from itself and from any lower layer, never from its own layer or a
// higher one; so no two folders can import each other, directly or around a circle. Type-only imports are not
// counted (they leave nothing in the bundle). Node's built-ins stay in the Node entry and src/node/.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = resolve(import.meta.dirname, '../src')

/** Lowest first. Keep in step with README.md → Layout. */
export const LAYERS: string[][] = [
  ['text', 'errors.ts', 'outage-log.ts', 'batch.ts', 'embed'],
  ['privacy', 'admin'],
  ['config.ts', 'views', 'moderation'],
  ['db'],
  ['cache', 'email', 'webhooks'],
  ['node', 'http'],
  ['routes'],
  ['api', 'import'],
  ['app.ts', 'deps.ts', 'env.ts'],
  ['server.ts', 'worker.ts'],
]
const layerOf = new Map(LAYERS.flatMap((names, rank) => names.map((name) => [name, rank] as const)))

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : []
  })
}

/** The folder under src/ a file belongs to, or its own name for a file at the top of src/. */
const unitOf = (file: string) => relative(SRC, file).split('/')[0]!

/** Relative imports that stay at run time: `import type …` and `import { type A, type B }` are left out. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const found: string[] = []
  for (const match of text.matchAll(/^(?:import|export)\s+([^'"]*?)\s*from\s+'(\.[^']+)'/gm)) {
    const clause = match[1]!
    if (/^type\s/.test(clause)) continue
    const names = /^\{([^}]*)\}$/.exec(clause.trim())?.[1]
    if (names !== undefined && names.split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '))) continue
    found.push(resolve(dirname(file), match[2]!.replace(/\.js$/, '.ts')))
  }
  for (const match of text.matchAll(/^import\s+'(\.[^']+)'/gm)) found.push(resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts')))
  return found
}

const files = sourceFiles(SRC)
const edges = files.flatMap((file) =>
  runtimeImports(file)
    .filter((target) => target.startsWith(SRC + '/'))
    .map((target) => ({ file: relative(SRC, file), from: unitOf(file), to: unitOf(target) }))
    .filter((edge) => edge.from !== edge.to),
)

describe('the layout of src/', () => {
  it('places every folder and top-level file in a layer', () => {
    const units = [...new Set(files.map(unitOf))].sort()
    expect(units.filter((unit) => !layerOf.has(unit) && unit !== 'worker-modules.d.ts')).toEqual([])
    expect(edges.length).toBeGreaterThan(50)
  })

  it('imports only downward: no folder imports one of its own layer or a higher one', () => {
    const upward = edges
      .filter((edge) => layerOf.get(edge.to)! >= layerOf.get(edge.from)!)
      .map((edge) => `${edge.file} imports ${edge.to} (layer ${layerOf.get(edge.from)} → ${layerOf.get(edge.to)})`)
    expect(upward).toEqual([])
  })

  it('keeps Node built-ins in the Node entry and src/node/ (the Worker entry may use the nodejs_compat ones)', () => {
    const nodeOnly = files
      .filter((file) => /from 'node:|from '@hono\/node-server|from 'nodemailer'|from '@electric-sql\/pglite'/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file))
      .filter((file) => !file.startsWith('node/') && file !== 'server.ts' && file !== 'worker.ts')
    expect(nodeOnly).toEqual([])
  })

  it('keeps the browser bundles to themselves: embed/ imports nothing outside it, admin/console/ only embed/', () => {
    const outside = edges.filter((edge) => (edge.from === 'embed' || edge.file.startsWith('admin/console/')) && edge.to !== 'embed')
    expect(outside.map((edge) => `${edge.file} imports ${edge.to}`)).toEqual([])
  })
})
