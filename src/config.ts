import * as z from 'zod'
import { parseRange, type IpRange } from './privacy/ip.js'

/** Environment variables arrive as strings; spell booleans out so 'false' is false. */
const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback)
    .transform((v) => v === 'true' || v === '1')
const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(fallback)
/** A comma- or newline-separated list; blanks dropped. */
const list = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(/[,\n]/)
      .map((x) => x.trim())
      .filter(Boolean),
  )
const optional = z
  .string()
  .optional()
  .transform((s) => (s && s.trim() !== '' ? s.trim() : undefined))

/**
 * Settings that make Parley send messages carrying links back to itself (one-click moderation, console,
 * confirm and unsubscribe links). With any of them set, PUBLIC_URL is required: a link is never built from a
 * request's Host header, which the client chooses. A new sender is one more line here.
 */
export const LINK_SENDERS = ['WEBHOOK_URL', 'SMTP_URL'] as const

const publicUrl = optional.refine(
  (s) => s === undefined || /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/i.test(s),
  'must be an http(s) URL such as https://comments.example.com',
)

/**
 * TRUST_PROXY: who tells Parley the client's address. Unset/false: nobody (the connection's peer).
 * true or a number N: N proxies in front, each appending to X-Forwarded-For (true = 1); the client is the
 * entry they added, never one the client could write. A list of addresses/CIDR ranges: the proxies' own
 * addresses; the client is the rightmost X-Forwarded-For entry outside them, heard only from a peer inside them.
 * cloudflare: CF-Connecting-IP (Parley reachable only through Cloudflare).
 */
export type TrustProxy = { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'ranges'; ranges: IpRange[] } | { kind: 'cloudflare' }

const trustProxy = z
  .string()
  .default('false')
  .transform((raw, ctx): TrustProxy => {
    const value = raw.trim().toLowerCase()
    if (value === '' || value === 'false' || value === '0') return { kind: 'none' }
    if (value === 'true') return { kind: 'hops', hops: 1 }
    if (value === 'cloudflare') return { kind: 'cloudflare' }
    if (/^\d{1,2}$/.test(value)) return { kind: 'hops', hops: Number(value) }
    const ranges = value
      .split(/[,\s]+/)
      .filter(Boolean)
      .map((r) => [r, parseRange(r)] as const)
    const bad = ranges.filter(([, range]) => range === null).map(([r]) => r)
    if (bad.length === 0 && ranges.length > 0) return { kind: 'ranges', ranges: ranges.map(([, range]) => range!) }
    ctx.addIssue({
      code: 'custom',
      message: `must be false, true, a number of proxies, cloudflare, or proxy addresses/CIDR ranges (not ${bad.join(', ') || raw})`,
    })
    return z.NEVER
  })

const env = z.object({
  DATABASE_URL: optional,
  DATA_DIR: z.string().default('./data'),
  PORT: int(8787, 1, 65535),
  // The address to listen on (Node); unset: every interface.
  HOST: optional,
  // Open connections one Node process accepts; more are closed as they come.
  MAX_CONNECTIONS: int(4096, 1),
  ADMIN_TOKEN: z
    .string({ error: "is required (the moderators' bearer token)" })
    .min(20, 'must be at least 20 characters (e.g. openssl rand -base64 32)')
    .refine((t) => new Set(t).size >= 10, 'must not be a repeated word: use a random token (e.g. openssl rand -base64 32)'),
  SECRET_KEY: z.string({ error: 'is required (it keys email encryption, hashes and form tokens)' }).min(32, 'must be at least 32 characters'),
  ALLOWED_ORIGINS: list,
  TRUST_PROXY: trustProxy,
  PUBLIC_URL: publicUrl,
  AUTO_APPROVE: flag('false'),
  MAX_CONTENT_LENGTH: int(10_000, 1, 50_000),
  MAX_DEPTH: int(5, 1, 50),
  // Checks (issue 3)
  FORM_TOKEN_MIN_SECONDS: int(3),
  FORM_TOKEN_MAX_AGE_SECONDS: int(86_400, 60),
  MAX_LINKS: int(2, 1),
  MODERATION_WORDS: list,
  DISALLOWED_WORDS: list,
  SPAM_THRESHOLD: z.coerce.number().min(0).max(1).default(0.92),
  SITE_LANGUAGES: list,
  FLOOD_SECONDS: int(15),
  RATE_IP_PER_MINUTE: int(5, 1),
  RATE_IP_PER_HOUR: int(30, 1),
  RATE_EMAIL_PER_HOUR: int(10, 1),
  // Public reads (list, counts, status) per client address per minute, counted per process; 0: no limit.
  RATE_READS_PER_MINUTE: int(1200),
  // Wrong moderator tokens one client may present in 10 minutes before all its sign-ins wait 15 minutes.
  ADMIN_AUTH_FAILURES: int(20, 1),
  RATE_LIMIT_STORE: z.enum(['auto', 'memory', 'postgres', 'redis']).default('auto'),
  REDIS_URL: optional,
  // Moderators' tools (issue 6)
  WEBHOOK_URL: optional,
  WEBHOOK_SECRET: optional,
  WEBHOOK_INCLUDE_EMAIL: flag('false'),
  RETENTION_DAYS: int(90, 1),
  AUTO_CLOSE_DAYS: int(0),
  ERASE_MODE: z.enum(['anonymize', 'delete']).default('anonymize'),
  LOG_REQUESTS: flag('true'),
  // Email (issue 18)
  SMTP_URL: optional.refine((v) => v === undefined || /^smtps?:\/\/[^\s]+$/i.test(v), 'must be smtp://… or smtps://…'),
  MAIL_FROM: optional,
  MAIL_REPLY_TO: optional,
  SITE_NAME: optional,
  MODERATOR_EMAILS: list.pipe(z.array(z.email({ error: 'must be email addresses, separated by commas' }))),
  MODERATOR_EMAIL_DIGEST: z.enum(['off', 'hourly', 'daily']).default('off'),
  EMAIL_RETRY_SECONDS: int(60, 1, 86_400),
})

