import type { Logger } from './env.js'

/**
 * One store's outage, as the log tells it: one line when it starts (with the first error), one when it
 * ends (how long, how many failures), instead of a line per failed call (a Redis outage at 200 posts/s
 * wrote 1,200 lines a second). With a `probe`, the end is found by trying the store every `probeMs`
 * while it is down, so it is logged even when nothing else calls the store.
 */
export type OutageLog = {
  /** A call to the store failed for want of the store. */
  failed(error: unknown): void
  /** A call to the store worked. */
  ok(): void
  readonly down: boolean
}

export function createOutageLog(options: {
  log: Logger
  /** e.g. 'database', 'rate limiter store' */
  what: string
  probe?: () => Promise<unknown>
  probeMs?: number
}): OutageLog {
  let since: number | undefined
  let failures = 0
  let timer: ReturnType<typeof setInterval> | undefined
  let probing = false

  const ok = () => {
    if (since === undefined) return
    options.log({ msg: `${options.what} back`, level: 'warn', failures, seconds: Math.round((Date.now() - since) / 100) / 10 })
    since = undefined
    failures = 0
    if (timer) clearInterval(timer)
    timer = undefined
  }

  const probe = options.probe
  const tryStore = () => {
    if (probing || !probe) return
    probing = true
    probe()
      .then(ok, () => {})
      .finally(() => (probing = false))
  }

  return {
    failed(error) {
      failures++
      if (since !== undefined) return
      since = Date.now()
      options.log({ msg: `${options.what} unavailable`, level: 'error', error: describe(error) })
      if (probe) {
        timer = setInterval(tryStore, options.probeMs ?? 500)
        ;(timer as { unref?: () => void }).unref?.()
      }
    },
    ok,
    get down() {
      return since !== undefined
    },
  }
}

/** Name, code and the start of the message: never bound values (pg errors carry no parameters in their message). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown'
  const code = (error as { code?: unknown }).code
  return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message.slice(0, 200)}`
}
