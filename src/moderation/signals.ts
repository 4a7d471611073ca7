import { foldText, normalizeText, stripMarkup, tokenize, unleet } from '../text/normalize.js'

/**
 * Signals that hold on any site: pure checks over one comment, each giving a reason moderators see
 * and a weight (log-odds added to the spam score). They need no training and no decisions, so a new
 * site has them from its first comment. Every check reads the whole comment, once or a few times, at a
 * cost linear in its length: no regular expression here can backtrack more than a fixed amount per
 * character, and no expression is built from input.
 *
 * The weights were set by hand from what each signal means (EVALUATION.md says how they were checked,
 * and on which data).
 */
export type Signal = { reason: string; weight: number }

export type SignalInput = { author: string; url: string | null; content: string }
export type SignalOptions = { siteLanguages?: readonly string[] }

// --- phrase lists -------------------------------------------------------------------------------------

/** Spam topics, written as whole words of normalized text (plurals match too). */
const TOPICS: Record<string, string[]> = {
  pharma: [
    'viagra',
    'cialis',
    'levitra',
    'tramadol',
    'xanax',
    'valium',
    'phentermine',
    'online pharmacy',
    'pharmacy online',
    'buy pills',
    'cheap pills',
    'without prescription',
    'no prescription',
    'erectile dysfunction',
    'kamagra',
    'modafinil',
    'oxycodone',
    'adderall',
    'weight loss pills',
    'diet pills',
    'keto pills',
    'male enhancement',
    'cbd oil',
    'cbd gummies',
    'cbd products',
  ],
  casino: [
    'casino',
    'casinos',
    'online casino',
    'slot machine',
    'slots online',
    'online slots',
    'sports betting',
    'betting tips',
    'online betting',
    'bet online',
    'poker online',
    'online poker',
    'jackpot',
    'free spins',
    'bonus code',
    'judi',
    'togel',
    'sbobet',
    'betting site',
  ],
  loans: [
    'payday loan',
    'payday loans',
    'quick loan',
    'instant loan',
    'loan offer',
    'loan lender',
    'loan agent',
    'personal loan',
    'cash advance',
    'credit repair',
    'bad credit',
    'loan company',
    'business loan',
    'debt relief',
  ],
  essays: [
    'essay writing',
    'write my essay',
    'essay writer',
    'essay service',
    'assignment help',
    'homework help',
    'dissertation writing',
    'dissertation help',
    'assignment writing',
    'academic writing service',
    'our writers',
    'thesis writing',
    'term paper',
    'do my homework',
    'custom essay',
    'essay help',
    'research paper writing',
    'coursework help',
    'do my essay',
    'write my paper',
    'do my assignment',
    'buy essay',
    'pay for essay',
    'paper writing service',
    'essay writers',
  ],
  seo: [
    'seo services',
    'seo company',
    'seo agency',
    'seo expert',
    'backlinks',
    'backlink',
    'link building',
    'guest post',
    'guest posting',
    'web design company',
    'website design company',
    'digital marketing agency',
    'digital marketing company',
    'digital marketing services',
    'social media marketing',
    'website development company',
    'app development company',
    'seo company in',
    'best seo',
    'top seo',
  ],
  support: [
    'printer support',
    'printer offline',
    'antivirus support',
    'geek squad',
    'quickbooks support',
    'quickbooks error',
    'email support',
    'router support',
    'printer setup',
    'printer error',
    'printer issue',
    'printer problem',
    'hp printer',
    'epson printer',
    'canon printer',
    'brother printer',
    'xerox printer',
    'support assistant',
    'outlook password',
    'gmail error',
    'wifi extender',
    'mywifiext',
    'quickbooks',
    'kaspersky',
    'norton antivirus',
    'mcafee',
    'avast',
    'bitdefender',
    'avg antivirus',
    'payment gateway',
  ],
  // Words of any help desk: the support scam's, but also a reader's correcting a number (weak).
  helpdesk: [
    'support number',
    'support phone number',
    'customer service number',
    'customer care number',
    'helpline number',
    'help line number',
    'toll free',
    'tollfree',
    'toll free number',
    'tech support',
    'technical support number',
    'support team number',
    'phone number',
    'customer support number',
    'contact number',
    'helpdesk number',
    'reservations number',
    'customer care',
    'customer service',
    'customer support',
    'technical support',
    'support team',
    'service center',
    'helpline',
    'help line',
  ],
  travel: [
    'airlines reservations',
    'airline reservations',
    'cheap flights',
    'cheap flight',
    'flight booking',
    'book flights',
    'flight tickets',
    'airlines phone number',
    'airlines customer service',
    'airlines official site',
    'airlines toll free',
    'holiday packages',
    'tour packages',
  ],
  crypto: [
    'bitcoin investment',
    'crypto investment',
    'forex trading',
    'binary options',
    'trading platform',
    'investment platform',
    'double your bitcoin',
    'crypto recovery',
    'recover your funds',
    'recover lost',
    'bitcoin mining',
    'passive income',
    'invest with',
    'investment manager',
    'account manager',
    'profit daily',
    'daily profit',
    'trading signals',
    'mining pool',
    'cryptocurrency investment',
  ],
  adult: [
    'hot singles',
    'escort',
    'escorts',
    'call girls',
    'call girl',
    'sex chat',
    'adult dating',
    'dating site',
    'webcam girls',
    'sexy girls',
    'porn',
    'xxx videos',
    'nude pics',
    'hookup',
    'milf',
  ],
  // The miracle doctor and spell caster: testimony of a cure or a lover returned, then a way to reach them.
  miracle: [
    'herbal doctor',
    'herbal medicine',
    'herbal cure',
    'spell caster',
    'love spell',
    'cured my herpes',
    'herpes cure',
    'cure for herpes',
    'hiv cure',
    'cure for hiv',
    'get my ex back',
    'bring back my ex',
    'get your ex back',
    'my ex back',
  ],
  // Pirated films and television: the streaming sites' link-drop.
  streaming: [
    'watch movies online',
    'movies online free',
    'free movies online',
    'watch free movies',
    'watch online free',
    'free movie download',
    'watch full movie',
    'full movie online',
    '123movies',
    'putlocker',
    'fmovies',
    'gomovies',
    'solarmovie',
    'showbox',
  ],
  shop: [
    'replica watches',
    'replica bags',
    'replica handbags',
    'cheap jerseys',
    'wholesale jerseys',
    'cheap nfl jerseys',
    'louis vuitton outlet',
    'michael kors outlet',
    'cheap ray ban',
    'free shipping',
    'order now',
    'buy now',
    'limited offer',
    'discount code',
    'coupon code',
    'promo code',
    'best price',
    'lowest price',
    'buy cheap',
    'for sale',
    'shop now',
    'best deals',
    'hurry up',
  ],
  money: [
    'make money',
    'earn money',
    'earn cash',
    'make cash',
    'work from home',
    'working from home',
    'earn from home',
    'make money online',
    'earn online',
    'per day',
    'a day from home',
    'per week from',
    'per hour from',
    'extra income',
    'financial freedom',
    'get paid',
    'paypal money',
    'free money',
    'cash prize',
    'claim your prize',
    'gift card',
    'gift cards',
    'free gift',
    'giveaway',
    'lottery',
  ],
  followers: [
    'buy followers',
    'free followers',
    'buy likes',
    'free likes',
    'instagram followers',
    'youtube views',
    'buy views',
    'free views',
    'get followers',
    'get subscribers',
    'free subscribers',
    'sub4sub',
    'sub 4 sub',
    'real followers',
    'cheap followers',
  ],
  self: [
    'subscribe to my channel',
    'subscribe my channel',
    'sub to my channel',
    'subscribe to me',
    'subscribe me',
    'subscribe to my',
    'please subscribe',
    'plz subscribe',
    'pls subscribe',
    'check out my channel',
    'check my channel',
    'visit my channel',
    'my channel',
    'our channel',
    'my new video',
    'check out my video',
    'check my video',
    'watch my video',
    'my youtube',
    'follow me on',
    'add me on',
    'check out my page',
    'like my page',
    'check out my music',
    'my mixtape',
    'my new song',
    'check out my',
    'check out our',
    'go check out',
    'check out this video',
    'check out this playlist',
    'take a look at this video',
    'watch this video',
    'like this comment',
    'thumbs up if',
    'give it a like',
    'share this video',
    'help me get',
    'check out the new',
    'please vote',
    'vote for',
    'search for my',
    'look up my',
    'look her name up',
    'look his name up',
    'like please',
    'please like',
    'my cover',
    'our cover',
    'did a cover',
    'sub me',
    'sub to me',
    'sucscribe',
    'subscibe',
    'subcribe',
    'my playlist',
    'please look up',
    'vote daily',
    'gaming channel',
    'made a channel',
    // Begging for subscribers and likes, read from the training videos' spam left pending under cross-validation.
    'like and subscribe',
    'subscribe and like',
    'come subscribe',
    'subscribe please',
    'subscribe back',
    'sub back',
    'check me out',
    'my first video',
    'my first subscriber',
    'new youtuber',
    'sub for sub',
    'sub 4 sub',
    'follow 4 follow',
    'follow for follow',
    'like 4 like',
    'like for like',
  ],
  promo: [
    'my page',
    'my music',
    'my song',
    'my songs',
    'my track',
    'my new track',
    'my album',
    'my band',
    'my video',
    'my videos',
    'my vlog',
    'my instagram',
    'my twitter',
    'my facebook',
    'my website',
    'my blog',
    'my site',
    'visit my',
    'view my',
    'see my',
    'subs',
  ],
  services: [
    'our services',
    'our company',
    'our team',
    'our experts',
    'our agents',
    'our website',
    'our site',
    'our product',
    'our products',
    'we provide',
    'we offer',
    'we are offering',
    'we deliver',
    'call us',
    'contact us',
    'dial',
    'call now',
    'visit us',
    'visit our',
    'click here',
    'click the link',
    'click on the link',
    'visit the link',
    'learn more at',
    'more info',
    'for more information',
    'best service',
    'services in',
    'company in',
    'best company',
    'packers and movers',
    'movers and packers',
    'cleaning company',
    'cleaning services',
    'roofing',
    'plumbing',
    'locksmith',
    'pest control',
    'car rental',
    'rent a car',
    'real estate',
    'properties for',
    'training in',
    'training institute',
    'course in',
    'certification training',
    'online training',
    'institute in',
    'repair service',
    'repair services',
    'movie download',
    'free download',
    'download free',
    'watch online free',
    'hack',
    'hacks',
    'cheats',
    'generator',
    'free codes',
    'codes free',
    'apk',
    'mod apk',
    'keygen',
    'serial key',
    'activation key',
    'license key',
    'crack download',
    'cracked version',
  ],
}

