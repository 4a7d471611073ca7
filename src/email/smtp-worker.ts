// Workers only: SMTP over Cloudflare's TCP sockets (cloudflare:sockets) with worker-mailer, from the same SMTP_URL.
import { WorkerMailer } from 'worker-mailer'
import type { OutgoingMail } from './messages.js'
import { toMailFailure, type Mailer } from './transport.js'

/** "Name <a@b>" → { name, email }: worker-mailer takes a bare string as the address itself. */
function user(address: string): { name?: string; email: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(address)
  return match ? { ...(match[1] ? { name: match[1] } : {}), email: match[2]! } : { email: address.trim() }
}

export function workerMailer(smtpUrl: string): Mailer {
  const url = new URL(smtpUrl)
  const secure = url.protocol === 'smtps:'
  const options = {
    host: url.hostname,
    port: Number(url.port) || (secure ? 465 : 587),
    secure,
    // smtp:// is upgraded with STARTTLS when the server offers it, as nodemailer does.
    startTls: !secure,
    ...(url.username
      ? {
          credentials: { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) },
          authType: ['plain', 'login'] as ('plain' | 'login')[],
        }
      : {}),
    socketTimeoutMs: 15_000,
    responseTimeoutMs: 15_000,
  }
  return {
    send: async (mail: OutgoingMail) => {
      try {
        await WorkerMailer.send(options, {
          from: user(mail.from),
          to: mail.to,
          ...(mail.replyTo ? { reply: user(mail.replyTo) } : {}),
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: { ...mail.headers, 'Message-ID': mail.messageId },
        })
      } catch (error) {
        throw toMailFailure(error)
      }
    },
  }
}
