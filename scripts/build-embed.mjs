// Bundles the two browser scripts and prints their sizes, raw and gzipped:
//   src/embed/ → dist/embed.js (served as /embed.js; its gzipped budget is 8,192 bytes)
//   src/admin/console/ → dist/console.js (served as /admin/console.js to moderators)
// Each file is written whole and renamed into place, so a server or test reading it never sees half a build.
import { build } from 'esbuild'
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

/**
 * @param {string} entry
 * @param {string} outfile
 * @param {number} [budget] gzipped bytes, printed beside the size
 */
async function bundle(entry, outfile, budget) {
  const result = await build({
    entryPoints: [entry],
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
    outfile,
  })
  const [output] = result.outputFiles
  if (!output) throw new Error(`esbuild wrote no ${outfile}`)
  const code = output.contents
  mkdirSync('dist', { recursive: true })
  const temp = `${outfile}.${process.pid}.tmp`
  writeFileSync(temp, code)
  renameSync(temp, outfile)
  const gzipped = gzipSync(code).length
  console.log(`${outfile}: ${code.length} bytes, ${gzipped} bytes gzipped${budget ? ` (budget ${budget})` : ''}`)
}

await bundle('src/embed/index.ts', 'dist/embed.js', 8192)
await bundle('src/admin/console/index.ts', 'dist/console.js')