/** Praise that fits any article: what link-droppers write so that the comment looks like a reader's. */
const PRAISE = [
  'thanks for this article',
  'thank you for this article',
  'thanks for the article',
  'for this article',
  'for this post',
  'for this tutorial',
  'nice tutorial',
  'great tutorial',
  'nice post',
  'great post',
  'good post',
  'awesome post',
  'amazing post',
  'wonderful post',
  'informative post',
  'excellent post',
  'nice article',
  'great article',
  'good article',
  'awesome article',
  'amazing article',
  'wonderful article',
  'informative article',
  'excellent article',
  'nice blog',
  'great blog',
  'good blog',
  'awesome blog',
  'amazing blog',
  'your blog',
  'this blog',
  'your site',
  'your website',
  'this website',
  'nice information',
  'great information',
  'useful information',
  'valuable information',
  'helpful information',
  'informative',
  'very informative',
  'really informative',
  'thanks for sharing',
  'thank you for sharing',
  'thanks for the sharing',
  'thank for sharing',
  'thanks for posting',
  'thank you for posting',
  'thankyou for sharing',
  'thankyou for posting',
  'keep posting',
  'keep it up',
  'keep up the good work',
  'keep sharing',
  'keep writing',
  'keep up the great work',
  'i like your post',
  'i like your blog',
  'i love your blog',
  'i like your article',
  'really nice post',
  'very nice post',
  'very nice blog',
  'very nice article',
  'great job',
  'nice one',
  'well written',
  'really appreciate',
  'i appreciate',
  'such a nice',
  'such a great',
  'lovely post',
  'superb post',
  'superb information',
  'great work',
  'nice work',
  'good work',
  'bookmarked',
  'i bookmarked',
  'will visit again',
  'visit again',
  'come back',
  'looking forward',
  'this is really',
  'great stuff',
  'nice content',
  'great content',
  'quality content',
]

/** Words of a business name ("Denver Roofing Pros", "Best SEO Company India"). */
const BUSINESS_WORDS = new Set([
  'seo',
  'roofing',
  'roofer',
  'roofers',
  'plumbing',
  'plumber',
  'plumbers',
  'pros',
  'services',
  'service',
  'solutions',
  'company',
  'agency',
  'marketing',
  'digital',
  'ltd',
  'llc',
  'inc',
  'pvt',
  'limited',
  'corp',
  'group',
  'consultants',
  'consulting',
  'experts',
  'expert',
  'cheap',
  'best',
  'buy',
  'online',
  'shop',
  'store',
  'deals',
  'discount',
  'sale',
  'loans',
  'loan',
  'casino',
  'insurance',
  'lawyer',
  'lawyers',
  'attorney',
  'attorneys',
  'repair',
  'repairs',
  'cleaning',
  'cleaners',
  'movers',
  'packers',
  'rental',
  'rentals',
  'hosting',
  'design',
  'web',
  'website',
  'development',
  'software',
  'tech',
  'support',
  'escort',
  'escorts',
  'pharmacy',
  'essay',
  'essays',
  'writing',
  'writers',
  'academy',
  'institute',
  'training',
  'travel',
  'tours',
  'hotel',
  'hotels',
  'dental',
  'dentist',
  'clinic',
  'realty',
  'estate',
  'properties',
  'construction',
  'contractors',
  'contractor',
  'printer',
  'printers',
  'antivirus',
  'bitcoin',
  'crypto',
  'forex',
  'trading',
  'viagra',
  'cialis',
  'replica',
  'jerseys',
  'watches',
  'bags',
  'outlet',
  'factory',
  'wholesale',
  'supplier',
  'suppliers',
  'manufacturer',
  'india',
  'dubai',
  'usa',
  'uk',
  'official',
  'free',
  'download',
  'apk',
  'movies',
  'number',
  'phone',
  'helpline',
  'customer',
  'care',
  'pest',
  'control',
  'locksmith',
  'removal',
  'towing',
  'detailing',
  'gateway',
  'payment',
  'rent',
  'assistant',
  'printer',
  'router',
  'setup',
  'error',
  'maker',
  'reservations',
  'airlines',
  'booking',
  'cheapest',
])

/** Link shorteners: the destination is hidden from readers and from the checks. (Not t.co: Twitter wraps every link in it, so a quoted tweet has one.) */
const SHORTENERS = new Set([
  'bit.ly',
  'tinyurl.com',
  'goo.gl',
  'ow.ly',
  'is.gd',
  'buff.ly',
  'cutt.ly',
  'rebrand.ly',
  'shorturl.at',
  'tiny.cc',
  'rb.gy',
  'bl.ink',
  'adf.ly',
  'shorte.st',
  'ouo.io',
  'bc.vc',
  'v.gd',
  'x.co',
  'lnkd.in',
  'tiny.one',
  'shrtco.de',
  'clck.ru',
  'qr.ae',
  'soo.gd',
  's.id',
  't.ly',
  'urlz.fr',
  'bit.do',
  'short.io',
  'linktr.ee',
])
/** Top-level domains that cost almost nothing and that spam uses far more than other sites (as published by abuse trackers). */
const CHEAP_TLDS = new Set([
  'xyz',
  'top',
  'click',
  'loan',
  'work',
  'gq',
  'tk',
  'ml',
  'cf',
  'ga',
  'buzz',
  'icu',
  'cyou',
  'rest',
  'bid',
  'win',
  'download',
  'review',
  'stream',
  'racing',
  'date',
  'party',
  'trade',
  'men',
  'accountant',
  'science',
  'faith',
  'cricket',
  'webcam',
  'kim',
  'country',
  'gdn',
  'mom',
  'lol',
  'sbs',
  'cfd',
  'bond',
  'quest',
  'pw',
  'su',
])

