// Bundles the Node entries (src/server.ts, scripts/migrate.ts, scripts/admin.ts and everything of ours they
// import) into dist/server.mjs, dist/migrate.mjs and dist/admin.mjs, leaving node_modules as they are.
// `npm start`, `npm run migrate` and `npm run admin` run them with plain node: no TypeScript loader at
// start-up or in memory (tsx is a devDependency, absent from `npm ci --omit=dev`), so the service starts in
// well under a second and stays small. esbuild itself is a (build-only) dependency for this reason.
import { build } from 'esbuild'

await build({
  entryPoints: { server: 'src/server.ts', migrate: 'scripts/migrate.ts', admin: 'scripts/admin.ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: ['node22.12'],
  packages: 'external',
  // Split, so the embedded database (a dynamic import) is a chunk loaded only when it is used, and code the
  // entries share is one chunk.
  splitting: true,
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
})
