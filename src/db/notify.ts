import pg from 'pg'
import type { Logger } from '../env.js'

/**
 * Keeps a dedicated connection LISTENing on a channel of a server PostgreSQL. While it is down,
 * `onDown` is called (the caller stops trusting what it cached); once it is back, `onUp`.
 * Reconnects with backoff until `close()`.
 */
export function listenPostgres(options: {
  connectionString: string
  channel: string
  onMessage: (payload: string) => void
  onUp: () => void
  onDown: () => void
  log: Logger
}): { ready: Promise<void>; close: () => Promise<void> } {
  let client: pg.Client | undefined
  let closed = false
  let delay = 250
  let down = false

  const connect = async (): Promise<void> => {
    // Bounded connect and TCP keep-alive: a hung or vanished server is noticed, and retried, not waited on forever.
    const next = new pg.Client({ connectionString: options.connectionString, connectionTimeoutMillis: 2_000, keepAlive: true })
    client = next
    next.on('notification', (message) => {
      if (message.channel === options.channel && message.payload !== undefined) options.onMessage(message.payload)
    })
    next.on('error', () => lost(next))
    next.on('end', () => lost(next))
    await next.connect()
    await next.query(`LISTEN ${next.escapeIdentifier(options.channel)}`)
    delay = 250
    if (down) options.log({ msg: 'cache invalidation channel back; cache on', level: 'warn' })
    down = false
    options.onUp()
  }

  const lost = (which: pg.Client) => {
    if (closed || which !== client) return
    client = undefined
    options.onDown()
    // Once per outage, not once per reconnect attempt.
    if (!down) options.log({ msg: 'cache invalidation channel lost; cache off until it reconnects', level: 'warn' })
    down = true
    which.end().catch(() => {})
    setTimeout(retry, delay).unref?.()
    // At most 2 s apart: the cache is back soon after the database (a refused connect costs nothing).
    delay = Math.min(delay * 2, 2_000)
  }

  const retry = () => {
    if (closed) return
    connect().catch(() => {
      const failed = client
      if (failed) lost(failed)
    })
  }

  options.onDown()
  const ready = connect().catch((error: unknown) => {
    options.log({
      msg: 'cache invalidation channel unavailable; cache off',
      level: 'warn',
      error: error instanceof Error ? error.message : 'unknown',
    })
    down = true
    const failed = client
    if (failed) lost(failed)
  })
  return {
    ready,
    close: async () => {
      closed = true
      await client?.end().catch(() => {})
    },
  }
}