/**
 * Words that, inside a link's host name, say what the site sells ("cheap-kitchen-cabinets-online.com",
 * "paydayloansfast.com"): the Website field and links are read for them as Akismet reads them. One strong
 * word is enough; weak ones count from two. Words of 5+ letters are found anywhere in a label; shorter
 * ones only as a whole part between dots and hyphens (so "alphabet" holds no "bet").
 */
const HOST_STRONG = [
  'casino',
  'viagra',
  'cialis',
  'pharmacy',
  'payday',
  'essay',
  'replica',
  'escort',
  'porn',
  'forex',
  'betting',
  'poker',
  'tramadol',
  'xanax',
  'backlink',
  'followers',
  'seo',
  'xxx',
  'sex',
  'bet',
  'rx',
  'meds',
  'pills',
  'loans',
]
const HOST_WEAK = [
  'cheap',
  'discount',
  'deals',
  'coupon',
  'promo',
  'wholesale',
  'outlet',
  'jerseys',
  'watches',
  'handbags',
  'online',
  'store',
  'shop',
  'best',
  'free',
  'download',
  'movies',
  'cash',
  'money',
  'profit',
  'bitcoin',
  'crypto',
  'trading',
  'credit',
  'insurance',
  'lawyer',
  'attorney',
  'roofing',
  'plumbing',
  'cleaning',
  'movers',
  'repair',
  'dental',
  'clinic',
  'diet',
  'keto',
  'slim',
  'weight',
  'agency',
  'marketing',
  'solutions',
  'services',
  'rewards',
  'prize',
  'gift',
  'win',
  'buy',
  'sale',
  'loan',
  'hot',
  'dating',
  'singles',
  'bonus',
  'slots',
  'spins',
  'jackpot',
  'hack',
  'apk',
  'sexy',
  'girls',
  'support',
  'helpline',
  'printer',
]

/** The keywords of a host name (its labels but the last, split at hyphens), strong first. */
export function hostKeywords(host: string): { strong: string[]; weak: string[] } {
  const labels = host.toLowerCase().split('.').slice(0, -1)
  const parts = new Set(labels.flatMap((l) => l.split('-')))
  const joined = labels.join('.')
  const has = (w: string) => (w.length >= 5 ? joined.includes(w) : parts.has(w))
  return { strong: HOST_STRONG.filter(has), weak: HOST_WEAK.filter(has) }
}

const CONTACT = [
  'whatsapp',
  'whats app',
  'watsapp',
  'telegram',
  'wechat',
  'we chat',
  'viber',
  'signal app',
  'skype',
  'kik',
  'dm me',
  'inbox me',
  'message me',
  'email me',
  'mail me',
  'contact me',
  'reach me',
  'reach out to',
  'write to me',
  'contact him',
  'contact her',
  'contact them',
  'email them',
  'reach them',
  'reach him',
  'email him',
  'email her',
  'whatsapp him',
  'whatsapp her',
  'his email',
  'her email',
  'via email',
  'on email',
]
/**
 * Words that name money or a deal without offering one: readers write them about their own bills, a free
 * permit, a job they are hiring for, a loan's interest. They make an offer only two together (or beside an amount).
 */
const MONEY = [
  '$',
  'usd',
  'dollars',
  'money',
  'cash',
  'payment',
  'pay',
  'paid',
  'price',
  'prices',
  'loan',
  'loans',
  'credit',
  'bitcoin',
  'btc',
  'crypto',
  'free',
  'salary',
  'hire',
  'hiring',
  'job',
  'jobs',
  'services',
  'service',
  'sale',
  'order',
  'fee',
  'fees',
]
/** Money words that are what a spam topic is about (loans, crypto), not an offer of it. */
const TOPIC_MONEY = new Set(['loan', 'loans', 'credit', 'bitcoin', 'btc', 'crypto'])
/** Words that offer something: one of them beside a topic, a number or a way to reach them is an offer. */
const OFFER = [
  'sell',
  'selling',
  'cheap',
  'discount',
  'offer',
  'offers',
  'deal',
  'deals',
  'profit',
  'profits',
  'invest',
  'investment',
  'income',
  'earn',
  'bonus',
  'prize',
  'reward',
  'buy',
  'hacker',
  'hack',
  'recover',
  'recovery',
  'spell',
  'spells',
  'caster',
  'lottery',
  'giveaway',
  'chance to win',
  'win a',
  'win an',
  'win free',
  // What a business offers free or cheapest: no reader's "the permit is free".
  'free consultation',
  'free estimate',
  'free quote',
  'free trial',
  'free shipping',
  'free delivery',
  'free sample',
  'free samples',
  'free inspection',
  'lowest price',
  'lowest prices',
  'lowest cost',
  'best price',
  'best prices',
  'best rates',
  'cheapest',
]

// --- matching -----------------------------------------------------------------------------------------

type Entry = { words: string[]; tag: string }
/** A phrase found in a comment: its tag, its words, and the token it starts at. */
type PhraseMatch = { tag: string; phrase: string; at: number }

/** Phrases indexed by their first word; matched on whole tokens (plurals and leetspeak read). Linear in the tokens. */
class Phrases {
  private readonly byFirst = new Map<string, Entry[]>()
  constructor(groups: Record<string, readonly string[]>) {
    for (const [tag, phrases] of Object.entries(groups)) {
      for (const p of phrases) {
        const words = p === '$' ? ['$'] : [...tokenize(normalizeText(p))]
        if (words.length === 0) continue
        const list = this.byFirst.get(words[0]!) ?? []
        list.push({ words, tag })
        this.byFirst.set(words[0]!, list)
      }
    }
  }

  private static same(token: string | undefined, word: string): boolean {
    if (token === undefined) return false
    return token === word || (token.length > 3 && token.endsWith('s') && token.slice(0, -1) === word)
  }

  /** Every match: its tag and phrase, in order. */
  matches(tokens: readonly string[]): PhraseMatch[] {
    const out: PhraseMatch[] = []
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!
      const candidates = this.byFirst.get(t) ?? (t.length > 3 && t.endsWith('s') ? this.byFirst.get(t.slice(0, -1)) : undefined)
      if (!candidates) continue
      for (const e of candidates) {
        let ok = true
        for (let k = 1; k < e.words.length && ok; k++) ok = Phrases.same(tokens[i + k], e.words[k]!)
        if (ok) out.push({ tag: e.tag, phrase: e.words.join(' '), at: i })
      }
    }
    return out
  }
}

// One index for every list, so a comment's words are read once; the lists' own tags start with '#'.
const phrases = new Phrases({ ...TOPICS, '#praise': PRAISE, '#contact': CONTACT, '#money': MONEY, '#offer': OFFER })
const topicMatches = <T extends { tag: string }>(all: readonly T[]): T[] => all.filter((m) => m.tag[0] !== '#')

/** Tokens for the phrase lists: normalized, leetspeak read, "$" kept as a word of its own. */
function words(text: string): string[] {
  return tokenize(normalizeText(text).replaceAll('$', ' $ ')).map((t) => (t === '$' ? t : unleet(t)))
}

// --- links --------------------------------------------------------------------------------------------

