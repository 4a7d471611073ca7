// The part of autocannon 9's programmatic API the bench uses (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  export type Request = {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
    setupRequest?: (request: Request, context: Record<string, unknown>) => Request
    onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void
  }

  export type Options = {
    url: string
    connections?: number
    duration?: number
    timeout?: number
    pipelining?: number
    headers?: Record<string, string>
    method?: string
    body?: string
    requests?: Request[]
  }

  export type Result = {
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    resets: number
    requests: { total: number; average: number }
    latency: { p50: number; p99: number }
  }

  export interface Instance extends EventEmitter {
    stop(): void
  }

  function autocannon(options: Options, callback: (error: Error | null, result: Result) => void): Instance
  export default autocannon
}
