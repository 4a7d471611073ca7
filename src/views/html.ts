const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => entities[ch]!)
}

// http(s) URLs and bare www. hosts; trailing punctuation is left out of the link.
const linkPattern = /\b(?:https?:\/\/|www\.)[^\s<>"']+[^\s<>"'.,;:!?)\]}]/gi

function linkify(line: string): string {
  let out = ''
  let last = 0
  for (const match of line.matchAll(linkPattern)) {
    const raw = match[0]
    const start = match.index
    out += escapeHtml(line.slice(last, start))
    const href = /^https?:\/\//i.test(raw) ? raw : `https://${raw}`
    out += `<a href="${escapeHtml(href)}" rel="nofollow ugc noopener">${escapeHtml(raw)}</a>`
    last = start + raw.length
  }
  return out + escapeHtml(line.slice(last))
}

/**
 * Safe HTML from a comment's text: everything escaped, blank lines make paragraphs,
 * single newlines make <br>, URLs become nofollow links. No markup from the commenter passes.
 */
export function renderCommentHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n[ \t]*\n+/)
    .map((para) => `<p>${para.trim().split('\n').map(linkify).join('<br>')}</p>`)
    .join('')
}
