import { Filter } from 'bad-words'
import { foldText, INVISIBLE, stripMarkup, tokenize, unleet } from '../text/normalize.js'
import { WordSet } from './word-set.js'

/**
 * Words on bad-words' list that are not profanity by themselves in ordinary writing: body parts and
 * clinical words, religious words, mild exclamations, surnames. They never flag, alone or together
 * ("God, what the hell happened to the penis study?" is a plain sentence); the hostile phrases built
 * from them ("go to hell") are in STRONG_PHRASES.
 */
export const MILD_WORDS = [
  'god',
  'hell',
  'hells',
  'damn',
  'bloody',
  'crap',
  'sex',
  'sexy',
  'xxx',
  'nazi',
  'nazis',
  'anus',
  'anal',
  'vagina',
  'penis',
  'vulva',
  'labia',
  'clitoris',
  'breasts',
  'boob',
  'boobs',
  'butt',
  'butts',
  'bum',
  'balls',
  'screw',
  'screwing',
  'lust',
  'lusting',
  'horny',
  'pawn',
  'sadist',
  'masochist',
  'masokist',
  'enema',
  'rectum',
  'semen',
  'poop',
  'porn',
  'porno',
  'pornography',
  'preteen',
  'fart',
  'orifice',
  'oriface',
  'feces',
  'foreskin',
  'testicle',
  'testical',
  'scrotum',
  'pissed',
  'knob',
  'knobs',
  'fanny',
  'willy',
  'willies',
  'wang',
  'cox',
  'dink',
  'dinks',
  'flange',
  'snatch',
  'muff',
  'nob',
  'spac',
  'bugger',
  'turd',
  'shag',
  'viagra',
  'cyalis',
  'v14gra',
  'v1gra',
  'pimpis',
  'schmuck',
  'smut',
  'ejaculate',
  'ejaculated',
  'ejaculation',
  'orgasm',
  'orgasms',
  'lesbo',
  'gaysex',
  'hotsex',
  'xrated',
  'phonesex',
  'dominatrix',
  'booty',
  'piss',
  'pisses',
  'pissing',
  'jerk',
  'mutha',
  'muther',
  'kondum',
  'kondums',
  'poontsee',
  'flipping the bird',
  'God-damned',
  'god-dam',
  'goddamn',
  'goddamned',
  'boner',
]

/**
 * Entries of bad-words' list that are ordinary words elsewhere: in other languages (Italian "perse",
 * Indonesian "merdeka", Norwegian "helvete", Czech "pula"), or surnames and fragments ("Ekrem", "Rautenberg").
 */
const NOT_PROFANE = new Set([
  'ekrem',
  'ekto',
  'rautenberg',
  'schaffer',
  'monkleigh',
  'perse',
  'pula',
  'pule',
  'kuk',
  'suka',
  'hui',
  'dupa',
  'faen',
  'helvete',
  'vittu',
  'merd',
  'kanker',
  'muie',
  'picka',
  'yed',
  'mibun',
  'ayir',
  'cipa',
  'chraa',
  'daygo',
  'dego',
  'buceta',
  'dirsa',
  'skribz',
  'nepesaurio',
  'futkretzn',
  'mamhoon',
  'kusi',
  'kyrpa',
  'paska',
  'pillu',
  'fitt',
  'dike',
  'jisim',
  'flikker',
  'andskota',
  'amcik',
  'guiena',
  'huevon',
  'mulkku',
  'orafis',
  'orifiss',
  'nastt',
  'pusse',
  'pussee',
  'h4x0r',
  'lipshits',
  'lipshitz',
  'boiolas',
  'teez',
  'teets',
  'w00se',
  'hoar',
  'hoare',
  'hoor',
  'hoore',
  'pecker',
  'fu',
  'sh',
  'feg',
  'fux',
  'doosh',
  'donkeyribber',
  'rimjaw',
  'sphencter',
  'qahbeh',
  'zabourah',
  'sharmute',
  'sharmuta',
  'shipal',
  'pawn',
  'labia',
  'jap',
  'japs',
  'gook',
  'kraut',
  'screw',
  'mofo',
  'lust',
  'sadist',
])

/** Hostile phrases made of mild words, and compounds bad-words lacks. */
const STRONG_PHRASES = [
  'go to hell',
  'burn in hell',
  'rot in hell',
  'damn you',
  'god damn you',
  'piss off',
  'pissed off',
  'suck my',
  'kiss my ass',
  'up yours',
  'bullshit',
  'horseshit',
  'dipshit',
  'batshit',
  'apeshit',
  'chickenshit',
  'shithead',
  'shitty',
  'shithole',
  'jackass',
  'dumbass',
  'smartass',
  'fatass',
  'asshat',
  'asswipe',
  'dickhead',
  'dickwad',
  'douchebag',
  'douche',
  'dumbfuck',
  'clusterfuck',
  'motherfucker',
  'jerkoff',
  'bitchass',
  'arsehole',
  'wanker',
  'bellend',
  'tosser',
  'prick',
  'twat',
  'bollocks',
  'cocksucker',
  'shitface',
  'fuckface',
  'fuckwit',
  'scumbag',
  'skank',
  'slut',
  'hoe',
  'hoes',
  'thot',
  'thots',
  'beotch',
  'beyotch',
  'biotch',
  'beoch',
  'libtard',
  'repubtard',
  'demtard',
  'fucktard',
  'cumbucket',
]

