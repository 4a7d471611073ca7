import { normalizeText } from '../text/normalize.js'

// Top-level domains spammers write out in words ("example dot com"); the list only limits the spelled-out form.
const TLD = '(?:com|net|org|info|biz|ru|io|ly|co|us|uk|de|fr|me|tv|gl|gd|xyz|online|site|top|club|shop|app|link|live|tk|in|cc|to)'
/** A fixed pattern (no user input in it): scheme links, www., and domains written with "." or " dot ". */
const LINK = new RegExp(
  [
    String.raw`\bhttps?\s*:\s*//[^\s<>"]+`,
    String.raw`\bwww\s*\.\s*[a-z0-9-]+(?:\.[a-z0-9-]+)*[^\s<>"]*`,
    // Not from inside a hyphenated run: read from every hyphen, a run of ids would cost 62 steps a hyphen.
    String.raw`(?<![a-z0-9-])[a-z0-9][a-z0-9-]{1,62}(?:\.[a-z0-9-]{2,63}){0,8}\s{0,2}(?:\.|\(dot\)|\[dot\]|\sdot\s)\s{0,2}${TLD}\b(?:/[^\s<>"]*)?`,
  ].join('|'),
  'gi',
)
// An anchor's attributes end at the next < or >: "<a <a <a …" costs one pass (a scan to any '>' made it quadratic).
const HREF = /<a\s[^<>]*href\s*=/gi

/** How many links a text holds, including links in markup and ones written without "http" (bit.ly/x, example dot com). */
export function countLinks(text: string): number {
  const inMarkup = text.includes('<') ? (text.match(HREF)?.length ?? 0) : 0
  const written = normalizeText(text).match(LINK)?.length ?? 0
  return Math.max(inMarkup, written)
}

/** An author "name" that is a link is a classic spam signature. */
export function isLinkLike(name: string): boolean {
  return countLinks(name) > 0
}
