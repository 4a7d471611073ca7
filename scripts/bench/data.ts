// The bench's synthetic commenters and texts (WORKLOADS.md): deterministic from a seed, so runs are comparable.

export const NAMES = [
  'Ada',
  'Ben',
  'Cleo',
  'Dev',
  'Eve',
  'Finn',
  'Gia',
  'Hugo',
  'Ines',
  'Jon',
  'Kai',
  'Lena',
  'Milo',
  'Nora',
  'Otto',
  'Pia',
  'Quinn',
  'Rosa',
  'Sam',
  'Tess',
  'Uma',
  'Vic',
  'Wren',
  'Xavi',
  'Yara',
  'Zed',
] as const
export const MAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example'] as const
export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
] as const

// Plain, inoffensive words without links: the texts model ordinary readers, not spam.
const WORDS = (
  'the a this that article point good great idea think agree disagree really very much more less about ' +
  'reading thanks author post example story data chart number result question answer reason because maybe ' +
  'perhaps clear interesting useful helpful detail section part first second last next year week today city ' +
  'river garden kitchen music book film school team project plan change update note method model value small ' +
  'large quick slow early late simple careful honest fair open quiet bright warm cold green blue paper table ' +
  'window street market bridge train coffee bread letter picture travel summer winter morning evening history'
).split(' ')

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same bench data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function words(random: () => number, min: number, max: number): string {
  const n = min + Math.floor(random() * (max - min + 1))
  const out: string[] = []
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(random() * WORDS.length)]!)
  const text = out.join(' ')
  return text.charAt(0).toUpperCase() + text.slice(1) + '.'
}

/** Text of about `length` characters (whole words), ending in a full stop. */
export function textOfLength(random: () => number, length: number): string {
  let text = ''
  while (text.length < length - 8) text += (text ? ' ' : '') + WORDS[Math.floor(random() * WORDS.length)]!
  return text.charAt(0).toUpperCase() + text.slice(1) + '.'
}

/** One of 26 names × 5,000 numbers. */
export function authorName(n: number): string {
  return `${NAMES[n % NAMES.length]} ${Math.floor(n / NAMES.length) % 5000}`
}

/** A distinct address per n, over the four mail domains. */
export function email(tag: string, n: number): string {
  return `${tag}.${n}@${MAIL_DOMAINS[n % MAIL_DOMAINS.length]}`
}

/**
 * A client address in its own /24 for every n (262,144 of them per space), so no per-IP rule
 * ever sees two posts from one client. Each load run takes its own space (0–48).
 */
export function clientIp(space: number, n: number): string {
  const a = 11 + (space % 49) * 4 + ((n >>> 16) & 3)
  return `${a}.${(n >>> 8) & 0xff}.${n & 0xff}.${1 + (n % 250)}`
}