/** Strong words that may start or end a longer word and still be themselves ("fuckery", "bullshit"); too short or too common inside words otherwise. */
const PREFIXES = ['fuck', 'shit', 'cunt', 'bitch', 'wank', 'twat', 'motherfuck']
const SUFFIXES = ['fuck', 'fucker', 'fuckers', 'fucking', 'fucked', 'shit', 'shits', 'fucks', 'cunt', 'cunts', 'bitch', 'bitches']
/** Words a name may be: written with a capital ("Dick Van Dyke", "Mr Cox"), they are read as names. */
const NAME_LIKE = new Set(['dyke', 'dick', 'dicks', 'cox', 'butts', 'willy', 'wang', 'johnson', 'fanny', 'peter', 'dong', 'knob', 'cock', 'slag'])
/** Latin names whose first word is on the list ("homo sapiens"). */
/** Words that are ordinary after these ("a garden hoe"). */
const PRECEDED_BY: Record<string, Set<string>> = { hoe: new Set(['garden', 'dutch', 'draw', 'stirrup']), hoes: new Set(['garden', 'dutch']) }
const FOLLOWED_BY: Record<string, Set<string>> = {
  homo: new Set([
    'sapiens',
    'sapien',
    'erectus',
    'habilis',
    'neanderthalensis',
    'floresiensis',
    'naledi',
    'ergaster',
    'heidelbergensis',
    'genus',
    'economicus',
    'ludens',
    'faber',
  ]),
}
/** A word that is ordinary in a language: "slut" is "end" in Swedish and Danish. */
const IN_LANGUAGE: Record<string, { word: string; clues: Set<string> }> = {
  slut: {
    word: 'slut',
    clues: new Set([
      'och',
      'att',
      'det',
      'som',
      'inte',
      'jag',
      'med',
      'har',
      'till',
      'och',
      'til',
      'ikke',
      'er',
      'paa',
      'pa',
      'af',
      'av',
      'tack',
      'ar',
      'kommer',
      'bra',
      'mycket',
      'en',
      'ett',
      'den',
      'var',
      'nu',
      'sa',
      'for',
    ]),
  },
}

/** The listed words found in a text (at most `limit`: the checks need only the first). */
export type ProfanityCheck = (text: string, lists?: { profane?: WordSet; allowed?: WordSet }, limit?: number) => string[]

