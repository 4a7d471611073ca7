import { beforeAll, describe, expect, it } from 'vitest'
import { randomBytes, randomUUID } from 'node:crypto'
import { bucketOf, dropCodes, FAMILY, familyOf, features, FEATURE_BITS, SpamModel, type Message } from '../src/moderation/classifier.js'
import { createLearner, labelOf, MemoryModelStore, type ModelStore } from '../src/moderation/learner.js'
import { PostgresModelStore } from '../src/db/spam-examples.js'
import { backends } from './support/db.js'

const msg = (content: string, author = 'Reader'): Message => ({ author, content, url: null })
/** A word unique to this run, in letters only: a run of letters and digits would be read as an id (dropCodes) and not learned. */
const letterTag = (prefix: string) =>
  prefix + `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`.replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!)
// Made-up words, so the shipped prior knows nothing of them and only the decisions below can teach them.
const spam = (i: number) => msg(`zarquon vexlite mega deal ${i}, grab the zarquon vexlite offer`)
const ham = (i: number) => msg(`the quillet orchestra played the fourth movement so gently ${i}`)
const probeSpam = msg('zarquon vexlite offer here')
const probeHam = msg('the quillet orchestra movement')

/** A learner that checks its store on every score (no waiting out the refresh interval in tests). */
const eager = (store: ModelStore, prior = true) => createLearner(store, { prior, refreshMs: 0 })

describe('features', () => {
  it.each([
    ['empty', ''],
    ['short', 'Nice song'],
    ['markup and entities', 'I&#39;m <b>here</b><br />too'],
    ['5,000 characters', 'word '.repeat(1000)],
    ['non-Latin', 'Прекрасная песня 😂﻿'],
    ['links', 'see https://www.example.com/deal?ref=1 and bit.ly/x'],
  ])('%s: sorted distinct features, each a known family and a bucket inside the hashed space', (_label, content) => {
    const f = features(msg(content))
    expect(f.length).toBeGreaterThan(0)
    const families = new Set<number>(Object.values(FAMILY).filter((x) => x !== FAMILY.legacy))
    for (let i = 0; i < f.length; i++) {
      expect(f[i]).toBeGreaterThanOrEqual(0)
      expect(families.has(familyOf(f[i]!))).toBe(true)
      expect(bucketOf(f[i]!)).toBeLessThan(1 << FEATURE_BITS)
      if (i > 0) expect(f[i]).toBeGreaterThan(f[i - 1]!)
    }
  })
  it('a written link gives host features; a bare "word.word" does not', () => {
    const links = (content: string) => [...features(msg(content))].filter((x) => familyOf(x) === FAMILY.link).length
    expect(links('visit www.example.com now')).toBeGreaterThan(0)
    expect(links('visit example.com/offer now')).toBeGreaterThan(0)
    expect(links('https://bit.ly/abc')).toBeGreaterThan(0)
    expect(links('I liked it.Really nice')).toBe(0)
  })
  it('a feature stored before families existed (family 0) reads the same bucket as its family-coded form', () => {
    const model = SpamModel.train([
      { features: features(msg('cheap zarquon deals')), label: 'spam' },
      { features: features(msg('the orchestra played gently')), label: 'ham' },
    ])
    const coded = features(msg('cheap zarquon deals'))
    const legacy = coded.map(bucketOf).sort()
    // Same buckets, weight 1 for every one: the same direction, not the same value.
    expect(model.score(legacy)).toBeGreaterThan(0.5)
    expect(model.score(coded)).toBeGreaterThan(0.5)
  })
  it('invisible characters and markup do not change the features', () => {
    expect([...features(msg('Nice song\ufeff'))]).toEqual([...features(msg('Nice song'))])
    expect([...features(msg('Nice <b>song</b>'))]).toEqual([...features(msg('Nice song'))])
  })
})

describe('ids, hashes and codes in a legitimate comment', () => {
  const hex = (n: number) => Array.from(randomBytes(n), (b) => b.toString(16).padStart(2, '0')).join('')
  const codes = () => [randomUUID(), hex(20), hex(32), hex(5).toUpperCase(), 'ABX7-99QK-22LM', `order_${hex(4)}`]
  it.each([
    ['A thoughtful comment %s', ''],
    ['I hit the same bug; my request id was %s if that helps.', ''],
    ['The commit %s fixed it for me, thanks.', ''],
  ])('are read as no text: "%s" has the features of the sentence without them', (template) => {
    for (const code of codes()) {
      const withCode = features(msg(template.replace('%s', code)))
      const without = features(msg(template.replace('%s', '')))
      expect([...withCode]).toEqual([...without])
    }
  })
  it('do not raise the shipped prior: 50 random UUIDs after a short comment all score as the comment alone', async () => {
    const learner = eager(new MemoryModelStore())
    const alone = await learner.score(msg('A thoughtful comment', 'Ada Reader'))
    expect(alone).toBeLessThan(0.8)
    for (let i = 0; i < 50; i++) expect(await learner.score(msg(`A thoughtful comment ${randomUUID()}`, 'Ada Reader'))).toBe(alone)
  })
  it('words with a digit or two, and short codes, are still read', () => {
    for (const text of ['mp3 player', 'v1agra deal', 'the 1080p version', 'sub4sub now']) {
      expect([...features(msg(text))]).not.toEqual([...features(msg(''))])
      expect(dropCodes(text)).toBe(text)
    }
  })
})

