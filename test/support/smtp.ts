/**
 * A real SMTP server for tests (smtp-server), keeping what arrives parsed by mailparser, with the raw text and the
 * envelope. `refuse(451, 451)` makes the next two messages be refused with those codes (then it accepts again).
 */
import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export type Received = { mail: ParsedMail; raw: string; envelopeTo: string[] }

export type TestSmtp = {
  port: number
  url: string
  received: Received[]
  refuse: (...codes: number[]) => void
  /** Resolves with the first message matching, waiting up to `ms`; throws naming what did arrive. */
  waitFor: (match: (r: Received) => boolean, ms?: number) => Promise<Received>
  stop: () => Promise<void>
}

export async function startSmtp(port = 0): Promise<TestSmtp> {
  const received: Received[] = []
  const refusals: number[] = []
  const server = new SMTPServer({
    authOptional: true,
    // No AUTH offered: worker-mailer refuses a server that offers AUTH when it has no credentials.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const code = refusals.shift()
        if (code !== undefined) {
          callback(Object.assign(new Error('Refused by the test'), { responseCode: code }))
          return
        }
        const raw = Buffer.concat(chunks)
        simpleParser(raw).then(
          (mail) => {
            received.push({ mail, raw: raw.toString('utf8'), envelopeTo: session.envelope.rcptTo.map((r) => r.address) })
            callback()
          },
          (error: Error) => callback(error),
        )
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const actual = (server.server.address() as AddressInfo).port
  return {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    received,
    refuse: (...codes) => refusals.push(...codes),
    waitFor: async (match, ms = 10_000) => {
      const deadline = Date.now() + ms
      for (;;) {
        const hit = received.find(match)
        if (hit) return hit
        if (Date.now() > deadline) {
          throw new Error(`no matching message within ${ms} ms; received: ${JSON.stringify(received.map((r) => r.mail.subject))}`)
        }
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
