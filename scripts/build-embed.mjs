// Bundles src/embed/ into dist/embed.js (served as /embed.js). Issue 4 fills src/embed/.
import { build } from 'esbuild'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'

const entry = 'src/embed/index.ts'
mkdirSync('dist', { recursive: true })
if (!existsSync(entry)) {
  writeFileSync('dist/embed.js', '/* Parley embed: not built yet */\n')
} else {
  await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    outfile: 'dist/embed.js',
    legalComments: 'none',
  })
}