describe('labelOf', () => {
  it.each([
    ['approved', 'ham'],
    ['spam', 'spam'],
    ['trash', null],
    ['pending', null],
  ] as const)('%s teaches %s', (status, label) => {
    expect(labelOf(status)).toBe(label)
  })
})

describe('learner in memory', () => {
  it('the shipped prior scores typical spam above an ordinary reply', async () => {
    const learner = eager(new MemoryModelStore())
    const cases = [
      ['Check out my channel and subscribe for free gift cards!!', 'Thanks, this helped me understand the problem.'],
      ['Make money from home, click here www.cash-now.example', 'I disagree with the second point.'],
    ]
    for (const [bad, good] of cases) expect(await learner.score(msg(bad!))).toBeGreaterThan(await learner.score(msg(good!)))
  })

  it.each([
    ['with the prior', true],
    ['without the prior', false],
  ])('scores stay within [0, 1] (%s)', async (_label, prior) => {
    const learner = eager(new MemoryModelStore(), prior)
    for (const content of ['', '!!!!!!!!', 'a'.repeat(5000), 'SUBSCRIBE '.repeat(300), '😂'.repeat(100)]) {
      const s = await learner.score(msg(content))
      expect(s).toBeGreaterThanOrEqual(0)
      expect(s).toBeLessThanOrEqual(1)
    }
  })

  it('learns spam and ham from decisions, and unlearns a reversed or withdrawn decision', async () => {
    const learner = eager(new MemoryModelStore())
    const before = await learner.score(probeSpam)
    for (let i = 0; i < 8; i++) await learner.learn(spam(i), 'spam')
    for (let i = 0; i < 8; i++) await learner.learn(ham(i), 'approved')
    const learned = await learner.score(probeSpam)
    expect(learned).toBeGreaterThan(before)
    expect(learned).toBeGreaterThan(await learner.score(probeHam))
    // Reversed: the same messages approved after all. Then withdrawn (trash): back to where it started.
    for (let i = 0; i < 8; i++) await learner.learn(spam(i), 'approved')
    const reversed = await learner.score(probeSpam)
    expect(reversed).toBeLessThan(learned)
    for (let i = 0; i < 8; i++) await learner.learn(spam(i), 'trash')
    for (let i = 0; i < 8; i++) await learner.learn(ham(i), 'trash')
    expect(await learner.score(probeSpam)).toBeCloseTo(before, 6)
  })

  it('the same decision twice counts once', async () => {
    const once = eager(new MemoryModelStore())
    const twice = eager(new MemoryModelStore())
    for (let i = 0; i < 4; i++) {
      await once.learn(spam(i), 'spam')
      await twice.learn(spam(i), 'spam')
      await twice.learn(spam(i), 'spam')
    }
    expect(await twice.score(probeSpam)).toBe(await once.score(probeSpam))
  })

  it('another instance sees decisions after its refresh interval, not per request', async () => {
    const store = new MemoryModelStore()
    let clock = 0
    const reader = createLearner(store, { now: () => clock, refreshMs: 1000 })
    const writer = eager(store)
    const before = await reader.score(probeSpam)
    for (let i = 0; i < 8; i++) await writer.learn(spam(i), 'spam')
    expect(await reader.score(probeSpam)).toBe(before)
    clock += 1000
    expect(await reader.score(probeSpam)).toBeGreaterThan(before)
  })
})

describe.each(backends)('learner on $name PostgreSQL', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>
  beforeAll(async () => {
    db = await backend.open()
  })
  it('decisions persist in the database: a new instance learns them too', async () => {
    // Unique words per run: the table is shared by every test using this database.
    const tag = letterTag('q')
    const tagged = (i: number) => msg(`${tag} blorvex deal ${i} grab ${tag} blorvex now`)
    const probe = msg(`${tag} blorvex deal`)
    const first = eager(new PostgresModelStore(db))
    const before = await first.score(probe)
    for (let i = 0; i < 8; i++) await first.learn(tagged(i), 'spam')
    const learned = await first.score(probe)
    expect(learned).toBeGreaterThan(before)
    // A new instance trains from the stored decisions: the very same model.
    const second = eager(new PostgresModelStore(db))
    const fresh = await second.score(probe)
    expect(fresh).toBe(learned)
    expect(fresh).toBeGreaterThan(0.5)
    for (let i = 0; i < 8; i++) await first.learn(tagged(i), 'approved')
    const reversed = await second.score(probe)
    expect(reversed).toBeLessThan(fresh)
    for (let i = 0; i < 8; i++) await first.learn(tagged(i), 'trash')
  })
})