/** The environment's variables as the app uses them: Config is this schema's output, so it is written once. */
const schema = env.transform((e) => {
  const publicUrl = e.PUBLIC_URL?.replace(/\/+$/, '')
  const host = publicUrl && URL.canParse(publicUrl) ? new URL(publicUrl).hostname : 'localhost'
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    port: e.PORT,
    host: e.HOST,
    maxConnections: e.MAX_CONNECTIONS,
    adminToken: e.ADMIN_TOKEN,
    secretKey: e.SECRET_KEY,
    allowedOrigins: e.ALLOWED_ORIGINS.map((o) => o.replace(/\/+$/, '')),
    trustProxy: e.TRUST_PROXY,
    publicUrl,
    autoApprove: e.AUTO_APPROVE,
    maxContentLength: e.MAX_CONTENT_LENGTH,
    maxDepth: e.MAX_DEPTH,
    checks: {
      formTokenMinSeconds: e.FORM_TOKEN_MIN_SECONDS,
      formTokenMaxAgeSeconds: e.FORM_TOKEN_MAX_AGE_SECONDS,
      maxLinks: e.MAX_LINKS,
      moderationWords: e.MODERATION_WORDS,
      disallowedWords: e.DISALLOWED_WORDS,
      spamThreshold: e.SPAM_THRESHOLD,
      /** Languages the site's readers write in (ISO 639-1); empty: any. */
      siteLanguages: e.SITE_LANGUAGES.map((l) => l.toLowerCase()),
      floodSeconds: e.FLOOD_SECONDS,
      rateIpPerMinute: e.RATE_IP_PER_MINUTE,
      rateIpPerHour: e.RATE_IP_PER_HOUR,
      rateEmailPerHour: e.RATE_EMAIL_PER_HOUR,
      rateReadsPerMinute: e.RATE_READS_PER_MINUTE,
      rateLimitStore: e.RATE_LIMIT_STORE,
      adminAuthFailures: e.ADMIN_AUTH_FAILURES,
      redisUrl: e.REDIS_URL,
    },
    webhook: { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET, includeEmail: e.WEBHOOK_INCLUDE_EMAIL },
    retentionDays: e.RETENTION_DAYS,
    autoCloseDays: e.AUTO_CLOSE_DAYS,
    eraseMode: e.ERASE_MODE,
    logRequests: e.LOG_REQUESTS,
    /** Email: off (nothing queued or sent) unless SMTP_URL is set. */
    email: e.SMTP_URL
      ? {
          smtpUrl: e.SMTP_URL,
          from: e.MAIL_FROM ?? `${e.SITE_NAME ?? host} <noreply@${host}>`,
          replyTo: e.MAIL_REPLY_TO,
          siteName: e.SITE_NAME ?? host,
          /** Who gets "a comment is waiting" messages; empty: no such messages. */
          moderators: e.MODERATOR_EMAILS,
          digest: e.MODERATOR_EMAIL_DIGEST,
          /** The first retry's wait; each next one waits four times longer. */
          retrySeconds: e.EMAIL_RETRY_SECONDS,
        }
      : undefined,
  }
})

export type Config = z.output<typeof schema>
export type EmailConfig = NonNullable<Config['email']>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Parses the environment once, at an entry point. Pure: it never reads process.env itself,
 * so Node, Workers and tests each hand it their own source.
 */
export function parseConfig(source: Record<string, string | undefined>): Config {
  const result = schema.safeParse(source)
  const lines = result.success ? [] : result.error.issues.map((i) => `  ${String(i.path[0] ?? '?')}: ${i.message}`)
  const senders = LINK_SENDERS.filter((name) => (source[name] ?? '').trim() !== '')
  if (senders.length > 0 && (source.PUBLIC_URL ?? '').trim() === '') {
    lines.push(`  PUBLIC_URL: is required when ${senders.join(' or ')} is set (links in messages are built from it, never from a request's Host)`)
  }
  if (!result.success || lines.length > 0) throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  if (result.data.email && !result.data.publicUrl) {
    // Links in messages are read far from any request: the host they name cannot come from one.
    throw new ConfigError('Invalid configuration:\n  PUBLIC_URL: is required when SMTP_URL is set (the links in messages point there)')
  }
  return result.data
}

/** The base of links Parley sends out (PUBLIC_URL). parseConfig requires it wherever a link sender is set. */
export function linkBase(config: Pick<Config, 'publicUrl'>): string {
  if (!config.publicUrl) throw new ConfigError('PUBLIC_URL is not set, so no link to Parley can be built.')
  return config.publicUrl
}
