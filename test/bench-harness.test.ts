// The bench harness's own logic, without load: its response checks, its synthetic commenters, its report merge.
import { describe, expect, it } from 'vitest'
import { checkCounts, checkList, checkPost, sameAs } from '../scripts/bench/checks.js'
import { authorName, clientIp, email, rng, words } from '../scripts/bench/data.js'
import type { Phase } from '../scripts/bench/load.js'
import { BEGIN, END, harnessTarget, median, mergeReport } from '../scripts/bench/report.js'
import type { Rep } from '../scripts/bench/runner.js'

const comment = (id: number) => ({ id: String(id), content: 'text', html: '<p>text</p>' })
const list = (n: number, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ article: '/a', comments: Array.from({ length: n }, (_, i) => comment(i + 1)), total: n, nextCursor: null, ...overrides })

describe('bench checks', () => {
  it.each([
    { name: 'a pending comment', status: 201, body: JSON.stringify({ comment: { id: '7', status: 'pending' } }), ok: true },
    { name: 'a 429', status: 429, body: JSON.stringify({ error: { code: 'rate_limited' } }), ok: false },
    { name: 'a 201 without an id', status: 201, body: JSON.stringify({ comment: { status: 'pending' } }), ok: false },
    { name: 'an approved comment', status: 201, body: JSON.stringify({ comment: { id: '7', status: 'approved' } }), ok: false },
    { name: 'a body that is not JSON', status: 201, body: '<html>', ok: false },
  ])('W1 counts $name as ok: $ok', ({ status, body, ok }) => {
    const checked = checkPost(status, body)
    expect(checked.ok).toBe(ok)
    if (checked.ok) expect(checked.id).toBe('7')
  })

  const w2 = checkList('/a', 3)
  it.each([
    { name: 'all three comments', status: 200, body: list(3), ok: true },
    { name: 'two of three', status: 200, body: list(2, { total: 3 }), ok: false },
    { name: 'a wrong total', status: 200, body: list(3, { total: 4 }), ok: false },
    { name: 'another article', status: 200, body: list(3, { article: '/b' }), ok: false },
    {
      name: 'a repeated id',
      status: 200,
      body: JSON.stringify({ article: '/a', comments: [comment(1), comment(1), comment(2)], total: 3 }),
      ok: false,
    },
    { name: 'a 304', status: 304, body: '', ok: false },
  ])('W2 counts $name as ok: $ok', ({ status, body, ok }) => {
    expect(w2(status, body).ok).toBe(ok)
  })

  const reference = list(3, { formToken: 'abc.def' })
  const fast = sameAs(reference, w2)
  it.each([
    { name: 'the reference answer', status: 200, body: reference, ok: true },
    { name: 'another form token of the same length', status: 200, body: reference.replace('abc.def', 'xyz.uvw'), ok: true },
    { name: 'another valid answer (longer token)', status: 200, body: reference.replace('abc.def', 'abcd.defg'), ok: true },
    { name: 'one comment changed to a wrong id', status: 200, body: reference.replace('"id":"2"', '"id":"1"'), ok: false },
    {
      name: 'a same-length body with a comment missing',
      status: 200,
      body: list(2, { total: 3, formToken: 'abc.def' }).padEnd(reference.length),
      ok: false,
    },
    { name: 'the reference with another status', status: 500, body: reference, ok: false },
  ])('W2 fast path counts $name as ok: $ok', ({ status, body, ok }) => {
    expect(fast(status, body).ok).toBe(ok)
  })

  it('refuses a reference answer that fails its own check', () => {
    expect(() => sameAs(list(2), w2)).toThrow(/reference/)
  })

  const w3 = checkCounts({ '/c1': 1, '/c2': 2 })
  it.each([
    { name: 'exact counts', status: 200, body: JSON.stringify({ counts: { '/c1': 1, '/c2': 2 } }), ok: true },
    { name: 'a count off by one', status: 200, body: JSON.stringify({ counts: { '/c1': 1, '/c2': 3 } }), ok: false },
    { name: 'a missing key', status: 200, body: JSON.stringify({ counts: { '/c1': 1 } }), ok: false },
    { name: 'an extra key', status: 200, body: JSON.stringify({ counts: { '/c1': 1, '/c2': 2, '/c3': 0 } }), ok: false },
    { name: 'a count as a string', status: 200, body: JSON.stringify({ counts: { '/c1': '1', '/c2': 2 } }), ok: false },
    { name: 'a 500', status: 500, body: '{}', ok: false },
  ])('W3 counts $name as ok: $ok', ({ status, body, ok }) => {
    expect(w3(status, body).ok).toBe(ok)
  })
})