// Characters a word may be disguised with: leetspeak, masks (f*ck, f#ck), and a + for t (bi+ch).
const TOKEN = /[\p{L}\p{N}$@*!#+]+(?:['’][\p{L}\p{N}$@*!#+]+)*/gu
const MASKS = /[*#]/g
const CAPITAL_I = /(?<=\p{Ll})I+/gu
const EDGES = /^[*!#+@]|[*!#+]$/
const EDGES_ALL = /^[*!#+@]+|[*!#+]+$/g
// eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included
const ASCII = /^[\x00-\x7f]*$/
const HAS_LETTER = /\p{L}/u

/** Tokens with their case kept (for names and the capital I read as l), and their plain folded form. */
function tokens(text: string): { raw: string; word: string; alts: string[] }[] {
  const out: { raw: string; word: string; alts: string[] }[] = []
  // NFKC first, so full-width and small letters become plain; look-alikes and invisible characters are folded below.
  // "heII": a capital I after a lower-case letter is an l.
  const plain = stripMarkup(text)
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(CAPITAL_I, (m) => 'l'.repeat(m.length))
  // A long text repeats its words: each spelling is read once per text.
  const seen = new Map<string, { raw: string; word: string; alts: string[] } | null>()
  for (const m of plain.matchAll(TOKEN)) {
    const known = seen.get(m[0])
    if (known !== undefined) {
      if (known !== null) out.push(known)
      continue
    }
    const t = readToken(m[0])
    seen.set(m[0], t)
    if (t !== null) out.push(t)
  }
  return out
}

/** One token as the check reads it, or null for a word with no letter. */
function readToken(token: string): { raw: string; word: string; alts: string[] } | null {
  let raw = token
  const atStart = raw.charCodeAt(0) === 64 // '@'
  if (EDGES.test(raw)) raw = raw.replace(EDGES_ALL, '')
  // A word with no letter is a number or symbols: never on a list (and the bulk of a text made of digits).
  if (raw === '' || !HAS_LETTER.test(raw)) return null
  let word = ASCII.test(raw) ? raw.toLowerCase() : foldText(raw)
  if (word.includes('*') || word.includes('#')) word = word.replace(MASKS, '*')
  if (word.includes('+')) word = word.replaceAll('+', 't') // "bi+ch"
  const alts: string[] = []
  if (word.includes("'") || word.includes('’')) {
    // "f'cked" is a masked word; "bitch's" is a possessive.
    alts.push(word.replace(/['’]s$/, '').replace(/['’]/g, ''))
    alts.push(word.replace(/['’]/g, '*'))
    word = word.replace(/['’]s$/, '')
  }
  if (atStart) alts.push(unleet('@' + word)) // "@ss"
  if (word.includes('v')) alts.push(word.replaceAll('v', 'u')) // "fvck"
  return { raw, word, alts }
}

/**
 * Built once per process: bad-words supplies most of the list (minus MILD_WORDS and NOT_PROFANE, plus
 * STRONG_PHRASES); matching runs on whole words of folded text, so disguised spellings (f*ck, f#ck,
 * fvck, $hit, @ss, heII, Cyrillic look-alikes, small capitals, invisible fillers) are caught and
 * "Scunthorpe", "assess" and "Kung fu" are not. Every word is read: a harmless hit never hides a later one.
 * Returns the listed words found (empty: none).
 */
export function createProfanityCheck(): ProfanityCheck {
  const filter = new Filter()
  const mild = new WordSet(MILD_WORDS)
  const entries = filter.list
    .map((w) => w.replace(/;$/, ''))
    .filter((w) => {
      // Entries that are fragments once read as words ("shi+", "bi+ch", "s.o.b.", "$$", "Fu(") are left
      // out: the disguises they stood for are read from the text instead.
      if (/[+(.]/.test(w)) return false
      const parts = tokenize(foldText(w)).map(unleet)
      const spelled = parts.length >= 4 && parts.every((p) => p.length === 1) // "f u c k"
      if (!spelled && parts.some((p) => p.length < 3)) return false
      const base = parts.join(' ')
      return mild.findIn(w) === null && !NOT_PROFANE.has(base)
    })
  const strong = new WordSet([...entries, ...STRONG_PHRASES])

  return (text, lists = {}, limit = Infinity) => {
    const toks = tokens(text)
    const found: string[] = []
    const words = toks.map((t) => t.word)
    const allowed = lists.allowed
    // A spelling read once and found clean, none of whose readings starts a phrase, is clean wherever it
    // comes again (tokens() gives one object per spelling).
    const clean = new Set<object>()
    const startsPhrase = (c: string) =>
      strong.startsPhrase(c) ||
      strong.startsPhrase(unleet(c)) ||
      (lists.profane !== undefined && (lists.profane.startsPhrase(c) || lists.profane.startsPhrase(unleet(c))))
    const languageClues: Record<string, number> = {}
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!
      if (clean.has(t)) continue
      const candidates = [t.word, ...t.alts]
      let hit: string | null = null
      for (const c of candidates) {
        hit = strong.startsAt(c, words, i + 1) ?? lists.profane?.startsAt(c, words, i + 1) ?? compound(c)
        if (hit !== null) break
      }
      if (hit === null) {
        if (!candidates.some(startsPhrase)) clean.add(t)
        continue
      }
      const base = unleet(t.word)
      if (allowed && (allowed.find([t.word]) !== null || allowed.find([base]) !== null)) continue
      if (NAME_LIKE.has(base) && /^\p{Lu}\p{Ll}+$/u.test(t.raw)) continue
      const next = words[i + 1]
      if (next !== undefined && FOLLOWED_BY[base]?.has(next)) continue
      const previous = words[i - 1]
      if (previous !== undefined && PRECEDED_BY[base]?.has(previous)) continue
      const lang = IN_LANGUAGE[base]
      // Counted once per text and language: a text of 10,000 such words costs one pass, not 10,000.
      if (lang && (languageClues[base] ??= words.filter((w) => lang.clues.has(w)).length) >= 2) continue
      found.push(hit)
      if (found.length >= limit) break
    }
    return found
  }
}

/** "bullshit", "fuckery", "motherfucking": a strong word at the start or end of a longer word. */
/** Words that start or end like a strong word and are not one. */
const NOT_COMPOUNDS = new Set(['shitake', 'shitakes', 'cuntal'])

function compound(word: string): string | null {
  if (word.length < 6 || !/^[a-z]+$/.test(word) || NOT_COMPOUNDS.has(word)) return null
  for (const p of PREFIXES) if (word.startsWith(p)) return p
  for (const s of SUFFIXES) if (word.endsWith(s)) return s
  return null
}
