import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { features } from '../src/moderation/classifier.js'
import { legacyMessageKey } from '../src/moderation/learner.js'
import { PostgresModelStore } from '../src/db/spam-examples.js'
import { makeApp, uniqueArticle, uniqueEmail, validComment, type TestApp } from './support/app.js'
import { backends } from './support/db.js'

// Security item 10, the spam part: erasing an address leaves nothing of its comments in the spam model.
describe.each(backends)('erasure and the spam model ($name)', (backend) => {
  let db0: Awaited<ReturnType<typeof backend.open>>
  beforeAll(async () => {
    db0 = await backend.open()
  })

  it.each(['anonymize', 'delete'] as const)('%s: the examples its decisions made are gone, rows and all; the model retrains', async (mode) => {
    const t: TestApp = await makeApp(db0, { env: { ERASE_MODE: mode } })
    const email = uniqueEmail('erase')
    const author = `Erin ${randomUUID().slice(0, 6)}`
    const content = `My own words about the match ${randomUUID()}`
    const res = await t.post(validComment(uniqueArticle('erase'), { email, author, content }))
    const id = ((await res.json()) as { comment: { id: string } }).comment.id
    expect((await t.admin('PATCH', `/comments/${id}`, { status: 'approved' })).status).toBe(200)
    const db = t.deps.db
    const legacy = await legacyMessageKey({ author, url: null, content })
    // The stored key is keyed by the site's secret: the unkeyed SHA-256 of name and text finds nothing.
    expect(await db.selectFrom('spam_examples').select('key').where('key', '=', legacy).executeTakeFirst()).toBeUndefined()
    const mine = (await db.selectFrom('spam_examples').select(['key', 'features']).execute()).filter(
      (r) =>
        r.features.length === features({ author, url: null, content }).length &&
        r.features.every((f, i) => f === features({ author, url: null, content })[i]),
    )
    expect(mine).toHaveLength(1)
    // A row stored before issue 14 (unkeyed key) for the same comment goes too.
    await db
      .insertInto('spam_examples')
      .values({ key: legacy, label: 'ham', features: [1, 2, 3], seq: 0 })
      .execute()
    const before = await new PostgresModelStore(t.deps.db).version()

    const erase = await t.admin('DELETE', `/personal-data?email=${encodeURIComponent(email)}`)
    expect(erase.status).toBe(200)
    const left = await db.selectFrom('spam_examples').select('key').where('key', 'in', [mine[0]!.key, legacy]).execute()
    expect(left).toEqual([])
    const after = await new PostgresModelStore(t.deps.db).version()
    expect(after.resetSeq).toBeGreaterThan(before.seq)
  })
})