/** A link as written: scheme, "www." or a domain with a path; it starts only where a host can start. */
const LINK =
  /(?<![a-z0-9.@-])(?:(https?|hxxps?|h\s?t\s?t\s?p\s?s?)\s?:\s?\/\/\s?|www\s?\.\s?)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,8}([a-z]{2,24}))(?![a-z0-9-])(\/[^\s<>"')\]]*)?/g
/** Common top-level domains, so "word.word" written without a space is not read as a link. */
const KNOWN_TLDS = new Set([
  'com',
  'net',
  'org',
  'info',
  'biz',
  'io',
  'co',
  'us',
  'uk',
  'de',
  'fr',
  'ru',
  'in',
  'me',
  'tv',
  'ly',
  'gl',
  'gd',
  'cc',
  'to',
  'app',
  'dev',
  'ai',
  'online',
  'site',
  'store',
  'shop',
  'club',
  'live',
  'link',
  'website',
  'space',
  'tech',
  'blog',
  'news',
  'pro',
  'ca',
  'au',
  'nl',
  'es',
  'it',
  'pl',
  'br',
  'jp',
  'cn',
  'pk',
  'ae',
  'ng',
  'edu',
  'gov',
  'eu',
  'ch',
  'se',
  'no',
  'dk',
  'fi',
  'be',
  'at',
  'cz',
  'gr',
  'pt',
  'ro',
  'hu',
  'ir',
  'tr',
  'ua',
  'za',
  'mx',
  'ar',
  'cl',
  'id',
  'my',
  'ph',
  'sg',
  'vn',
  'kr',
  'tw',
  'hk',
  'nz',
  'ie',
  'il',
  'sa',
  'bd',
  'lk',
  'np',
  'ke',
  'gh',
  'fm',
  'am',
  'ws',
  'la',
  'st',
  'sh',
  'ms',
  'vc',
  'ac',
  'one',
  'world',
  'page',
  'agency',
  'company',
  'services',
  'solutions',
  'digital',
  'media',
  'marketing',
  'academy',
  'education',
  'guru',
  'expert',
  'today',
  'network',
  'group',
  ...CHEAP_TLDS,
])
/** Endings that make a bare "name.ending" a link. */
const BARE_TLDS = new Set([
  'com',
  'net',
  'org',
  'biz',
  'us',
  'uk',
  'ru',
  'xyz',
  'online',
  'site',
  'store',
  'shop',
  'club',
  'website',
  'ly',
  'gl',
  ...CHEAP_TLDS,
])
/** Spelled-out dots: "example dot com", "example [dot] com", "example(.)com". */
const SPELLED =
  /(?<![a-z0-9-])[a-z0-9][a-z0-9-]{0,62}\s{0,3}(?:\(dot\)|\[dot\]|\{dot\}|\(\.\)|\[\.\]|\sdot\s|\s\.\s)\s{0,3}(com|net|org|info|biz|ru|io|co|us|uk|in|me|xyz|online|site|top|club|shop|store|live|link)(?![a-z0-9])/g

const SPELLED_NOT_NAMES = new Set([
  'the',
  'a',
  'an',
  'this',
  'that',
  'his',
  'her',
  'its',
  'our',
  'your',
  'my',
  'their',
  'of',
  'in',
  'on',
  'and',
  'or',
  'to',
  'early',
  'late',
  'old',
  'first',
  'big',
])

/** A comma for the dot, written together ("showbox,com"). */
// Neither starts inside a hyphenated run (a run of ids joined by hyphens would be read from every hyphen).
const COMMA_DOMAIN = /(?<![a-z0-9-])[a-z0-9-]{3,63},(com|net|org|info|biz|xyz)(?![a-z0-9])/g

export type FoundLink = { host: string; tld: string; scheme: boolean; path: string; obfuscated: boolean }

// A link's target in markup, which the stripped text no longer holds: an HTML attribute (href="…") or
// BBCode's [url=…]. The first 50 targets are read, each up to 300 characters (a host and the start of its
// path): at most 15,000 characters more for LINK, whatever the text's length.
const MARKUP_TARGET = /(?:\bhref\s{0,3}=\s{0,3}["']?|\[url=["']?)([^\s"'<>\]]{1,300})/gi

/** Reads LINK's matches in a folded text into `out` (false once `limit` is reached); `skip` holds links already read. */
function readLinks(folded: string, out: FoundLink[], limit: number, skip?: ReadonlySet<string>): boolean {
  for (const m of folded.matchAll(LINK)) {
    const [, scheme, host, tld, path = ''] = m
    const hasPrefix = m[0].startsWith('www') || scheme !== undefined
    // Without a scheme or www., only a common domain ending counts, or any known one with a path:
    // "df.info()", "x86_64.sh" and "tf.io" are code and file names, not links.
    if (!hasPrefix && !(BARE_TLDS.has(tld!) || (KNOWN_TLDS.has(tld!) && path.length > 1))) continue
    const obfuscated = scheme !== undefined && scheme !== 'http' && scheme !== 'https'
    const bare = host!.replace(/^www\./, '')
    if (skip?.has(bare + path)) continue
    out.push({ host: bare, tld: tld!, scheme: scheme !== undefined, path, obfuscated })
    if (out.length >= limit) return false
  }
  return true
}

/** The links a text holds, as written (at most `limit`, which bounds the work on a text made of links). */
export function findLinks(text: string, limit = 50): FoundLink[] {
  const folded = normalizeText(text)
  const out: FoundLink[] = []
  if (!readLinks(folded, out, limit)) return out
  for (const m of folded.matchAll(COMMA_DOMAIN)) {
    out.push({ host: m[0], tld: m[1]!, scheme: false, path: '', obfuscated: true })
    if (out.length >= limit) return out
  }
  for (const m of folded.matchAll(SPELLED)) {
    // "the dot com bubble": a name that is a common word is not a site's name.
    if (SPELLED_NOT_NAMES.has(/^[a-z0-9-]+/.exec(m[0])![0])) continue
    out.push({ host: m[0], tld: m[1]!, scheme: false, path: '', obfuscated: true })
    if (out.length >= limit) break
  }
  return out
}

/**
 * The targets of a text's markup links (href=…, [url=…]) that the text does not also show: the stripped
 * text holds only their anchor text. They are read for their hosts (shorteners, cheap domains, keywords),
 * not as links written in the text: a video site's own markup (a timestamp, a mention) is a link too.
 */
export function markupLinks(text: string, written: readonly FoundLink[]): FoundLink[] {
  if (!text.includes('=')) return []
  let targets = ''
  let n = 0
  for (const m of text.matchAll(MARKUP_TARGET)) {
    targets += ' ' + m[1]!
    if (++n >= 50) break
  }
  const out: FoundLink[] = []
  if (targets !== '') readLinks(foldText(targets), out, 50, new Set(written.map((l) => l.host + l.path)))
  return out
}

/**
 * A keyword line set apart at the start or end of a comment ("Cleaning Company Dubai", "HP Support
 * Assistant"): the anchor text of a link whose address was stripped or never written. A short line (at
 * most 6 words, no sentence inside) with words of a business in it, beside at least one other line or sentence.
 */
function anchorLine(text: string): string | null {
  const plain = stripMarkup(text)
  const lines = plain
    .split(/\n|(?<=[.!?])\s+|(?<=\.)(?=[A-Z])/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
  if (lines.length < 2) return null
  for (const line of [lines.at(-1)!, lines[0]!]) {
    if (line.length > 60 || /[.!?,:;]\s*\S/.test(line.replace(/[.!?]+$/, ''))) continue
    const toks = tokenize(normalizeText(line))
    if (toks.length === 0 || toks.length > 6) continue
    const business = toks.filter((t) => BUSINESS_WORDS.has(t) || PLACES.has(t)).length
    if (business >= 2 || (business >= 1 && toks.length <= 3 && /\p{Lu}/u.test(line))) return toks.join(' ')
  }
  return null
}
/** Places link-droppers name after a service ("… Company Dubai"). */
const PLACES = new Set([
  'dubai',
  'uae',
  'india',
  'chennai',
  'bangalore',
  'pune',
  'hyderabad',
  'delhi',
  'noida',
  'mumbai',
  'pakistan',
  'lahore',
  'karachi',
  'sharjah',
  'usa',
  'uk',
  'london',
  'australia',
  'canada',
  'singapore',
])

/** Sites readers cite as sources (and Twitter's own link wrapper, which every quoted tweet carries). */
const REFERENCE_HOSTS = new Set([
  't.co',
  'wikipedia.org',
  'wikimedia.org',
  'github.com',
  'gitlab.com',
  'stackoverflow.com',
  'stackexchange.com',
  'python.org',
  'mozilla.org',
  'w3.org',
  'arxiv.org',
  'doi.org',
  'who.int',
  'europa.eu',
  'archive.org',
  'npmjs.com',
  'pypi.org',
  'readthedocs.io',
  'medrxiv.org',
  'biorxiv.org',
  'bbc.co.uk',
  'bbc.com',
  'reuters.com',
  'apnews.com',
  'nytimes.com',
  'theguardian.com',
  'washingtonpost.com',
  // Journals and publishers of research, and a few more newsrooms readers cite.
  'nature.com',
  'science.org',
  'sciencedirect.com',
  'springer.com',
  'wiley.com',
  'plos.org',
  'pnas.org',
  'nejm.org',
  'thelancet.com',
  'bmj.com',
  'jamanetwork.com',
  'cell.com',
  'jstor.org',
  'ssrn.com',
  'nber.org',
  'acm.org',
  'ieee.org',
  'semanticscholar.org',
  'npr.org',
  'economist.com',
  'ft.com',
  'wsj.com',
  'bloomberg.com',
  'aljazeera.com',
])
/** Whether a host is a reference readers cite: one of REFERENCE_HOSTS or under one, or a government or university domain. */
export function isReferenceHost(host: string): boolean {
  const labels = host.toLowerCase().split('.')
  for (let i = 0; i < labels.length - 1; i++) if (REFERENCE_HOSTS.has(labels.slice(i).join('.'))) return true
  // Documentation sites (docs.python.org, developers.google.com, learn.microsoft.com).
  if (labels.length >= 3 && ['docs', 'developer', 'developers', 'learn'].includes(labels[0]!)) return true
  return labels.includes('gov') || labels.includes('edu') || (labels.at(-2) === 'ac' && labels.length >= 3)
}

/**
 * A reference cited, not a site promoted. t.co, which Twitter wraps every link in, is a reference for
 * `short_with_link` (a tweet's link is no sign) but says nothing about where it leads: no citation.
 */
function isCitation(host: string): boolean {
  return host !== 't.co' && isReferenceHost(host)
}

/** How many words a text has once its links are taken out. */
function wordsBesideLinks(text: string): number {
  const folded = normalizeText(text).replace(LINK, ' ')
  return tokenize(folded).length
}

// Link markup in a plain-text form: HTML anchors, BBCode and Markdown links.
const HTML_LINK = /<a\s[^<>]*href/i
const BBCODE_LINK = /\[url[\]=]/i
const MARKDOWN_LINK = /\]\(\s*(?:https?:\/\/|www\.)/i

// --- numbers and addresses ----------------------------------------------------------------------------

/** A phone number: 9 to 15 digits with at most two separators between any two of them, not glued to letters. One pass. */
export function hasPhoneNumber(raw: string): boolean {
  // Dates and times ("2019-01-24 11:49:06", a log line) are digits with separators too.
  const text = raw.replace(ISO_DATE, ' ')
  let digits = 0
  let gap = 0
  let start = -1
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      if (digits === 0) start = i
      digits++
      gap = 0
      if (digits >= 9) {
        // Not part of a longer number or a word (an id, a hash, a UUID): the run must end here or soon,
        // and neither start nor end against a letter.
        let j = i + 1
        while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++
        const runEnd = j
        if (digits + (runEnd - i - 1) <= 15 && !glued(text, start - 1, -1) && !glued(text, runEnd, 1)) return true
        i = runEnd - 1
        digits = 0
      }
    } else if (digits > 0 && gap < 2 && (c === 32 || c === 40 || c === 41 || c === 43 || c === 45 || c === 0x2013 || c === 0x2014 || c === 160)) {
      gap++
    } else {
      digits = 0
      gap = 0
    }
  }
  return false
}

