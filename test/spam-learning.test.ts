import { describe, expect, it } from 'vitest'
import { features, type Message } from '../src/moderation/classifier.js'
import { createLearner, MemoryModelStore } from '../src/moderation/learner.js'
import { PostgresModelStore } from '../src/db/spam-examples.js'
import { uniqueArticle, validComment, appForSuite } from './support/app.js'
import { backends } from './support/db.js'

const msg = (content: string, author = 'Reader'): Message => ({ author, content, url: null })
/** A word unique to this run, in letters only: a run of letters and digits would be read as an id (dropCodes) and not learned. */
const letterTag = (prefix: string) =>
  prefix + `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`.replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!)

describe.each(backends)('learning matches what is measured ($name)', (backend) => {
  const t = appForSuite(backend)

  it('a moderator confirming a comment the checks already filed as spam teaches the model', async () => {
    const tag = letterTag('zq')
    const article = uniqueArticle('learn')
    // The honeypot sends it to spam whatever its text says.
    const res = await t.post(validComment(article, { content: `${tag} wonder pills here`, website: 'http://bot.example' }))
    const id = ((await res.json()) as { comment: { id: string } }).comment.id
    expect(((await (await t.admin('GET', `/comments/${id}`)).json()) as { status: string }).status).toBe('spam')
    const store = new PostgresModelStore(t.deps.db)
    const before = (await store.version()).seq
    expect((await t.admin('PATCH', `/comments/${id}`, { status: 'spam' })).status).toBe(200)
    // Before issue 14 a spam → spam decision was never stored (552 of 1,005 in the eval).
    expect((await store.version()).seq).toBe(before + 1)
    const examples = await store.examples(before, 10)
    expect(examples.map((e) => e.label)).toEqual(['spam'])
    // Tests share the database: withdraw the decision so later tests' scores are not moved by it.
    await t.admin('PATCH', `/comments/${id}`, { status: 'trash' })
  })

  it('after a restart (a new instance over the same database) every score is the same as before it', async () => {
    const tag = letterTag('rs')
    const store = new PostgresModelStore(t.deps.db)
    const first = createLearner(store, { refreshMs: 0 })
    for (let i = 0; i < 6; i++) await first.learn(msg(`${tag} cheap followers deal ${i}`), 'spam')
    for (let i = 0; i < 6; i++) await first.learn(msg(`${tag} the second movement was lovely ${i}`), 'approved')
    // One reversed, one withdrawn: the retraining paths too.
    await first.learn(msg(`${tag} cheap followers deal 0`), 'approved')
    await first.learn(msg(`${tag} the second movement was lovely 1`), 'trash')
    const probes = [`${tag} cheap followers`, `${tag} lovely movement`, 'Thanks for the article, it helped me a lot.', 'check out my channel']
    const before = await Promise.all(probes.map((p) => first.score(msg(p))))
    const restarted = createLearner(new PostgresModelStore(t.deps.db), { refreshMs: 0 })
    const after = await Promise.all(probes.map((p) => restarted.score(msg(p))))
    expect(after).toEqual(before)
    // Tests share the database: withdraw these decisions so later tests' scores are not moved by them.
    for (let i = 0; i < 6; i++) await first.learn(msg(`${tag} cheap followers deal ${i}`), 'trash')
    for (let i = 0; i < 6; i++) await first.learn(msg(`${tag} the second movement was lovely ${i}`), 'trash')
  })
})

describe("one site's decisions do not make it harsh on kinds of comment it never saw", () => {
  it('a site whose spam all carried links and ran long still scores a long comment citing a source low', async () => {
    const store = new MemoryModelStore()
    const learner = createLearner(store, { refreshMs: 0 })
    const probe = msg(
      'I went through the figures in the second table again, and the trend only holds for the first three years. ' +
        'The statistics office publishes the raw series at https://www.example.org/statistics/series-2019.csv if anyone ' +
        'wants to check. '.repeat(6),
    )
    const before = await learner.score(probe)
    const ownSpam = msg('Great deals: the best offer of the season visit https://shop99.example.com/deal/1')
    const ownBefore = await learner.score(ownSpam)
    for (let i = 0; i < 60; i++) {
      const filler = 'the best offer of the season for everyone who wants more, '.repeat(8)
      await learner.learn(msg(`Great deals ${i}: ${filler} visit https://shop${i}.example.com/deal/${i}`), 'spam')
      await learner.learn(msg(`lovely song ${i}`), 'approved')
    }
    const after = await learner.score(probe)
    expect(after).toBeLessThan(0.8)
    expect(after - before).toBeLessThan(0.3)
    // The decisions did teach: the site's own kind of spam scores far higher than before them.
    const ownAfter = await learner.score(ownSpam)
    expect(ownAfter).toBeGreaterThan(0.8)
    expect(ownAfter - ownBefore).toBeGreaterThan(0.3)
    expect(features(probe).length).toBeGreaterThan(0)
  })
})
