// W1–W3 of WORKLOADS.md: as autocannon requests with their checks (the in-process harness), and as
// what the wrk scripts (scripts/bench/wrk/) need to send and check the same requests from outside.
import type { Request } from 'autocannon'
import type { WrkWorkload } from './wrk.js'
import { checkCounts, checkList, checkPost, sameAs, type Check } from './checks.js'
import { authorName, clientIp, email, rng, USER_AGENTS, words } from './data.js'
import { COUNT_ARTICLES, LIST_ARTICLE, LIST_SIZE } from './seed.js'

export type WorkloadId = 'W1' | 'W2' | 'W3'
export type Workload = { id: WorkloadId; request: Request; check: Check; wrk?: WrkWorkload }

export const W2_PATH = `/api/comments?article=${encodeURIComponent(LIST_ARTICLE)}&limit=${LIST_SIZE}`
export const W3_PATH = `/api/counts?${COUNT_ARTICLES.map((a) => `article=${encodeURIComponent(a)}`).join('&')}`

/** With a reference answer (one that passed the full check), identical answers are checked at memcmp cost. */
export function w2(reference?: string): Workload {
  const full = checkList(LIST_ARTICLE, LIST_SIZE)
  return {
    id: 'W2',
    request: { method: 'GET', path: W2_PATH },
    check: reference ? sameAs(reference, full) : full,
    ...(reference ? { wrk: { script: 'get', path: W2_PATH, reference } } : {}),
  }
}

export function w3(expected: Record<string, number>, reference?: string): Workload {
  const full = checkCounts(expected)
  return {
    id: 'W3',
    request: { method: 'GET', path: W3_PATH },
    check: reference ? sameAs(reference, full) : full,
    ...(reference ? { wrk: { script: 'get', path: W3_PATH, reference } } : {}),
  }
}

/** The articles one W1 run posts to; its rows are counted by this prefix afterwards. */
export const w1Prefix = (tag: string) => `/bench/w1/${tag}/`

/**
 * W1: every request a distinct commenter: its own email (4 domains), its own /24 (X-Forwarded-For, with
 * TRUST_PROXY), one of 26 names × 5,000 numbers, one of 4 user agents, 12–36 random words, on one of
 * 50 articles; no form token. `space` keeps the client addresses of different runs apart.
 */
export function w1(tag: string, space: number): Workload {
  const random = rng(1000 + space)
  let n = 0
  const setupRequest = (request: Request): Request => {
    const i = n++
    return {
      ...request,
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': clientIp(space, i),
        'user-agent': USER_AGENTS[i % USER_AGENTS.length]!,
      },
      body: JSON.stringify({
        article: `${w1Prefix(tag)}a${i % 50}`,
        author: authorName(Math.floor(random() * 26 * 5000)),
        email: email(`w1-${tag}`, i),
        content: words(random, 12, 36),
      }),
    }
  }
  return { id: 'W1', request: { method: 'POST', path: '/api/comments', setupRequest }, check: checkPost, wrk: { script: 'post', tag, space } }
}