const ISO_DATE = /(?<![0-9])[12][0-9]{3}[-/.][01]?[0-9][-/.][0-3]?[0-9](?:[T ][0-2]?[0-9]:[0-5][0-9])?/g

/** Whether a number is glued to a word at this index (its neighbour, looking in direction `dir`): a letter, or - or _ before a letter or digit. */
function glued(text: string, i: number, dir: 1 | -1): boolean {
  if (i < 0 || i >= text.length) return false
  const c = text.charCodeAt(i)
  if (c === 45 || c === 95) return i + dir >= 0 && i + dir < text.length && /[\p{L}\p{N}]/u.test(text[i + dir]!)
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c > 127 && LETTER.test(text[i]!))
}

/** A link's address as written (scheme or www. up to the next space): one pass. */
const URL_TEXT = /\b(?:https?:\/\/|www\.)[^\s<>"']{1,2000}/gi

const EMAIL = /(?<![a-z0-9._%+-])[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,4}\.[a-z]{2,12}(?![a-z0-9])/i

// --- languages ----------------------------------------------------------------------------------------

/** Common words of languages written in Latin letters: a text whose words are mostly one set's is in that language. */
const STOPWORDS: Record<string, string[]> = {
  en: [
    'the',
    'and',
    'is',
    'are',
    'was',
    'to',
    'of',
    'in',
    'it',
    'you',
    'that',
    'this',
    'for',
    'with',
    'not',
    'have',
    'but',
    'on',
    'be',
    'my',
    'what',
    'so',
    'they',
    'we',
    'i',
    'me',
    'do',
    'just',
    'can',
    'your',
    'like',
    'very',
    'thanks',
    'thank',
    'great',
    'good',
    'nice',
  ],
  fr: [
    'le',
    'la',
    'les',
    'et',
    'est',
    'un',
    'une',
    'des',
    'du',
    'que',
    'qui',
    'pas',
    'pour',
    'dans',
    'ce',
    'cette',
    'il',
    'elle',
    'je',
    'vous',
    'nous',
    'sur',
    'avec',
    'mais',
    'tres',
    'merci',
    'bien',
    'tout',
    'au',
    'aux',
    'sont',
  ],
  de: [
    'der',
    'die',
    'das',
    'und',
    'ist',
    'nicht',
    'ein',
    'eine',
    'ich',
    'du',
    'sie',
    'es',
    'mit',
    'auf',
    'fur',
    'den',
    'dem',
    'auch',
    'sehr',
    'danke',
    'aber',
    'wie',
    'wir',
    'zu',
    'von',
    'sind',
    'noch',
  ],
  es: [
    'el',
    'la',
    'los',
    'las',
    'y',
    'es',
    'un',
    'una',
    'que',
    'de',
    'en',
    'no',
    'por',
    'para',
    'con',
    'muy',
    'gracias',
    'pero',
    'como',
    'mas',
    'lo',
    'se',
    'su',
    'este',
    'esta',
    'yo',
    'me',
  ],
  pt: [
    'o',
    'a',
    'os',
    'as',
    'e',
    'um',
    'uma',
    'que',
    'de',
    'do',
    'da',
    'em',
    'nao',
    'por',
    'para',
    'com',
    'muito',
    'obrigado',
    'mas',
    'como',
    'mais',
    'se',
    'eu',
    'voce',
    'bom',
    'isso',
  ],
  it: [
    'il',
    'lo',
    'la',
    'gli',
    'le',
    'e',
    'un',
    'una',
    'che',
    'di',
    'da',
    'in',
    'non',
    'per',
    'con',
    'molto',
    'grazie',
    'ma',
    'come',
    'piu',
    'sono',
    'questo',
    'io',
    'mi',
    'ho',
  ],
  nl: [
    'de',
    'het',
    'een',
    'en',
    'is',
    'niet',
    'van',
    'dat',
    'die',
    'ik',
    'je',
    'met',
    'voor',
    'op',
    'maar',
    'zijn',
    'heel',
    'bedankt',
    'ook',
    'wat',
    'er',
  ],
  sv: [
    'och',
    'att',
    'det',
    'som',
    'en',
    'ett',
    'ar',
    'inte',
    'jag',
    'du',
    'med',
    'for',
    'pa',
    'av',
    'men',
    'har',
    'den',
    'till',
    'om',
    'tack',
    'mycket',
    'slut',
    'var',
  ],
  id: [
    'dan',
    'yang',
    'di',
    'ini',
    'itu',
    'tidak',
    'saya',
    'aku',
    'kamu',
    'dengan',
    'untuk',
    'ada',
    'juga',
    'sangat',
    'terima',
    'kasih',
    'bagus',
    'sama',
    'apa',
    'ke',
  ],
}
const STOP_SETS = Object.fromEntries(Object.entries(STOPWORDS).map(([k, v]) => [k, new Set(v)]))
/** Scripts that name their language (or family) alone. */
const SCRIPTS: [RegExp, string][] = [
  [/\p{Script=Cyrillic}/u, 'ru'],
  [/\p{Script=Arabic}/u, 'ar'],
  [/\p{Script=Hangul}/u, 'ko'],
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, 'ja'],
  [/\p{Script=Han}/u, 'zh'],
  [/\p{Script=Devanagari}/u, 'hi'],
  [/\p{Script=Thai}/u, 'th'],
  [/\p{Script=Hebrew}/u, 'he'],
  [/\p{Script=Greek}/u, 'el'],
]
const LETTER = /\p{L}/u

