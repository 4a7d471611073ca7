// The checks' cost on a 5,000-character comment: median ms of review() (run: npx tsx scripts/bench-checks.ts),
// and the worst case: 50,000 characters of each of a set of adversarial inputs (markup, links, leetspeak,
// digits, look-alikes…), the slowest input's median and fastest run reported as worst50k (target: ≤ 20 ms).
// Called by `npm run bench` through benchChecks(); uses the real pipeline with the model in memory,
// so it measures the checks themselves, not the database round trip of the model lookup.
import { loadavg } from 'node:os'
import { pathToFileURL } from 'node:url'
import { parseConfig } from '../src/config.js'
import { issueFormToken } from '../src/moderation/form-token.js'
import { createLearner, MemoryModelStore } from '../src/moderation/learner.js'
import { createModeration } from '../src/moderation/pipeline.js'
import { WordSet } from '../src/moderation/word-set.js'
import { deriveKeys } from '../src/privacy/keys.js'

export async function benchChecks(
  options: { runs?: number; chars?: number; content?: string } = {},
): Promise<{ medianMs: number; minMs: number; cpuMs: number; chars: number; runs: number }> {
  const runs = options.runs ?? 200
  const chars = options.chars ?? 5_000
  const config = parseConfig({ ADMIN_TOKEN: 'bench-admin-token-0123456789', SECRET_KEY: 'bench-secret-key-0123456789abcdef0123456789' })
  const keys = await deriveKeys(config.secretKey)
  const wordLists = {
    compiled: async () => ({ moderation: new WordSet(['crypto', 'free money']), disallowed: new WordSet(['casino', 'viagra']) }),
  }
  const learner = createLearner(new MemoryModelStore())
  const moderation = createModeration({ config, keys, learner, wordLists })
  const sentence = 'This is a thoughtful comment about the article, with a link to https://example.com and some ordinary words. '
  const content = options.content ?? sentence.repeat(Math.ceil(chars / sentence.length)).slice(0, chars)
  const now = new Date()
  const formToken = await issueFormToken(keys, '/bench', new Date(now.getTime() - 60_000))
  const submission = {
    article: '/bench',
    parentId: null,
    author: 'Ada Reader',
    email: 'ada@example.com',
    emailHash: 'x'.repeat(64),
    url: null,
    content,
    formToken,
    website: '',
    userAgent: 'Mozilla/5.0',
    ip: '203.0.113.9',
    now,
  }
  for (let i = 0; i < Math.min(20, runs); i++) await moderation.review(submission)
  const times: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    const cpuStarted = process.cpuUsage()
    await moderation.review(submission)
    times.push(performance.now() - started)
    const used = process.cpuUsage(cpuStarted)
    cpu.push((used.user + used.system) / 1000)
  }
  times.sort((a, b) => a - b)
  cpu.sort((a, b) => a - b)
  const round = (ms: number) => Math.round(ms * 1000) / 1000
  // cpuMs: the median processor time the review used (this process, all its threads): what it costs
  // when it has a core, whatever else the machine runs.
  return {
    medianMs: round(times[Math.floor(runs / 2)]!),
    minMs: round(times[0]!),
    cpuMs: round(cpu[Math.floor(runs / 2)]!),
    chars: content.length,
    runs,
  }
}

/** Units repeated to 50,000 characters: each aims at one part of the checks (a regex, a tokenizer, a lookup). */
export const WORST_INPUTS: Record<string, string> = {
  prose: 'This is a thoughtful comment about the article, with a link to https://example.com and some ordinary words. ',
  'open tags': '<p ',
  anchors: '<a href="http://x.com">x</a> ',
  'one long word': 'a',
  digits: '1234567890',
  'dotted letters': 'a.',
  'single letters': 'a ',
  emoji: '😂',
  links: 'http://a.b/c ',
  'www.': 'www.',
  disguises: 'fu*k $hit @ss f#ck ',
  'look-alikes': 'сasіno ',
  entities: '&#1234;',
  'at signs': 'a@',
  '<': '<',
  bbcode: '[url=',
  'phone-like': '1-2 ',
  'dot com': 'x dot com ',
  'capital I': 'aIIIIIII ',
  'open anchors': '<a ',
  'a listed word': 'slut ',
  ids: 'ab12cd34-',
  schemes: 'http://',
  'money and praise': '$1 great post ',
  'spelled dots': 'a dot ',
  'iso dates': '2019-01-24 ',
  'href targets': 'href=a.',
  'bare hrefs': 'href=http://a.co/ ',
}

/**
 * Each input's median and fastest of `runs` reviews, and its median processor time. On a machine other work
 * shares, the median carries the waits for a core; the processor time is the checks' own cost (all three are
 * reported, with the load average).
 */
export async function worstCase(runs = 15): Promise<{
  input: string
  medianMs: number
  minInput: string
  minMs: number
  cpuInput: string
  cpuMs: number
  each: Record<string, [number, number, number]>
}> {
  const each: Record<string, [number, number, number]> = {}
  for (const [name, unit] of Object.entries(WORST_INPUTS)) {
    const content = unit.repeat(Math.ceil(50_000 / unit.length)).slice(0, 50_000)
    const r = await benchChecks({ runs, content })
    each[name] = [r.medianMs, r.minMs, r.cpuMs]
  }
  const worst = (k: 0 | 1 | 2) => Object.entries(each).sort((a, b) => b[1][k] - a[1][k])[0]!
  const [input, [medianMs]] = worst(0)
  const [minInput, [, minMs]] = worst(1)
  const [cpuInput, [, , cpuMs]] = worst(2)
  return { input, medianMs, minInput, minMs, cpuInput, cpuMs, each }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const worst = await worstCase()
  console.log(JSON.stringify({ ...(await benchChecks()), loadAverage: loadavg().map((x) => Math.round(x * 10) / 10), worst50k: worst }))
}
