import { describe, expect, it } from 'vitest'
import { linksCheck, wordsCheck, submissionWords, honeypotCheck, adjustedScore } from '../src/moderation/checks.js'
import { countLinks } from '../src/moderation/links.js'
import { decide } from '../src/moderation/pipeline.js'
import { WordSet } from '../src/moderation/word-set.js'

describe('word lists: whole words on normalized text', () => {
  const list = new WordSet(['casino', 'viagra', 'cheap pills', 'ass'])
  it.each([
    ['Visit our CASINO tonight', 'casino'],
    ['casinos everywhere', 'casino'],
    ['Scunthorpe United won', null],
    ['a classic assessment of the class', null],
    ['сasіno in Cyrillic look-alikes', 'casino'],
    ['ｃａｓｉｎｏ in full width', 'casino'],
    ['cas<b></b>ino hidden by markup', 'casino'],
    ['v1agra with leetspeak', 'viagra'],
    ['buy cheap   pills now', 'cheap pills'],
    ['cheap and pills apart', null],
    ['cas\u200bino with a zero-width space', 'casino'],
    ['nothing to see', null],
  ])('%s → %s', (text, expected) => {
    expect(list.findIn(text)).toBe(expected)
  })

  it('an entry full of regex syntax is matched literally', () => {
    const tricky = new WordSet(['(a+)+$', '.*'])
    expect(tricky.findIn('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')).toBeNull()
  })
})

describe('wordsCheck reads name, email, url, text and user agent; spam words win', () => {
  const lists = { moderation: new WordSet(['crypto']), disallowed: new WordSet(['casino']) }
  const base = { author: 'Ada', email: 'ada@example.com', url: null as string | null, content: 'Hello', userAgent: 'Mozilla/5.0' }
  it.each([
    [{}, []],
    [{ author: 'Casino King' }, ['disallowed_word:casino']],
    [{ email: 'best.casino@example.com' }, ['disallowed_word:casino']],
    [{ url: 'https://casino.example' }, ['disallowed_word:casino']],
    [{ userAgent: 'CasinoBot/1.0' }, []],
    [{ userAgent: 'casino bot' }, ['disallowed_word:casino']],
    [{ content: 'crypto tips' }, ['moderation_word:crypto']],
    [{ content: 'crypto casino' }, ['disallowed_word:casino']],
  ])('%o → %o', (override, expected) => {
    expect(wordsCheck(submissionWords({ ...base, ...override }), lists)).toEqual(expected)
  })
})

describe('links, including ones written without http', () => {
  it.each([
    ['no links here', 0],
    ['see http://a.example.com and https://b.org/x', 2],
    ['www.x.com', 1],
    ['bit.ly/abc', 1],
    ['go to example dot com', 1],
    ['kidsmediausa  . com', 1],
    ['<a href="https://x.example">here</a>', 1],
    ['version 2.0 of node.js', 0],
  ])('%s → %i', (text, n) => {
    expect(countLinks(text)).toBe(n)
  })
  it.each([
    [{ author: 'Ada', content: 'one http://a.com' }, []],
    [{ author: 'Ada', content: 'http://a.com and www.b.com' }, ['links:2']],
    [{ author: 'cheap-pills.com', content: 'hello' }, ['links:1']],
  ])('linksCheck %o → %o', (s, expected) => {
    expect(linksCheck(s, 2)).toEqual(expected)
  })
})

describe('decide', () => {
  it.each([
    [[], 0.1, 'pending'],
    [['honeypot'], 0.1, 'spam'],
    [['disallowed_word:casino'], null, 'spam'],
    [['links:3', 'profanity', 'moderation_word:x', 'no_form_token'], 0.5, 'pending'],
    [[], 0.96, 'spam'],
    [[], 0.95, 'pending'],
  ] as const)('%o with score %s → %s', (reasons, score, status) => {
    expect(decide([...reasons], score, 0.95).status).toBe(status)
  })
  it('honeypot check', () => {
    expect(honeypotCheck({ website: 'http://x' })).toEqual(['honeypot'])
    expect(honeypotCheck({ website: '  ' })).toEqual([])
    expect(honeypotCheck({ website: undefined })).toEqual([])
  })
  it('form-token reasons raise the score, never lower it', () => {
    expect(adjustedScore(0.5, [])).toBe(0.5)
    expect(adjustedScore(0.5, ['no_form_token'])).toBeGreaterThan(0.5)
    expect(adjustedScore(0.5, ['too_fast'])).toBeGreaterThan(adjustedScore(0.5, ['no_form_token']))
  })
})
