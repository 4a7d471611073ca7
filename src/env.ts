import type { Context } from 'hono'
import type { Kysely } from 'kysely'
import type { PublicCache } from './cache/public-cache.js'
import type { Config } from './config.js'
import type { CommentWriter } from './db/comments.js'
import type { Database } from './db/schema.js'
import type { Mailer } from './email/transport.js'
import type { Limiter } from './moderation/rate-limit.js'
import type { Moderation } from './moderation/types.js'
import type { Keys } from './privacy/keys.js'

export type Logger = (entry: Record<string, unknown>) => void

/** Everything the app needs, built once by an entry point (Node, Worker or test) and handed in. */
export type Deps = {
  config: Config
  db: Kysely<Database>
  keys: Keys
  limiter: Limiter
  moderation: Moderation
  /** Stores new comments (batched under load; see db/comments.ts). */
  saveComment: CommentWriter
  log: Logger
  clock: () => Date
  /** The peer address of the connection, where the runtime knows it (Node). */
  remoteAddress?: (c: Context) => string | undefined
  /** The public list/count cache, where invalidations can be heard (Node); absent on Workers. */
  publicCache?: PublicCache
  /** Static assets bundled by the entry: the embed script and the moderator console's script (npm run build:embed). */
  assets?: { embedJs?: string; consoleJs?: string }
  /**
   * Reads a request header (lowercase name) straight from the runtime's own request (Node: the
   * IncomingMessage's header object). Unset: c.req.header, which on Node builds a web Headers object
   * from every header of the request, per request.
   */
  readHeader?: (env: unknown, name: string) => string | undefined
  /**
   * The request's target (path and query) as the runtime received it (Node: IncomingMessage.url), where it knows it:
   * the cached counts answer is found by it without building the request's full URL (on Node, a URL parse per request
   * whenever the query holds a percent sign). Unset: request.url.
   */
  requestTarget?: (env: unknown) => string | undefined
  /**
   * Memory for big answers until their clients have taken them (Node: see node/connections.ts). `hold` is false
   * when too much already waits for readers, and the answer is then a 503; `wanted` is false when no page would
   * fit now or the client has gone, so a page is not even built. Unset (Workers, tests): no such bound.
   */
  answerBudget?: { wanted: (c: Context) => boolean; hold: (c: Context, bytes: number) => boolean }
  /** Free bytes on the disk of the embedded database (Node with DATA_DIR): /healthz answers 503 when it runs out. */
  freeBytes?: () => Promise<number>
  /** Keeps work going after the response (Workers: ctx.waitUntil). Unset: the promise just runs (Node). */
  defer?: (work: Promise<unknown>) => void
  /** Sends email (SMTP_URL set): nodemailer on Node, TCP sockets on Workers. */
  mailer?: Mailer
  /** Delivers what is due in the email outbox, one drain at a time; set with a mailer. */
  kickOutbox?: () => Promise<void>
}

export type AppEnv = {
  Variables: {
    deps: Deps
    requestId: string
    baseUrl: string
    /** CORS headers for this request's origin (public API), for answers built as plain responses. */
    corsHeaders: Record<string, string> | undefined
    /** The signed-in moderator's name (moderator API only). */
    moderator: string
  }
}