describe('bench commenters', () => {
  it('gives every request of a run its own /24, and runs their own spaces', () => {
    const blocks = new Set<string>()
    for (const space of [0, 1, 46]) {
      for (let n = 0; n < 70_000; n++) blocks.add(clientIp(space, n).split('.').slice(0, 3).join('.'))
    }
    expect(blocks.size).toBe(3 * 70_000)
    for (const ip of [clientIp(0, 0), clientIp(48, 262_143)]) {
      expect(
        ip
          .split('.')
          .map(Number)
          .every((o) => o >= 0 && o <= 255),
      ).toBe(true)
      expect(Number(ip.split('.')[0])).not.toBe(127)
    }
  })

  it('draws names from 26 × 5,000, distinct emails over 4 domains, 12–36 words', () => {
    const names = new Set(Array.from({ length: 130_000 }, (_, n) => authorName(n)))
    expect(names.size).toBe(130_000)
    expect(new Set(Array.from({ length: 8 }, (_, n) => email('t', n).split('@')[1])).size).toBe(4)
    const random = rng(1)
    for (let i = 0; i < 200; i++) {
      const count = words(random, 12, 36).split(' ').length
      expect(count).toBeGreaterThanOrEqual(12)
      expect(count).toBeLessThanOrEqual(36)
    }
  })
})

describe('bench report', () => {
  it.each([
    { values: [3, 1, 2], expected: 2 },
    { values: [4, 1, 3, 2], expected: 2.5 },
    { values: [NaN, 5], expected: 5 },
    { values: [], expected: NaN },
  ])('median of $values is $expected', ({ values, expected }) => {
    expect(median(values)).toBe(expected)
  })

  it('replaces only the generated section and keeps notes around it', () => {
    const previous = `# Benchmarks\nintro\n${BEGIN}\nold figures\n${END}\n## What each change bought\n- cache: +40%\n`
    const merged = mergeReport(previous, `${BEGIN}\nnew figures\n${END}`)
    expect(merged).toContain('new figures')
    expect(merged).not.toContain('old figures')
    expect(merged).toContain('- cache: +40%')
    expect(merged.startsWith('# Benchmarks\nintro\n')).toBe(true)
  })

  it('compares the ratio to bare Hono under wrk with the old harness beside it, median of the repetitions', () => {
    const phase = (reqPerSec: number): Phase => ({ seconds: 10, ok: reqPerSec * 10, failed: 0, errors: 0, reqPerSec, p50: 1, p99: 2, failures: {} })
    const memory = { peakRssMb: 100, hwmMb: 100, samples: 1 }
    // Parley and bare Hono under wrk, then under autocannon, one repetition each.
    const rep = (parley: number, hono: number, oldParley: number, oldHono: number): Rep => ({
      database: 'postgres',
      coldStartMs: 500,
      seedMs: 1000,
      bodyBytes: { W2: 1, W3: 1 },
      runs: [{ workload: 'W3', connections: 50, phase: phase(parley), memory, window: { startUs: 0, endUs: 1 } }],
      ceilings: { hono: { W2: {}, W3: { 50: phase(hono) } }, honoMemory: memory, pgbench: {} },
      oldHarness: { parley: { W3: phase(oldParley) }, hono: { W3: phase(oldHono) } },
    })
    const better = harnessTarget([rep(50, 100, 40, 100), rep(45, 100, 40, 100), rep(60, 100, 45, 100)], 'W3', 50)
    expect(better).toMatchObject({ met: true, measured: 'wrk 50% (50 vs 100), old harness 40% (40 vs 100)' })
    expect(harnessTarget([rep(35, 100, 40, 100)], 'W3', 50).met).toBe(false)
    expect(harnessTarget([{ ...rep(35, 100, 40, 100), oldHarness: undefined }], 'W3', 50).met).toBeUndefined()
  })
})
