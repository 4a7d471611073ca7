// Bundles src/embed/ into dist/embed.js (served as /embed.js) and prints its size, raw and gzipped.
// The file is written whole and renamed into place, so a server or test reading it never sees half a build.
import { build } from 'esbuild'
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const result = await build({
  entryPoints: ['src/embed/index.ts'],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  legalComments: 'none',
  // Properties named _x are the bundle's own (private class members): shortened like local names.
  mangleProps: /^_/,
  // Class fields as assignments in the constructor (this.a=null), not one defineProperty helper call each.
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
  write: false,
  outfile: 'dist/embed.js',
})
const [output] = result.outputFiles
if (!output) throw new Error('esbuild wrote no dist/embed.js')
const code = output.contents
mkdirSync('dist', { recursive: true })
const temp = `dist/embed.js.${process.pid}.tmp`
writeFileSync(temp, code)
renameSync(temp, 'dist/embed.js')
const gzipped = gzipSync(code).length
console.log(`dist/embed.js: ${code.length} bytes, ${gzipped} bytes gzipped (budget 8192)`)
