// Bundles the Node entry (src/server.ts and everything of ours it imports) into dist/server.mjs,
// leaving node_modules as they are. `npm start` runs it with plain node: no TypeScript loader at
// start-up or in memory, so the service starts in well under a second and stays small.
import { build } from 'esbuild'

await build({
  entryPoints: ['src/server.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: ['node20'],
  packages: 'external',
  // Split, so the embedded database (a dynamic import) is a chunk loaded only when it is used.
  splitting: true,
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
})
