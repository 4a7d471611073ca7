// The WordPress import reads hostile text in time linear in its size (security review L5).
// No timing is asserted: the old code took minutes on these inputs, far past the test's timeout.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { htmlToText } from '../src/import/html-text.js'
import { parseWxr, planImport } from '../src/import/wordpress.js'

const fixture = readFileSync(new URL('./fixtures/wordpress-export.xml', import.meta.url), 'utf8')

describe('importing hostile text', () => {
  it('long runs of spaces and tabs without a newline, and "<" without ">", are read as text', { timeout: 20_000 }, () => {
    const spaces = ` \t`.repeat(32_000)
    expect(htmlToText(`a${spaces}b${spaces}\nc`)).toBe(`a${spaces}b\nc`)
    const lt = '<a'.repeat(32_000)
    expect(htmlToText(`x${lt}`)).toBe(`x${lt}`)
    expect(htmlToText(`<!${'<!'.repeat(32_000)}`)).toBe(`<!${'<!'.repeat(32_000)}`)
    expect(htmlToText('one <b>bold</b> <a href="https://x.example/">link</a>\n\n\n\ntwo  \n')).toBe('one bold link (https://x.example/)\n\ntwo')
  })

  it('an author name of 300 KB is cut before it is read: the import plans at once, the name at 100 characters', { timeout: 20_000 }, () => {
    const huge = `Bob${' \t'.repeat(150_000)}x`
    const plan = planImport(parseWxr(fixture.replace('<![CDATA[Bob]]>', `<![CDATA[${huge}]]>`)), { key: 'path' })
    const bob = plan.comments.find((c) => c.author.startsWith('Bob'))!
    expect(bob.author).toBe('Bob')
    expect(plan.comments.every((c) => c.author.length <= 100)).toBe(true)
  })
})
