// The console's wording (src/admin/console/words.ts): pure functions of what the moderator API answered, checked
// here without a browser; test/console.test.ts and console-day.test.ts see the same words on the page.
import { describe, expect, it } from 'vitest'
import { failureWords, historyWords, named, reasonFilter, reasonWords } from '../src/admin/console/words.js'

describe('reasonWords', () => {
  it.each([
    ['links:1', '1 link'],
    ['links:3', '3 links'],
    ['too_fast', 'posted less than 3 s after the form loaded'],
    ['no_form_token', 'not sent from the comment form'],
    ['bad_form_token', 'form expired or tampered with'],
    ['honeypot', 'filled the field hidden from people (a bot)'],
    ['profanity', 'profanity'],
    ['moderation_word:casino', 'held word “casino”'],
    ['disallowed_word:viagra', 'disallowed word “viagra”'],
    ['spam_score:0.97', 'looks like spam (0.97)'],
    ['some_new_reason', 'some new reason'],
  ])('%s → %s', (reason, words) => {
    expect(reasonWords(reason, 3)).toBe(words)
  })
})

describe('reasonFilter', () => {
  it.each([
    ['links:3', 'links'],
    ['spam_score:0.91', 'spam_score'],
    ['moderation_word:casino', 'moderation_word:casino'],
    ['profanity', 'profanity'],
  ])('%s filters by %s', (reason, filter) => {
    expect(reasonFilter(reason)).toBe(filter)
  })
})

describe('historyWords', () => {
  it('says nothing without a history, and names a first comment', () => {
    expect(historyWords(undefined)).toBeNull()
    expect(historyWords({ pending: 0, approved: 0, spam: 0, trash: 0 })).toBe('First comment from this address')
  })
  it('lists the statuses with comments, approved first', () => {
    expect(historyWords({ pending: 1, approved: 2, spam: 0, trash: 3 })).toBe('Author’s history: 2 approved · 1 other pending · 3 trash')
  })
})

describe('named', () => {
  it('names one comment, or every one with its author', () => {
    expect(named(['12'], { 12: 'Ada' })).toBe('Comment #12 (Ada)')
    expect(named(['12', '13'], { 12: 'Ada' })).toBe('2 comments: #12 (Ada), #13')
  })
})

describe('failureWords', () => {
  it.each([
    [
      { error: 'timeout' as const, status: 0, attempts: 4, target: 'https://hooks.example' },
      'no answer in time from https://hooks.example after 4 attempts',
    ],
    [{ error: 'network' as const, status: 0, attempts: 1, target: 'https://h.example' }, 'network error from https://h.example after 1 attempt'],
    [{ error: 'http_status' as const, status: 410, attempts: 1, target: 'https://h.example' }, 'HTTP 410 from https://h.example after 1 attempt'],
  ])('%o', (failure, words) => {
    expect(failureWords(failure)).toBe(words)
  })
})
