import { describe, expect, it } from 'vitest'
import { sharedProfanityCheck } from '../src/moderation/pipeline.js'
import { createProfanityCheck } from '../src/moderation/profanity.js'
import { WordSet } from '../src/moderation/word-set.js'
import { backends } from './support/db.js'
import { uniqueArticle, validComment, appForSuite } from './support/app.js'

// Which texts are profane: the basics, then issue 14's cases.
describe('profanity: every word is read, evasions caught, false flags gone', () => {
  const check = createProfanityCheck()
  // The pipeline's own instance (built once), which must read every case the same.
  const shared = sharedProfanityCheck()
  it.each([
    // The basics: plain words, disguises, words inside others.
    ['what the fuck', true],
    ['f*ck this', true],
    ['fuuuuck', true],
    ['$hit happens', true],
    ['you a$$hole', true],
    ['sh1t', true],
    ['ѕhіt in Cyrillic', true],
    ['fu<i>ck</i>', true],
    ['Scunthorpe and Penistone are towns', false],
    ['a classic assessment', false],
    ['go to hell', true],
    ['Damn, this was everywhere', false],
    // Mild words never flag, alone or together (issue 14: two mild words in a plain sentence were flagged).
    ['d4mn and hell', false],
    ['hell and sex together', false],
    ['a lovely day', false],
    // Issue 14's cases: each of these was wrong before (checked by running them on the old check).
    // No early stop: "fu" (on bad-words' list but refused by its own confirmation) used to end the search.
    ['Kung fu movies are great, and you are a fucking idiot.', true],
    ['That is bullshit', true],
    ['what a jackass', true],
    ['f#ck this', true],
    ['fvck you', true],
    ['you @ss', true],
    ['go to heII', true],
    ['ꜰᴜᴄᴋ you', true],
    ['fu\u2800ck you', true],
    ['fu\u3164ck off', true],
    ['sh\u200bit', true],
    ['fuckery everywhere', true],
    ['bi+ch', true],
    ['Mr Butts came round', false],
    ['Brian Cox said so', false],
    ['Dick Van Dyke sings', false],
    ['homo sapiens evolved', false],
    ['we assess the class', false],
    ['Det är slut nu och jag går hem', false],
    ['God, what the hell happened', false],
    ['a shitake risotto', false],
    ['cocktails at the Hitchcock bar', false],
    ['Kung fu movies are great', false],
    // Added after reading the misses of the hand-checked sample (EVALUATION.md).
    ["will get f'cked up", true],
    ['all the hoes loyal', true],
    ['weeding with a garden hoe', false],
    ['like a beeeeoch', true],
    ['you repubtards', true],
    ["the bitch's car", true],
    ["it's fine, isn't it", false],
  ])('%s → %s', (text, expected) => {
    expect(check(text).length > 0).toBe(expected)
    expect(shared(text).length > 0).toBe(expected)
  })

  it('reads past a harmless hit to the profane word after it', () => {
    expect(check('Kung fu and sh and $$ then shit')).toEqual(['shit'])
  })

  it("moderators' lists: a profane word of their own, and an allowed word (a surname)", () => {
    expect(check('you are a zorgle')).toEqual([])
    expect(check('you are a zorgle', { profane: new WordSet(['zorgle']) })).toEqual(['zorgle'])
    expect(check('ask dick about it')).not.toEqual([])
    expect(check('ask dick about it', { allowed: new WordSet(['dick']) })).toEqual([])
  })
})

describe.each(backends)('profanity and allowed word lists through the API ($name)', (backend) => {
  const t = appForSuite(backend)
  it('PUT /api/admin/words takes profanity and allowed; a comment is held or not by them', async () => {
    const put = await t.admin('PUT', '/words', { profanity: ['zorgle'], allowed: ['Cox', 'dick'] })
    expect(put.status).toBe(200)
    const lists = (await put.json()) as Record<string, string[]>
    expect(lists.profanity).toEqual(['zorgle'])
    expect(lists.allowed).toEqual(['Cox', 'dick'])
    const article = uniqueArticle('prof')
    const held = await t.post(validComment(article, { content: 'what a zorgle you are' }))
    const fine = await t.post(validComment(article, { content: 'ask dick cox about the recipe' }))
    const reasons = async (res: Response) => {
      const id = ((await res.json()) as { comment: { id: string } }).comment.id
      const row = await t.admin('GET', `/comments/${id}`)
      return ((await row.json()) as { reasons: string[] }).reasons
    }
    expect(await reasons(held)).toContain('profanity')
    expect(await reasons(fine)).not.toContain('profanity')
    await t.admin('PUT', '/words', { profanity: [], allowed: [] })
  })
  it('a bad list is refused and changes nothing', async () => {
    const before = await (await t.admin('GET', '/words')).json()
    const res = await t.admin('PUT', '/words', { allowed: ['x'.repeat(101)] })
    expect(res.status).toBe(400)
    expect(await (await t.admin('GET', '/words')).json()).toEqual(before)
  })
})
