/**
 * Text normalization shared by the word lists, the profanity check and the classifier:
 * markup stripped, Unicode folded (NFKC, accents, common Cyrillic/Greek look-alikes), lowercased.
 * Nothing here builds a regular expression from user input.
 */
import { decodeHTMLStrict } from 'entities/decode'

// Block-level tags separate words; inline tags (<b>, <span>) may sit inside one ("fu<b>ck</b>").
// A tag ends at the first '>' and never spans another '<': each scan stops at the next '<', so a text
// of repeated "<p " costs one pass (a tag body matched up to any '>' made it quadratic).
const BLOCK_TAG = /<\/?(?:p|br|div|li|ul|ol|tr|td|th|h[1-6]|blockquote|pre|hr|table|section|article)\b[^<>]*>/gi
const ANY_TAG = /<\/?[a-z!][^<>]*>/gi
// Invisible and blank-looking characters that can sit inside a word: soft hyphen, joiners, variation
// selectors, Hangul and half-width fillers, the Braille blank, Khmer vowel fillers, tag characters.
/* eslint-disable no-misleading-character-class -- lone combining and joining characters are what is matched */
export const INVISIBLE =
  /[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2800\u3164\ufe00-\ufe0f\uffa0\ufeff]|\udb40[\udc00-\udc7f]/g
/* eslint-enable no-misleading-character-class */

/** Removes HTML tags and entities so markup cannot hide a word. */
export function stripMarkup(text: string): string {
  if (!text.includes('<') && !text.includes('&')) return text
  // Every named and numeric reference (the entities package, as the WordPress import decodes them).
  return decodeHTMLStrict(text.replace(BLOCK_TAG, ' ').replace(ANY_TAG, ''))
}

// Cyrillic and Greek letters that look like Latin ones (after lowercasing).
const CONFUSABLES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  з: '3',
  и: 'u',
  й: 'u',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  п: 'n',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ь: 'b',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ӏ: 'l',
  α: 'a',
  β: 'b',
  γ: 'y',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  μ: 'u',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  σ: 'o',
  ς: 'c',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  // Small capitals (ꜰᴜᴄᴋ), which NFKC leaves as they are.
  ᴀ: 'a',
  ʙ: 'b',
  ᴄ: 'c',
  ᴅ: 'd',
  ᴇ: 'e',
  ꜰ: 'f',
  ɢ: 'g',
  ʜ: 'h',
  ɪ: 'i',
  ᴊ: 'j',
  ᴋ: 'k',
  ʟ: 'l',
  ᴍ: 'm',
  ɴ: 'n',
  ᴏ: 'o',
  ᴘ: 'p',
  ǫ: 'q',
  ʀ: 'r',
  ꜱ: 's',
  ᴛ: 't',
  ᴜ: 'u',
  ᴠ: 'v',
  ᴡ: 'w',
  ʏ: 'y',
  ᴢ: 'z',
}
// eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included
const NON_ASCII_LETTER = /[^\u0000-\u007f]/

/** NFKC, lowercase, accents dropped, look-alike letters mapped to Latin, invisible characters removed. */
export function foldText(text: string): string {
  let out = text.normalize('NFKC').toLowerCase().replace(INVISIBLE, '')
  if (!NON_ASCII_LETTER.test(out)) return out
  out = out
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC')
  let folded = ''
  for (const ch of out) folded += CONFUSABLES[ch] ?? ch
  return folded
}

// The checks normalize the same long text several times per review (word lists, signals, links, the
// classifier): the last few long results are kept. A pure function, so a kept result is always right.
// Only texts of MEMO_MIN characters or more are kept: never an email address (at most 254).
const MEMO_MIN = 256
const memo: { text: string; out: string }[] = []

/** The text as the checks compare it: no markup, folded. */
export function normalizeText(text: string): string {
  if (text.length < MEMO_MIN) return foldText(stripMarkup(text))
  for (const m of memo) if (m.text === text) return m.out
  const out = foldText(stripMarkup(text))
  memo.unshift({ text, out })
  if (memo.length > 4) memo.pop()
  return out
}

// A token may hold the characters people use to disguise letters ($hit, a$$, f*ck, b!tch, sh1t).
const TOKEN = /[\p{L}\p{N}$@*!]+/gu

const tokenMemo: { text: string; out: readonly string[] }[] = []

/**
 * Words of normalized text, with disguise characters kept inside a word but not around it. The words of
 * the last few long texts are kept (the word lists, the signals and the classifier read the same text):
 * the array is shared, hence read-only.
 */
export function tokenize(normalized: string): readonly string[] {
  if (normalized.length < MEMO_MIN) return splitTokens(normalized)
  for (const m of tokenMemo) if (m.text === normalized) return m.out
  const out = splitTokens(normalized)
  tokenMemo.unshift({ text: normalized, out })
  if (tokenMemo.length > 4) tokenMemo.pop()
  return out
}

function splitTokens(normalized: string): string[] {
  const tokens: string[] = []
  for (const match of normalized.matchAll(TOKEN)) {
    let t = match[0]
    let start = 0
    let end = t.length
    while (start < end && (t[start] === '*' || t[start] === '!' || t[start] === '@')) start++
    while (end > start && (t[end - 1] === '*' || t[end - 1] === '!' || t[end - 1] === '@')) end--
    if (start > 0 || end < t.length) t = t.slice(start, end)
    if (t !== '') tokens.push(t)
  }
  return tokens
}

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' }
const HAS_LETTER = /\p{L}/u
const LEET_CHAR = /[0-9@$!]/

/** Leetspeak read as letters ($hit → shit), only in words that have letters, so numbers stay numbers. */
export function unleet(token: string): string {
  if (!LEET_CHAR.test(token) || !HAS_LETTER.test(token)) return token
  let out = ''
  for (const ch of token) out += LEET[ch] ?? ch
  return out
}

/** The spellings a disguised word may stand for: leetspeak read as letters, letters drawn out 3+ times shortened (fuuuck → fuck). */
export function variants(token: string): string[] {
  const out: string[] = []
  const base = unleet(token)
  if (base !== token) out.push(base)
  if (/(.)\1\1/u.test(base)) out.push(base.replace(/(.)\1+/gu, '$1'))
  return out
}

/** Collapses every run of a repeated character to one: how drawn-out words are compared. */
export function collapseRuns(word: string): string {
  return word.replace(/(.)\1+/gu, '$1')
}
