import * as z from 'zod'

/** Environment variables arrive as strings; spell booleans out so 'false' is false. */
const flag = (fallback: 'true' | 'false') =>
  z.enum(['true', 'false', '1', '0']).default(fallback).transform((v) => v === 'true' || v === '1')
const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback)
/** A comma- or newline-separated list; blanks dropped. */
const list = z
  .string()
  .default('')
  .transform((s) => s.split(/[,\n]/).map((x) => x.trim()).filter(Boolean))
const optional = z
  .string()
  .optional()
  .transform((s) => (s && s.trim() !== '' ? s.trim() : undefined))

const schema = z.object({
  DATABASE_URL: optional,
  DATA_DIR: z.string().default('./data'),
  PORT: int(8787, 1, 65535),
  ADMIN_TOKEN: z
    .string({ error: 'is required (the moderators\' bearer token)' })
    .min(16, 'must be at least 16 characters'),
  SECRET_KEY: z
    .string({ error: 'is required (it keys email encryption, hashes and form tokens)' })
    .min(32, 'must be at least 32 characters'),
  ALLOWED_ORIGINS: list,
  TRUST_PROXY: flag('false'),
  PUBLIC_URL: optional,
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
  FLOOD_SECONDS: int(15),
  RATE_IP_PER_MINUTE: int(5, 1),
  RATE_IP_PER_HOUR: int(30, 1),
  RATE_EMAIL_PER_HOUR: int(10, 1),
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

export type Config = {
  databaseUrl: string | undefined
  dataDir: string
  port: number
  adminToken: string
  secretKey: string
  allowedOrigins: string[]
  trustProxy: boolean
  publicUrl: string | undefined
  autoApprove: boolean
  maxContentLength: number
  maxDepth: number
  checks: {
    formTokenMinSeconds: number
    formTokenMaxAgeSeconds: number
    maxLinks: number
    moderationWords: string[]
    disallowedWords: string[]
    spamThreshold: number
    floodSeconds: number
    rateIpPerMinute: number
    rateIpPerHour: number
    rateEmailPerHour: number
    rateLimitStore: 'auto' | 'memory' | 'postgres' | 'redis'
    redisUrl: string | undefined
  }
  webhook: { url: string | undefined; secret: string | undefined; includeEmail: boolean }
  retentionDays: number
  autoCloseDays: number
  eraseMode: 'anonymize' | 'delete'
  logRequests: boolean
  /** Email: off (nothing queued or sent) unless SMTP_URL is set. */
  email: EmailConfig | undefined
}

export type EmailConfig = {
  smtpUrl: string
  from: string
  replyTo: string | undefined
  siteName: string
  /** Who gets "a comment is waiting" messages; empty: no such messages. */
  moderators: string[]
  digest: 'off' | 'hourly' | 'daily'
  /** The first retry's wait; each next one waits four times longer. */
  retrySeconds: number
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Parses the environment once, at an entry point. Pure: it never reads process.env itself,
 * so Node, Workers and tests each hand it their own source.
 */
export function parseConfig(source: Record<string, string | undefined>): Config {
  const result = schema.safeParse(source)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${String(i.path[0] ?? '?')}: ${i.message}`)
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const e = result.data
  const publicUrl = e.PUBLIC_URL?.replace(/\/+$/, '')
  if (e.SMTP_URL && !publicUrl) {
    // Links in messages are read far from any request: the host they name cannot come from one.
    throw new ConfigError('Invalid configuration:\n  PUBLIC_URL: is required when SMTP_URL is set (the links in messages point there)')
  }
  const host = publicUrl && URL.canParse(publicUrl) ? new URL(publicUrl).hostname : 'localhost'
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    port: e.PORT,
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
      floodSeconds: e.FLOOD_SECONDS,
      rateIpPerMinute: e.RATE_IP_PER_MINUTE,
      rateIpPerHour: e.RATE_IP_PER_HOUR,
      rateEmailPerHour: e.RATE_EMAIL_PER_HOUR,
      rateLimitStore: e.RATE_LIMIT_STORE,
      redisUrl: e.REDIS_URL,
    },
    webhook: { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET, includeEmail: e.WEBHOOK_INCLUDE_EMAIL },
    retentionDays: e.RETENTION_DAYS,
    autoCloseDays: e.AUTO_CLOSE_DAYS,
    eraseMode: e.ERASE_MODE,
    logRequests: e.LOG_REQUESTS,
    email: e.SMTP_URL
      ? {
          smtpUrl: e.SMTP_URL,
          from: e.MAIL_FROM ?? `${e.SITE_NAME ?? host} <noreply@${host}>`,
          replyTo: e.MAIL_REPLY_TO,
          siteName: e.SITE_NAME ?? host,
          moderators: e.MODERATOR_EMAILS,
          digest: e.MODERATOR_EMAIL_DIGEST,
          retrySeconds: e.EMAIL_RETRY_SECONDS,
        }
      : undefined,
  }
}
