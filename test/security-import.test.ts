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

  it('a comment whose fields are over its budget (80 KiB in all) is skipped unread, whichever field is long', { timeout: 20_000 }, () => {
    const base = planImport(parseWxr(fixture), { key: 'path' })
    const long = ' \t<a'.repeat(25_000)
    // Each in Ann's comment, which is otherwise imported.
    const ann: Record<'url' | 'agent' | 'ip' | 'email', [from: string, to: string]> = {
      url: [
        '<wp:comment_author_url>https://ann.example/</wp:comment_author_url>',
        `<wp:comment_author_url><![CDATA[https://ann.example/${long}]]></wp:comment_author_url>`,
      ],
      agent: ['<wp:comment_author_IP>', `<wp:comment_agent><![CDATA[${long}]]></wp:comment_agent><wp:comment_author_IP>`],
      ip: ['<![CDATA[203.0.113.42]]>', `<![CDATA[${long}]]>`],
      email: ['Ann.Example@Mail.example', `Ann.Example@Mail.example${long}`],
    }
    for (const [tag, [from, to]] of Object.entries(ann)) {
      const plan = planImport(parseWxr(fixture.replace(from, to)), { key: 'path' })
      expect(plan.skipped.too_long, tag).toBe(base.skipped.too_long + 1)
      expect(plan.comments.length, tag).toBe(base.comments.length - 1)
    }
    // Under it, the comment is read.
    const plan = planImport(parseWxr(fixture.replace(ann.agent[0], ann.agent[1].replace(long, 'x'.repeat(10_000)))), { key: 'path' })
    expect(plan.comments.length).toBe(base.comments.length)
  })
})
