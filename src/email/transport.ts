import type { OutgoingMail } from './messages.js'

/** Sends one message or throws a MailFailure. Node: nodemailer (src/node/smtp.ts); Workers: worker-mailer (smtp-worker.ts). */
export type Mailer = { send: (mail: OutgoingMail) => Promise<void> }

/**
 * Why a send failed, in words safe to store and show: an SMTP reply code or a kind of failure, never the
 * server's text (which can quote an address). Permanent: the server refused for good (5xx); no retry.
 */
export class MailFailure extends Error {
  override name = 'MailFailure'
  constructor(
    readonly error: string,
    readonly permanent: boolean,
  ) {
    super(error)
  }
}

/** From an SMTP client's error (nodemailer's and worker-mailer's carry these fields) to a MailFailure. */
export function toMailFailure(e: unknown): MailFailure {
  if (e instanceof MailFailure) return e
  const { responseCode, code } = (e ?? {}) as { responseCode?: unknown; code?: unknown }
  if (typeof responseCode === 'number') return new MailFailure(`smtp ${responseCode}`, responseCode >= 500 && responseCode < 600)
  return new MailFailure(typeof code === 'string' && /^[A-Z_]{2,30}$/.test(code) ? code.toLowerCase() : 'network', false)
}