/**
 * The language a text is most likely in: by script for non-Latin letters (the script of most letters),
 * else by the common words of a few Latin-script languages; null when too short to tell.
 */
export function guessLanguage(text: string): string | null {
  const counts = new Map<string, number>()
  let latin = 0
  let letters = 0
  for (const ch of text) {
    if (!LETTER.test(ch)) continue
    letters++
    const code = ch.codePointAt(0)!
    if (code < 0x250) {
      latin++
      continue
    }
    for (const [re, lang] of SCRIPTS) {
      if (re.test(ch)) {
        counts.set(lang, (counts.get(lang) ?? 0) + 1)
        break
      }
    }
  }
  if (letters < 12) return null
  let best: [string, number] | null = null
  for (const [lang, n] of counts) if (!best || n > best[1]) best = [lang, n]
  if (best && best[1] > latin) return best[0]
  const tokens = tokenize(normalizeText(text))
  if (tokens.length < 4) return null
  let top: [string, number] | null = null
  let second = 0
  for (const [lang, set] of Object.entries(STOP_SETS)) {
    let n = 0
    for (const t of tokens) if (set.has(t)) n++
    if (!top || n > top[1]) {
      second = top?.[1] ?? 0
      top = [lang, n]
    } else if (n > second) second = n
  }
  if (!top || top[1] < 2 || top[1] < tokens.length * 0.15 || top[1] <= second) return null
  return top[0]
}

// --- the checks ---------------------------------------------------------------------------------------

/** The author's name: a link or domain, or a business name stuffed with keywords. */
export function authorSignals(author: string): Signal[] {
  const name = author.trim()
  if (name === '') return []
  if (findLinks(name, 1).length > 0 || /\.(?:com|net|org|in|co|io|xyz|online|site|info|biz)\b/i.test(name))
    return [{ reason: 'author_link', weight: 3 }]
  const tokens = words(name)
  const topicHits = topicMatches(phrases.matches(tokens)).filter(
    (m) => m.tag !== 'self' && m.tag !== 'promo' && m.tag !== 'services' && m.tag !== 'helpdesk',
  )
  if (topicHits.length > 0) return [{ reason: `author_keywords:${topicHits[0]!.phrase}`, weight: 3 }]
  const business = tokens.filter((t) => BUSINESS_WORDS.has(t)).length
  if (tokens.length >= 2 && business >= 2) return [{ reason: 'author_business', weight: 2.5 }]
  if (tokens.length >= 3 && business >= 1 && tokens.length <= 6) return [{ reason: 'author_business', weight: 1.5 }]
  return []
}

/** The links of a comment: those written in its text, the Website field's, and all of them with its markup's targets. */
type CommentLinks = { inText: FoundLink[]; website: FoundLink | undefined; all: FoundLink[] }

/** Promotion words that sell only beside something else (a link, a number, a price). */
const WEAK_TOPICS = ['services', 'money', 'shop', 'promo', 'helpdesk']

/** The phrases of a comment sorted by what they say, and the ways of reaching its author it names. */
type Topics = {
  /** Topic phrases (tags without '#'), in the order found. */
  found: PhraseMatch[]
  /** Each topic tag with the first phrase that named it. */
  tags: Map<string, string>
  strong: string[]
  weak: string[]
  /** How many found phrases are of a weak topic. */
  weakCount: number
  phone: boolean
  email: boolean
  contactHits: PhraseMatch[]
  /** Words that offer something ("cheap", "bonus", "earn"). */
  offerWords: number
  /** Words that name money without offering it ("free", "loan", "hiring"), not counting a currency sign. */
  moneyWords: number
  /** Money words that are not a spam topic's own subject (a loan, credit, bitcoin): beside a topic they sell it. */
  sellingWords: number
  /**
   * An offer beside a way to reach them: an offering word, two money words (an amount not counted), or money that is a
   * spam topic's own subject ("got my loan, contact …@gmail.com").
   */
  reachOffer: boolean
  /** An offer: an offering word, or two money words (an amount written with a currency sign counts as one). */
  offer: boolean
  praiseHits: PhraseMatch[]
}

function commentLinks(s: SignalInput): CommentLinks {
  const inText = findLinks(s.content)
  const website = s.url ? findLinks(s.url, 1)[0] : undefined
  const all = [...inText, ...markupLinks(s.content, inText)]
  return { inText, website, all: website ? [...all, website] : all }
}

/** Brands the tech-support scam names ("HP Australia support", "Epson error code 0x10"). */
const SUPPORT_BRANDS = new Set([
  'hp',
  'epson',
  'canon',
  'brother',
  'lexmark',
  'xerox',
  'norton',
  'mcafee',
  'avast',
  'kaspersky',
  'bitdefender',
  'webroot',
  'quickbooks',
  'netgear',
  'linksys',
  'arlo',
  'roku',
  'belkin',
  'garmin',
  'aol',
  'yahoo',
  'gmail',
  'outlook',
  'hotmail',
  'roadrunner',
  'coinbase',
  'binance',
  'metamask',
])
/** What the scam offers for a brand: its help desk, its error codes (not drivers or setup: readers discuss those). */
const SUPPORT_WORDS = new Set(['support', 'helpline', 'helpdesk', 'error', 'errors', 'offline', 'activation', 'troubleshooting'])

/**
 * A brand with a help-desk word one or two words after it ("HP Australia support"), when no support phrase
 * of the lists is there: a hint that holds (`spam_topic:support:…`, 0.8), never an offer by itself. Readers
 * of a technical blog write the same words beside a link to the vendor's own help page.
 */
function brandSupportSignals(tokens: readonly string[], t: Topics): Signal[] {
  if (t.tags.has('support')) return []
  for (let i = 0; i < tokens.length; i++) {
    if (!SUPPORT_BRANDS.has(tokens[i]!)) continue
    const k = SUPPORT_WORDS.has(tokens[i + 1] ?? '') ? i + 1 : SUPPORT_WORDS.has(tokens[i + 2] ?? '') ? i + 2 : -1
    if (k > 0) return [{ reason: `spam_topic:support:${tokens.slice(i, k + 1).join(' ')}`, weight: 0.8 }]
  }
  return []
}

