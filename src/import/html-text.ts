/**
 * WordPress keeps a comment as HTML-ish text (kses-filtered tags, entities, newlines that wpautop turns
 * into paragraphs at display time). Parley keeps what the reader wrote as plain text and makes its own
 * safe HTML from it, so an import turns the one into the other: tags dropped (script and style with their
 * contents), entities decoded, paragraphs and line breaks kept as blank lines and newlines, and a link's
 * address kept after its text. Pure string work: runs anywhere.
 */
import { decodeHTMLStrict } from 'entities/decode'

// Every named reference HTML knows (about 2,200) and numeric ones, each ending in ";" as WordPress writes them;
// an unknown name stays as written, a number that is no character becomes U+FFFD.
export const decodeEntities = decodeHTMLStrict

/** Elements that start and end a paragraph of their own. */
const blocks = new Set([
  'p',
  'div',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'tr',
  'hr',
  'section',
  'article',
  'header',
  'footer',
  'figure',
  'figcaption',
  'address',
])
/** Elements whose contents are never text a reader sees. */
const hidden = new Set(['script', 'style', 'template', 'iframe', 'object', 'embed', 'noscript', 'textarea', 'select'])

// `[^<>]` rather than `[^>]`: a tag never runs past the next "<", so text like "<a<a<a…" without a ">" is read
// in linear time (with `[^>]*` each "<" scanned to the end of the text: quadratic, minutes for 64 KB).
const markup = /<!--[\s\S]*?(?:-->|$)|<![^<>]*>|<\?[^<>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b([^<>]*)>/g
const hrefAttribute = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i

function sameAddress(text: string, href: string): boolean {
  const bare = (s: string) =>
    s
      .trim()
      .replace(/^https?:\/\//i, '')
      .replace(/^www\./i, '')
      .replace(/\/+$/, '')
      .toLowerCase()
  return bare(text) === bare(href)
}

/** The plain text of a WordPress comment's content, as its reader wrote it. */
export function htmlToText(html: string): string {
  let out = ''
  let last = 0
  // The open <a href>: where its text starts in `out`, and the address to keep after it.
  let link: { start: number; href: string } | undefined
  const source = html.replace(/\r\n?/g, '\n')
  markup.lastIndex = 0
  for (let m = markup.exec(source); m; m = markup.exec(source)) {
    out += decodeEntities(source.slice(last, m.index))
    last = markup.lastIndex
    const [, closing, rawName, attributes = ''] = m
    if (rawName === undefined) continue // a comment, doctype or processing instruction
    const name = rawName.toLowerCase()
    if (hidden.has(name) && !closing) {
      // Skip to the matching end tag (or to the end, when it never comes).
      const end = new RegExp(`</${name}\\s*>`, 'i').exec(source.slice(last))
      last = end ? last + end.index + end[0].length : source.length
      markup.lastIndex = last
    } else if (name === 'br') {
      out += '\n'
    } else if (name === 'li') {
      if (!closing) out += '\n- '
    } else if (name === 'td' || name === 'th') {
      out += ' '
    } else if (blocks.has(name)) {
      out += '\n\n'
    } else if (name === 'a' && !closing) {
      const found = hrefAttribute.exec(attributes)
      const href = found ? decodeEntities(found[1] ?? found[2] ?? found[3] ?? '').trim() : ''
      link = /^https?:\/\/[^\s]+$/i.test(href) ? { start: out.length, href } : undefined
    } else if (name === 'a' && link) {
      const text = out.slice(link.start)
      if (!sameAddress(text, link.href)) out += text.trim() ? ` (${link.href})` : link.href
      link = undefined
    }
  }
  out += decodeEntities(source.slice(last))
  // Line by line, in linear time: /[ \t]+\n/ retried at every space of a long run without a newline is quadratic.
  return out
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map(trimSpacesEnd)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** The line without trailing spaces and tabs. */
function trimSpacesEnd(line: string): string {
  let end = line.length
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--
  return line.slice(0, end)
}
