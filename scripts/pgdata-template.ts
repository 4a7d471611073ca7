// npm run pgdata-template — remakes assets/pgdata-template.tar.br: a new embedded database as PGlite's initdb
// writes it, with the migrations of today applied, so a first start unpacks it instead of running initdb and
// those migrations (src/node/pgdata-template.ts). Migrations added later run at the first start as usual.
// Run it after upgrading @electric-sql/pglite (the server falls back to initdb while versions differ, and
// test/embedded-memory.test.ts fails), and, to keep first starts short, after adding a migration.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { constants, brotliCompressSync } from 'node:zlib'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect } from 'kysely'
import { migrateToLatest } from '../src/db/migrate.js'
import { installedPglite, TEMPLATE, type TemplateInfo } from '../src/node/pgdata-template.js'

const pglite = new PGlite()
const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite }) })
const applied = (await migrateToLatest(db)).results?.map((r) => r.migrationName) ?? []
await pglite.exec('CHECKPOINT')
const tar = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer())
await db.destroy()
const packed = brotliCompressSync(tar, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: tar.length },
})
const file = fileURLToPath(TEMPLATE)
const info: TemplateInfo = { pglite: installedPglite(), migrations: applied }
writeFileSync(file, packed)
writeFileSync(file.replace(/\.tar\.br$/, '.json'), JSON.stringify(info, null, 2) + '\n')
console.log(`wrote ${file}: ${packed.length} bytes (${tar.length} unpacked), PGlite ${info.pglite}, ${applied.length} migrations`)