/**
 * The hosts linked to that are the own domain of a brand the comment names (support.hp.com, epson.com,
 * quickbooks.intuit.com, a brand as a whole label of the host): a reader citing the vendor's help page, not
 * the support scam's look-alike host ("hp-printer-support.com"). None when a number, an address, a
 * contact-me or a promotion ("check our website") is beside them: that is how the scam reaches its
 * victims, whatever it links to.
 */
function vendorHosts(links: readonly FoundLink[], tokens: readonly string[], t: Topics): Set<string> {
  const own = new Set<string>()
  if (t.phone || t.email || t.contactHits.length > 0 || t.weakCount > 0 || t.tags.has('self')) return own
  const named = new Set(tokens.filter((w) => SUPPORT_BRANDS.has(w)))
  if (named.size === 0) return own
  for (const l of links) {
    // The registrable name (epson.com, support.hp.com, hp.co.uk), or the brand's parent company's (quickbooks.intuit.com):
    // not a brand label elsewhere in a look-alike ("norton.com.setup-help.xyz").
    const labels = l.host.split('.')
    const name = labels.length >= 3 && labels.at(-1)!.length === 2 && ['co', 'com'].includes(labels.at(-2)!) ? labels.at(-3) : labels.at(-2)
    if (name === undefined) continue
    if (named.has(name) || [...named].some((b) => VENDOR_PARENTS[b] === name && labels.includes(b))) own.add(l.host)
  }
  return own
}
/** Brands whose help pages live under their parent company's domain (quickbooks.intuit.com, outlook.live.com). */
const VENDOR_PARENTS: Record<string, string> = { quickbooks: 'intuit', outlook: 'live', hotmail: 'live', gmail: 'google' }

function topicsOf(text: string, tokens: string[]): Topics {
  const all = phrases.matches(tokens)
  const found = all.filter((m) => m.tag[0] !== '#')
  const tags = new Map<string, string>()
  for (const m of found) if (!tags.has(m.tag)) tags.set(m.tag, m.phrase)
  const weak = [...tags.keys()].filter((t) => WEAK_TOPICS.includes(t))
  const offerWords = all.filter((m) => m.tag === '#offer').length
  const moneyWords = all.filter((m) => m.tag === '#money' && m.phrase !== '$').length
  const sellingWords = all.filter((m) => m.tag === '#money' && m.phrase !== '$' && !TOPIC_MONEY.has(m.phrase)).length
  const offer = offerWords > 0 || moneyWords + (/[$€£₹]\s?\d/.test(text) ? 1 : 0) >= 2
  return {
    found,
    tags,
    strong: [...tags.keys()].filter((t) => !WEAK_TOPICS.includes(t) && t !== 'self'),
    weak,
    weakCount: found.filter((m) => weak.includes(m.tag)).length,
    // Digits in a link's address (an ISBN, an item or a post id) are no number to call.
    phone: hasPhoneNumber(text.replace(URL_TEXT, ' ')),
    email: EMAIL.test(text),
    contactHits: all.filter((m) => m.tag === '#contact'),
    offerWords,
    moneyWords,
    sellingWords,
    offer,
    // An amount beside a way to reach them is what a reader writes too ("the bake sale raised $640, questions to me at …").
    reachOffer: offerWords > 0 || moneyWords >= 2 || moneyWords > sellingWords,
    praiseHits: all.filter((m) => m.tag === '#praise'),
  }
}

/** Links in markup, shorteners, cheap domains, obfuscated or many links, a link with little beside it. */
function linkSignals(text: string, links: CommentLinks, vendor: ReadonlySet<string>): Signal[] {
  const out: Signal[] = []
  const { inText, all } = links
  if (HTML_LINK.test(text) || BBCODE_LINK.test(text)) out.push({ reason: 'link_markup', weight: 3 })
  else if (MARKDOWN_LINK.test(text)) out.push({ reason: 'link_markup', weight: 1.5 })
  if (all.some((l) => SHORTENERS.has(l.host) || SHORTENERS.has(l.host.split('.').slice(-2).join('.'))))
    out.push({ reason: 'link_shortener', weight: 2.5 })
  if (all.some((l) => CHEAP_TLDS.has(l.tld))) out.push({ reason: 'cheap_domain', weight: 2 })
  if (inText.some((l) => l.obfuscated)) out.push({ reason: 'obfuscated_link', weight: 2.5 })
  if (inText.length >= 3) out.push({ reason: `many_links:${inText.length}`, weight: 1.5 })
  // A comment that is a link and little else says nothing to readers: it is there for the link.
  const beside = inText.length > 0 ? wordsBesideLinks(text) : 0
  // Unless every link is a reference readers cite ("Relevant: github.com/…/issues/1"): then only a hint.
  // So is a brand's own help page when the comment names the brand.
  if (inText.length > 0 && beside <= 6)
    out.push({ reason: 'bare_link', weight: inText.every((l) => isCitation(l.host) || vendor.has(l.host)) ? 0.9 : 2 })
  // A short comment carrying a link to a site that is not a reference readers cite (an encyclopedia, code
  // host, standard, government or university): held for a look, not filed on that alone.
  else if (beside <= 25 && inText.some((l) => !isReferenceHost(l.host) && !vendor.has(l.host))) out.push({ reason: 'short_with_link', weight: 0.9 })
  return out
}

/** Keywords in the hosts linked to (the Website field included): one reason for all of them. */
function hostKeywordSignals(all: readonly FoundLink[]): Signal[] {
  let hostStrong = 0
  let hostWord = ''
  for (const l of all.slice(0, 20)) {
    const k = hostKeywords(l.host)
    if (k.strong.length > 0 || k.weak.length >= 2) {
      hostStrong += k.strong.length
      hostWord ||= [...k.strong, ...k.weak].join('+')
    }
  }
  return hostWord ? [{ reason: `link_keywords:${hostWord}`, weight: hostStrong > 0 ? 2 : 1.5 }] : []
}

/**
 * Spam topics, promotion words and keyword stuffing. `channel` is a way to buy or to be reached: what turns
 * a topic into an offer. A topic without one (a drug named in a story about surgery, a casino in the town
 * news) is what readers write too: it holds, it does not file.
 */
function topicSignals(t: Topics, channel: boolean): Signal[] {
  const out: Signal[] = []
  // A topic counts once; a second topic or a repetition of the same kind of phrase adds less.
  for (const tag of t.strong) out.push({ reason: `spam_topic:${tag}:${t.tags.get(tag)}`, weight: !channel ? 0.8 : tag === 'support' ? 1.5 : 2 })
  if (t.weakCount > 0)
    out.push({ reason: `promotion:${t.found.find((m) => t.weak.includes(m.tag))!.phrase}`, weight: Math.min(1.5, 0.5 * t.weakCount) })
  if (t.found.length >= 4) out.push({ reason: `keyword_stuffing:${t.found.length}`, weight: Math.min(3, 0.5 * t.found.length) })
  return out
}

/** A phone number, an email address or a "contact me": weighty beside an offer, light without one. */
function contactSignals(t: Topics): Signal[] {
  const out: Signal[] = []
  const moneyHit = t.reachOffer
  const contactHit = t.contactHits[0]
  if (t.phone) {
    // A number beside an offer; help-desk words alone ("the helpline number is wrong") are no offer.
    const about = t.strong.length > 0 || t.weak.some((w) => w !== 'helpdesk') || moneyHit || contactHit !== undefined
    out.push({ reason: 'phone_number', weight: about ? 2.5 : 0.8 })
  }
  if (t.email || contactHit) {
    const offer = moneyHit || t.strong.length > 0
    // Each further way of reaching them (an address and "contact him", a messenger and a number) adds one.
    const ways = (t.email ? 1 : 0) + (t.phone ? 1 : 0) + new Set(t.contactHits.map((c) => c.phrase)).size
    out.push({
      reason: t.email ? 'email_in_text' : `contact_me:${contactHit!.phrase}`,
      weight: (offer ? 2.5 : 0.8) + (offer ? Math.min(1, ways - 1) : 0),
    })
  }
  return out
}

