import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hasPhoneNumber, signals } from '../src/moderation/signals.js'

const reasonsOf = (content: string, author = 'Dana', url: string | null = null) =>
  signals({ author, content, url }).map((s) => s.reason.split(':')[0])

describe('phone numbers', () => {
  it.each([
    ['Call +1 (555) 123-4567 today', true],
    ['WhatsApp 0044 7700 900123', true],
    ['ring 9876543210', true],
    ['the year 2019 and 2020', false],
    ['a 20-digit id 12345678901234567890', false],
    [`request id ${randomUUID()}`, false],
    ['commit 3f9a1c2b4d5e6f708192a3b4c5d6e7f8091a2b3c', false],
    ['serial AB123456789CD', false],
  ])('%s → %s', (text, expected) => {
    expect(hasPhoneNumber(text)).toBe(expected)
  })
  it('a UUID in a plain comment raises no signal at all', () => {
    for (let i = 0; i < 50; i++) expect(reasonsOf(`A thoughtful comment ${randomUUID()}`)).toEqual([])
  })
})
