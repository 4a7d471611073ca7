// npm run pgdata-template — remakes assets/pgdata-template.tar.br: a new, empty embedded database as PGlite's
// initdb writes it, so a first start unpacks it instead of running initdb (src/node/pgdata-template.ts).
// Run it after upgrading @electric-sql/pglite: the server falls back to initdb while versions differ,
// and test/embedded-memory.test.ts fails until the template matches.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { constants, brotliCompressSync } from 'node:zlib'
import { PGlite } from '@electric-sql/pglite'
import { installedPglite, TEMPLATE } from '../src/node/pgdata-template.js'

const pglite = new PGlite()
await pglite.waitReady
const tar = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer())
await pglite.close()
const packed = brotliCompressSync(tar, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: tar.length },
})
const file = fileURLToPath(TEMPLATE)
writeFileSync(file, packed)
writeFileSync(file.replace(/\.tar\.br$/, '.json'), JSON.stringify({ pglite: installedPglite() }, null, 2) + '\n')
console.log(`wrote ${file}: ${packed.length} bytes (${tar.length} bytes unpacked), PGlite ${installedPglite()}`)
