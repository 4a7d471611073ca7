// What a post's checks read is bounded when NFKC expands its text (security review I8: 10,000 × U+FDFA, which NFKC
// makes 180,000 letters, cost ~165 ms of CPU per post), without weakening the checks for ordinary text.
import { describe, expect, it } from 'vitest'
import { backends } from './support/db.js'
import { makeApp, uniqueArticle, uniqueEmail, validComment, type TestApp, appForSuite } from './support/app.js'

const LIGATURE = '\uFDFA'
const reasonsOf = async (t: TestApp, res: Response) => {
  const id = (await res.json()).comment.id
  return (await (await t.admin('GET', `/comments/${id}`)).json()) as { reasons: string[]; status: string; content: string }
}

describe.each(backends)('NFKC expansion on $name PostgreSQL', (backend) => {
  const t = appForSuite(backend)

  it('a text NFKC makes 18 times longer is stored as written and held with expanded_text', async () => {
    const content = LIGATURE.repeat(10_000)
    const res = await t.post(validComment(uniqueArticle('nfkc'), { content }))
    expect(res.status).toBe(201)
    const row = await reasonsOf(t, res)
    expect(row.content).toBe(content)
    expect(row.reasons).toContain('expanded_text')
  })

  it('a word hidden behind the padding, at the end, is still found', async () => {
    const content = `${LIGATURE.repeat(5_000)} you are a fucking idiot`
    const row = await reasonsOf(t, await t.post(validComment(uniqueArticle('nfkc-tail'), { content })))
    expect(row.reasons).toContain('expanded_text')
    expect(row.reasons.some((r) => r.startsWith('profanity'))).toBe(true)
  })

  it('ordinary long text is checked whole, as before', async () => {
    const content = `${'A calm and ordinary sentence about the article. '.repeat(200)} you are a fucking idiot`.slice(-10_000)
    const row = await reasonsOf(t, await t.post(validComment(uniqueArticle('nfkc-plain'), { content })))
    expect(row.reasons).not.toContain('expanded_text')
    expect(row.reasons.some((r) => r.startsWith('profanity'))).toBe(true)
  })

  it('the same expanded text twice from the same author is still a duplicate', async () => {
    const article = uniqueArticle('nfkc-dup')
    const body = validComment(article, { email: uniqueEmail(), content: `${LIGATURE.repeat(3_000)} once` })
    expect((await t.post(body)).status).toBe(201)
    const again = await t.post({ ...body, content: `${LIGATURE.repeat(3_000)}  ONCE ` })
    expect(again.status).toBe(409)
  })

  it('AUTO_APPROVE never publishes a text the checks read only in part', async () => {
    const auto = await makeApp(await backend.open(), { env: { AUTO_APPROVE: 'true' } })
    const article = uniqueArticle('nfkc-auto')
    const who = { author: 'Known Reader', email: uniqueEmail() }
    await auto.approved(article, who)
    const row = await reasonsOf(auto, await auto.post(validComment(article, { ...who, content: LIGATURE.repeat(2_000) })))
    expect(row.status).toBe('pending')
    expect(row.reasons).toContain('expanded_text')
  })
})
