/**
 * WordPress keeps a comment as HTML-ish text (kses-filtered tags, entities, newlines that wpautop turns
 * into paragraphs at display time). Parley keeps what the reader wrote as plain text and makes its own
 * safe HTML from it, so an import turns the one into the other: tags dropped (script and style with their
 * contents), entities decoded, paragraphs and line breaks kept as blank lines and newlines, and a link's
 * address kept after its text. Pure string work: runs anywhere.
 */

// Latin-1 (160–255) in code point order, then the typographic ones WordPress text is full of.
const latin1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute ' +
  'micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig ' +
  'Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash ' +
  'Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc ' +
  'euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml ' +
  'yacute thorn yuml'

export const namedEntities: Record<string, string> = {
  ...Object.fromEntries(latin1.split(' ').map((name, i) => [name, String.fromCodePoint(160 + i)])),
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  ndash: '\u2013',
  mdash: '\u2014',
  lsquo: '\u2018',
  rsquo: '\u2019',
  sbquo: '\u201a',
  ldquo: '\u201c',
  rdquo: '\u201d',
  bdquo: '\u201e',
  dagger: '\u2020',
  Dagger: '\u2021',
  bull: '\u2022',
  hellip: '\u2026',
  permil: '\u2030',
  prime: '\u2032',
  Prime: '\u2033',
  lsaquo: '\u2039',
  rsaquo: '\u203a',
  euro: '\u20ac',
  trade: '\u2122',
  OElig: '\u0152',
  oelig: '\u0153',
  Scaron: '\u0160',
  scaron: '\u0161',
  Yuml: '\u0178',
  fnof: '\u0192',
  circ: '\u02c6',
  tilde: '\u02dc',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  zwnj: '\u200c',
  zwj: '\u200d',
  lrm: '\u200e',
  rlm: '\u200f',
  larr: '\u2190',
  rarr: '\u2192',
  uarr: '\u2191',
  darr: '\u2193',
  harr: '\u2194',
  minus: '\u2212',
  le: '\u2264',
  ge: '\u2265',
  ne: '\u2260',
  infin: '\u221e',
  hearts: '\u2665',
  spades: '\u2660',
  clubs: '\u2663',
  diams: '\u2666',
}

/** Decodes named (the table above; others are left as written) and numeric character references. */
export function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g, (whole, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return namedEntities[name] ?? whole
    const code = dec !== undefined ? Number(dec) : parseInt(hex ?? '', 16)
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
    return valid ? String.fromCodePoint(code) : '\ufffd'
  })
}

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
