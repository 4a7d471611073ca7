// What one Node server lets its connections cost: how many, how long a request may take to arrive, how many
// requests one socket may have waiting, and how many bytes of answers may wait for their readers in all.
import type { Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** Headers must have arrived within this (slowloris), the whole request (body included) within REQUEST_MS. */
export const HEADERS_MS = 20_000
export const REQUEST_MS = 60_000
/**
 * Requests one socket may have unanswered at once. Browsers never pipeline; a client that sends a burst of
 * requests without reading the answers would otherwise have every one built and queued in memory.
 */
export const MAX_PIPELINED = 8
/**
 * Bytes of public list answers that may wait to be taken by their sockets, in all. Past it a list read is answered
 * 503 (with Retry-After) until readers catch up: non-reading sockets pin at most this much, whatever their number.
 */
export const SEND_BUDGET_BYTES = 24 * 1024 * 1024

const inFlight = new WeakMap<Socket, number>()

/** Sets the server's limits and closes a socket that pipelines more than MAX_PIPELINED unanswered requests. */
export function guardConnections(server: Server, options: { maxConnections: number }): void {
  server.maxConnections = options.maxConnections
  server.headersTimeout = HEADERS_MS
  server.requestTimeout = REQUEST_MS
  // Before the app's own listener: a socket over the limit is closed before its request is served.
  server.prependListener('request', (req, res: ServerResponse) => {
    const socket = req.socket
    const count = (inFlight.get(socket) ?? 0) + 1
    inFlight.set(socket, count)
    res.once('close', () => inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1))
    if (count > MAX_PIPELINED) socket.destroy()
  })
}

export type SendBudget = {
  /** Bytes reserved by answers not yet taken by their sockets. */
  readonly held: number
  /** No room for a page of the largest size: a list read can be refused before its page is built. */
  readonly full: boolean
  /**
   * Reserves `bytes` for this answer until its socket has taken it (written out, or closed). False (nothing
   * reserved) when the budget cannot hold it, or the socket is gone already; one answer always fits an idle budget.
   */
  hold: (res: ServerResponse, bytes: number) => boolean
}

export function sendBudget(maxBytes = SEND_BUDGET_BYTES): SendBudget {
  let held = 0
  return {
    get held() {
      return held
    },
    // No room left for a page of the largest size (~MAX_PAGE_BYTES and one long comment).
    get full() {
      return held + 1024 * 1024 > maxBytes
    },
    hold(res, bytes) {
      const socket = res.req.socket
      if (socket.destroyed || (held > 0 && held + bytes > maxBytes)) return false
      held += bytes
      let released = false
      const release = () => {
        if (released) return
        released = true
        held -= bytes
        socket.off('close', release)
        socket.off('drain', release)
        res.off('finish', finished)
      }
      // 'finish': the answer is handed to the socket, which may still hold it (a reader that does not read):
      // then it counts until the socket drains or closes.
      const finished = () => {
        if (socket.writableNeedDrain && !socket.destroyed) socket.once('drain', release)
        else release()
      }
      socket.once('close', release)
      res.once('finish', finished)
      return true
    },
  }
}
