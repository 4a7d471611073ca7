import { afterAll, beforeAll } from 'vitest'
import { PublicCache } from '../../src/cache/public-cache.js'
import { ARTICLE_CHANNEL } from '../../src/db/article-channel.js'
import { listenPostgres } from '../../src/db/notify.js'
import { embeddedListeners, serverUrl, type Backend } from './db.js'
import { makeApp, type TestApp } from './app.js'

/** Polls until `check` passes or a couple of seconds go by (NOTIFY is asynchronous). */
export async function eventually(check: () => Promise<void>): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      return await check()
    } catch (error) {
      if (i >= 100) throw error
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}

/**
 * A public cache that hears the database's article NOTIFYs, as a running server's does (the embedded
 * database's through embeddedListeners, a server's through its own LISTEN connection). `close` stops listening.
 */
export async function listeningCache(backend: Backend, cache = new PublicCache()): Promise<{ cache: PublicCache; close: () => Promise<void> }> {
  const invalidate = (payload: string) => cache.notice(payload)
  if (backend.name === 'embedded') {
    embeddedListeners.add(invalidate)
    return { cache, close: async () => void embeddedListeners.delete(invalidate) }
  }
  const listener = listenPostgres({
    connectionString: serverUrl!,
    channel: ARTICLE_CHANNEL,
    onMessage: invalidate,
    onUp: () => cache.setEnabled(true),
    onDown: () => cache.setEnabled(false),
    log: () => {},
  })
  await listener.ready
  return { cache, close: listener.close }
}

/**
 * For a describe block: an app whose public answers are kept in `cache`, which hears the database's NOTIFYs as a
 * running server's does: the reader of two instances over one database. Made in beforeAll; it stops listening in afterAll.
 */
export function cachingReaderForSuite(backend: Backend): { reader: TestApp; cache: PublicCache } {
  const cache = new PublicCache()
  const reader = {} as TestApp
  let close = async () => {}
  beforeAll(async () => {
    const listening = await listeningCache(backend, cache)
    close = listening.close
    Object.assign(reader, await makeApp(await backend.open(), { deps: { publicCache: cache } }))
  })
  afterAll(() => close())
  return { reader, cache }
}