/**
 * Generic praise alone is what readers write too; with a link, or in a name that is a business, it is the
 * link-dropper's template. A link in the text weighs more than the Website field alone (readers with a blog
 * of their own fill it in too).
 */
function praiseSignals(t: Topics, short: boolean, links: CommentLinks, anchor: string | null, vendor: ReadonlySet<string>): Signal[] {
  if (t.praiseHits.length === 0) return []
  // A link to a reference (the documentation the praise is about, a named brand's own page) is what readers cite.
  const selling = links.inText.some((l) => !isReferenceHost(l.host) && !vendor.has(l.host))
  let weight = 0
  if (selling) weight = short ? 2 : 1.5
  else if (links.website !== undefined) weight = short ? 1.5 : 1
  else if (t.strong.length > 0 || anchor) weight = 1.5
  else if (t.weakCount > 0) weight = 0.8
  // Without any link, praise made of three or more stock phrases is the template with its link stripped: held.
  const stock = new Set(t.praiseHits.map((p) => p.phrase)).size >= 3 ? 0.5 : 0
  const w = Math.max(weight, stock)
  return w > 0 ? [{ reason: `template_praise:${t.praiseHits[0]!.phrase}`, weight: w }] : []
}

/** A comment in a language the site is not written in. */
function languageSignals(text: string, options: SignalOptions): Signal[] {
  if (!options.siteLanguages || options.siteLanguages.length === 0) return []
  const lang = guessLanguage(stripMarkup(text))
  return lang !== null && !options.siteLanguages.includes(lang) ? [{ reason: `language:${lang}`, weight: 1.5 }] : []
}

/** Asking to be followed somewhere, which a blog's readers do too. */
const FOLLOW = new Set(['follow me on', 'add me on'])
/** A reader's own writing on the subject: what "check out my …" points to when it is no advert. */
const WRITINGS = new Set([
  'post',
  'article',
  'write',
  'writeup',
  'notes',
  'answer',
  'gist',
  'repo',
  'repository',
  'fork',
  'tutorial',
  'thread',
  'paper',
  'talk',
  'slides',
  'benchmark',
  'review',
  'recipe',
  'solution',
  'fix',
  'workaround',
  'patch',
  'implementation',
  'comment',
  'reply',
  'response',
  'analysis',
  'explanation',
])
const WRITING_MODIFIERS = new Set(['new', 'latest', 'own', 'blog', 'full', 'longer', 'short', 'recent', 'detailed', 'earlier', 'old'])
const writing = (t: string | undefined) => t !== undefined && (WRITINGS.has(t) || (t.endsWith('s') && WRITINGS.has(t.slice(0, -1))))

/** "Check out my post / write-up / answer …": a reader pointing to their own writing, no self-promotion. */
function aboutWriting(tokens: readonly string[], m: PhraseMatch): boolean {
  if (m.phrase !== 'check out my') return false
  const next = tokens[m.at + 3]
  return writing(next) || (next !== undefined && WRITING_MODIFIERS.has(next) && writing(tokens[m.at + 4]))
}

/** Words that go on a sentence after "follow me on Twitter" (not a handle). */
const AFTER_PLATFORM = new Set(['if', 'or', 'as', 'too', 'also', 'where', 'when', 'at', 'because', 'since', 'every', 'from', 'now'])
/** "Follow me on twitter: freyacumqueen": a word after the platform that is no common word is the handle to follow. */
function namesHandle(tokens: readonly string[], m: PhraseMatch): boolean {
  const after = tokens[m.at + 4]
  return after !== undefined && !AFTER_PLATFORM.has(after) && !STOP_SETS.en!.has(after)
}

/** A handle to follow: "@name", or a name with digits or underscores ("bigboss286", "__killuminati94"). One pass. */
function hasHandle(text: string): boolean {
  for (const piece of text.split(/[\s,;:!?()"'&]+/)) {
    if (piece.length < 3 || piece.length > 40) continue
    if (/^@[\p{L}\p{N}_.]{2,}$/u.test(piece)) return true
    if (/^[\p{L}\p{N}_.]+$/u.test(piece) && /\p{L}/u.test(piece) && /[\p{N}_]/u.test(piece) && !/^[\p{N}.]+\p{L}{1,3}$/u.test(piece)) return true
  }
  return false
}

/**
 * What the text and the Website field say about selling: links in markup, shorteners, cheap domains,
 * obfuscated links, spam topics, contact-me with money, template praise with a link.
 */
export function contentSignals(s: SignalInput, options: SignalOptions = {}): Signal[] {
  const text = s.content
  const tokens = words(text)
  const links = commentLinks(s)
  const t = topicsOf(text, tokens)
  const vendor = vendorHosts(links.inText, tokens, t)
  const out = linkSignals(text, links, vendor)
  // Promoting one's own channel, video or page: what a comment is for when it is there for its author.
  // Not a reader pointing to their own writing on the subject ("check out my post about the same bug").
  const self = t.found.filter((m) => m.tag === 'self' && !aboutWriting(tokens, m))
  if (self.length > 0) {
    // "Follow me on Twitter" alone is a reader's sign-off on a blog; with a handle to follow, a link, a topic or an offer, an advert.
    const signOff =
      self.every((m) => FOLLOW.has(m.phrase)) &&
      !t.offer &&
      t.strong.length === 0 &&
      t.weakCount === 0 &&
      !links.inText.some((l) => !isReferenceHost(l.host)) &&
      !hasHandle(text) &&
      !self.some((m) => namesHandle(tokens, m))
    out.push({ reason: `self_promotion:${self[0]!.phrase}`, weight: signOff ? 0.9 : Math.min(2.5, 1.2 * self.length) })
  }
  const anchor = anchorLine(text)
  if (anchor) out.push({ reason: `anchor_text:${anchor}`, weight: 1.5 })
  out.push(...hostKeywordSignals(links.all))
  // A link to a named brand's own page is no way to buy from the comment's author.
  const linked = links.inText.some((l) => !vendor.has(l.host)) || links.website !== undefined
  // An amount alone ("raised $2,000") is no offer, nor is the topic's own subject ("loans with 30% interest,
  // a payday loan"): money words ("bonus", "cheap", "free") or a way to reach them are.
  const channel = linked || t.phone || t.email || t.contactHits.length > 0 || t.offerWords > 0 || t.sellingWords > 0 || t.weakCount > 0
  out.push(
    ...topicSignals(t, channel),
    ...brandSupportSignals(tokens, t),
    ...contactSignals(t),
    ...praiseSignals(t, tokens.length <= 60, links, anchor, vendor),
  )
  const selling = t.strong.length > 0 || t.weakCount > 0
  // A reader's own blog or site named beside its link ("my blog", "my site": promotion) is no commercial link by that alone.
  const sellingLink = t.strong.length > 0 || t.weak.some((w) => w !== 'promo') || t.offer
  if (links.inText.some((l) => !isCitation(l.host) && !vendor.has(l.host)) && sellingLink) out.push({ reason: 'link_commercial', weight: 1.2 })
  // The Website field of a name that is a business or a keyword is that business's link.
  // A reader's own site is no reason to hold a comment: the field counts only beside selling.
  // So is a keyword host ("cheap-kitchen-cabinets-online.com") under stock praise: the link-dropper's template.
  const keywordSite = links.website !== undefined && hostKeywordSignals([links.website]).length > 0
  if (links.website !== undefined && (selling || authorSignals(s.author).length > 0 || (keywordSite && t.praiseHits.length > 0)))
    out.push({ reason: 'website_field', weight: 1.5 })
  out.push(...languageSignals(text, options))
  return out
}

/** All signals of a comment. */
export function signals(s: SignalInput, options: SignalOptions = {}): Signal[] {
  return [...authorSignals(s.author), ...contentSignals(s, options)]
}

/** The weights of signals summed (log-odds added to the model's). */
export function signalWeight(list: readonly Signal[]): number {
  let w = 0
  for (const s of list) w += s.weight
  return w
}
