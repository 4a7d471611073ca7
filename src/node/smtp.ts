// Node only: the SMTP transport over nodemailer (SMTP_URL: smtp:// with STARTTLS when offered, smtps://, auth in the URL).
import nodemailer from 'nodemailer'
import type { OutgoingMail } from '../email/messages.js'
import { toMailFailure, type Mailer } from '../email/transport.js'

export function smtpMailer(smtpUrl: string): Mailer & { close: () => void } {
  // Short waits: a stuck server must not hold a drain (and its claimed messages) for nodemailer's default minutes.
  // The URL's own query (?connectionTimeout=…) still wins.
  const transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 })
  return {
    send: async (mail: OutgoingMail) => {
      try {
        await transport.sendMail({
          from: mail.from,
          to: mail.to,
          ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          headers: mail.headers,
        })
      } catch (error) {
        throw toMailFailure(error)
      }
    },
    close: () => transport.close(),
  }
}
