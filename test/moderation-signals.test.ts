import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../src/config.js'
import { issueFormToken } from '../src/moderation/form-token.js'
import type { Learner } from '../src/moderation/learner.js'
import { createModeration } from '../src/moderation/pipeline.js'
import { findLinks, hasPhoneNumber, hostKeywords, markupLinks, signals } from '../src/moderation/signals.js'
import { WordSet } from '../src/moderation/word-set.js'
import { deriveKeys } from '../src/privacy/keys.js'

const reasonsOf = (content: string, author = 'Dana', url: string | null = null) =>
  signals({ author, content, url }).map((s) => s.reason.split(':')[0])

describe('phone numbers', () => {
  it.each([
    ['Call +1 (555) 123-4567 today', true],
    ['WhatsApp 0044 7700 900123', true],
    ['ring 9876543210', true],
    ['the year 2019 and 2020', false],
    ['a 20-digit id 12345678901234567890', false],
    [`request id ${randomUUID()}`, false],
    ['commit 3f9a1c2b4d5e6f708192a3b4c5d6e7f8091a2b3c', false],
    ['serial AB123456789CD', false],
  ])('%s → %s', (text, expected) => {
    expect(hasPhoneNumber(text)).toBe(expected)
  })
  it('a UUID in a plain comment raises no signal at all', () => {
    for (let i = 0; i < 50; i++) expect(reasonsOf(`A thoughtful comment ${randomUUID()}`)).toEqual([])
  })
})

const kinds = (content: string, author = 'Dana', url: string | null = null, siteLanguages?: string[]) =>
  signals({ author, content, url }, siteLanguages ? { siteLanguages } : {}).map((s) => s.reason.split(':')[0]!)
const weightOf = (reason: string, content: string, author = 'Dana', url: string | null = null) =>
  signals({ author, content, url }).find((s) => s.reason.split(':')[0] === reason)?.weight ?? 0

describe('each signal: a case that has it and a near miss that does not', () => {
  it.each([
    // [reason, spam-like input, legitimate look-alike]
    ['author_link', { author: 'www.cheap-pills.com' }, { author: 'Dana Smith' }],
    ['author_keywords', { author: 'Cheap Viagra' }, { author: 'Viola Green' }],
    ['author_business', { author: 'Denver Roofing Pros' }, { author: 'Denver Jones' }],
    ['link_markup', { content: 'see <a href="http://x.example.com">this</a>' }, { content: 'see <b>this</b>' }],
    ['link_markup', { content: '[url=http://x.example.com]deal[/url]' }, { content: '[quote]deal[/quote]' }],
    ['link_markup', { content: 'read [the guide](https://guide.example.com)' }, { content: 'read [the guide] again' }],
    ['link_shortener', { content: 'more here bit.ly/3xkQp9' }, { content: 'more here github.com/nodejs/node' }],
    ['cheap_domain', { content: 'visit http://deals.xyz/now' }, { content: 'visit https://example.org/now' }],
    ['obfuscated_link', { content: 'go to hxxp://pills.ru/buy' }, { content: 'go to https://pills.example.org' }],
    ['obfuscated_link', { content: 'check bestdeals dot com today' }, { content: 'the dot com bubble burst' }],
    ['many_links', { content: 'a.com/x b.com/y c.com/z and more' }, { content: 'one link https://example.org/a only' }],
    [
      'bare_link',
      { content: 'https://spam.example.com/offer' },
      { content: 'The figures are at https://example.org/data, and the second table disagrees with them.' },
    ],
    ['spam_topic', { content: 'Buy cheap viagra online' }, { content: 'The viaduct was closed' }],
    ['spam_topic', { content: 'so hp australia support will guide you' }, { content: 'my HP laptop supports Python 3 well' }],
    ['spam_topic', { content: 'Watch the latest movies online free in HD' }, { content: 'I watched the latest movie online with friends' }],
    [
      'spam_topic',
      { content: 'I am so grateful to Dr. Okoro who cured my herpes with herbal medicine' },
      { content: 'My herpes flare-ups got rarer after my doctor changed the medicine' },
    ],
    ['spam_topic', { content: 'Get 50% off CBD gummies today' }, { content: 'The gummies were a hit with the kids' }],
    [
      'website_field',
      { content: 'Great post, thanks for sharing!', url: 'https://cheap-kitchen-cabinets-online.com' },
      { content: 'Great post, thanks for sharing!', url: 'https://sarahbakes.blog' },
    ],
    ['spam_topic', { content: 'a well-put exercise is in do my essay' }, { content: 'reading my essay again, it holds up' }],
    ['promotion', { content: 'Free shipping on every order, shop now' }, { content: 'The shipping news' }],
    ['keyword_stuffing', { content: 'cheap flights, cheap hotels, holiday packages, tour packages, best price' }, { content: 'We flew to Rome' }],
    ['phone_number', { content: 'Call +1 (555) 123-4567 today' }, { content: 'It happened in 1984 and 2001' }],
    ['email_in_text', { content: 'loans at 2% interest, email loans@example.com' }, { content: 'the @ sign in a handle, @dana' }],
    ['contact_me', { content: 'cheap loans, contact me on WhatsApp' }, { content: 'I use Signal and email' }],
    ['template_praise', { content: 'Great post, thanks for sharing! https://shop.example.com' }, { content: 'Great post, thanks for sharing!' }],
    ['link_commercial', { content: 'Best price for replica watches at https://w.example.com' }, { content: 'Source: https://example.org/report' }],
    ['link_keywords', { content: 'nice', url: 'https://cheap-online-pills.example.com' }, { content: 'nice', url: 'https://danasmith.dev' }],
    ['anchor_text', { content: 'Thanks, very clear.\nCleaning Company Dubai' }, { content: 'Thanks, very clear.\nSee you in Dubai' }],
    ['self_promotion', { content: 'please subscribe to my channel' }, { content: 'the channel was rough on the ferry' }],
    ['self_promotion', { content: 'LIKE AND SUBSCRIBE' }, { content: 'I like it, and I subscribed to the newsletter' }],
    ['self_promotion', { content: 'new youtuber here, check me out' }, { content: 'the checkout was slow, but it worked out' }],
  ])('%s', (reason, bad, good) => {
    const of = (x: { author?: string; content?: string; url?: string }) => kinds(x.content ?? 'Hello there', x.author ?? 'Dana', x.url ?? null)
    expect(of(bad)).toContain(reason)
    expect(of(good)).not.toContain(reason)
  })

  it('language: only when the site names its languages, and only another language', () => {
    const french = "Merci pour cet article, il est très clair et j'ai appris beaucoup"
    expect(kinds(french)).not.toContain('language')
    expect(kinds(french, 'Dana', null, ['en'])).toContain('language')
    expect(kinds(french, 'Dana', null, ['en', 'fr'])).not.toContain('language')
  })

  it('a spam topic without a way to buy or reach anyone weighs less than with one', () => {
    expect(weightOf('spam_topic', 'My doctor prescribed tramadol after surgery')).toBeLessThan(1)
    expect(weightOf('spam_topic', 'tramadol without prescription, order at https://rx.example.com')).toBeGreaterThanOrEqual(2)
  })

  it("a brand's help desk named beside a link to the vendor's page is a hint, not an offer", () => {
    const text = 'Great tutorial. By the way the HP support page has a newer driver: https://support.hp.com/us-en/drivers'
    expect(weightOf('spam_topic', text)).toBeLessThan(1)
    expect(kinds(text)).not.toContain('link_commercial')
  })

  it('a link and little else is a hint when it cites a reference, a sign when it promotes a site', () => {
    expect(weightOf('bare_link', 'Relevant: https://github.com/nodejs/node/issues/12345')).toBeLessThan(1)
    expect(weightOf('bare_link', 'Source: https://www.nature.com/articles/s41586-020-2649-2')).toBeLessThan(1)
    expect(weightOf('bare_link', 'Relevant: https://best-deals.example.com/offer')).toBeGreaterThanOrEqual(2)
    // Twitter wraps every link in t.co: it says nothing about where the link leads.
    expect(weightOf('bare_link', 'look http://t.co/TXw4uJ7FAZ')).toBeGreaterThanOrEqual(2)
  })

  it('an amount alone is no offer beside a topic; money words are', () => {
    expect(weightOf('spam_topic', 'We tried the casino night fundraiser idea at our school and raised $2,000 for the library.')).toBeLessThan(1)
    expect(weightOf('spam_topic', 'Best casino bonus today: $500 free')).toBeGreaterThanOrEqual(2)
  })

  it('help-desk words beside a number are no offer; the same number beside an offer is', () => {
    expect(weightOf('phone_number', 'The helpline number in the article is wrong, it should be 0800 123 4567')).toBeLessThan(1)
    expect(weightOf('phone_number', 'Cheap loans approved today, call 0800 123 4567')).toBeGreaterThanOrEqual(2)
  })

  it('words that only name money ("free", "hiring") are no offer beside a number or a contact-me; an offering word is', () => {
    expect(weightOf('phone_number', 'Call your local council on 020 7946 0000, they told me the permit is free for residents.')).toBeLessThan(1)
    expect(weightOf('phone_number', 'Call 020 7946 0000 for cheap permits, approved today')).toBeGreaterThanOrEqual(2)
    expect(weightOf('contact_me', "Contact me on LinkedIn if you're hiring for this kind of role.")).toBeLessThan(1)
    expect(weightOf('contact_me', 'Contact me on LinkedIn to earn a bonus every week.')).toBeGreaterThanOrEqual(2)
    // Two money words together, or one beside an amount, still make an offer.
    expect(weightOf('contact_me', 'Free money for everyone, contact me on WhatsApp')).toBeGreaterThanOrEqual(2)
  })

  it("a spam topic's own subject (a loan and its interest) is no way to buy it", () => {
    const story = 'Loans with 30% interest should be illegal. My cousin took a payday loan and it took her two years to repay.'
    expect(weightOf('spam_topic', story)).toBeLessThan(1)
    expect(weightOf('spam_topic', 'Get a cheap payday loan today, approved in minutes')).toBeGreaterThanOrEqual(2)
  })

  it('an amount alone beside a link is no commercial link; an offering word is', () => {
    const text = "The book 'Designing Data-Intensive Applications' is worth it: https://bookshop.org/p/books/designing-data — about $40."
    expect(kinds(text)).not.toContain('link_commercial')
    expect(kinds(text.replace('worth it', 'cheap to buy'))).toContain('link_commercial')
  })

  it("digits in a link's address are no phone number; the same digits in the text are", () => {
    expect(kinds('Worth reading: https://www.amazon.com/dp/1449373321 and every chapter is relevant here.')).not.toContain('phone_number')
    expect(kinds('Worth reading, call 1449373321 and every chapter is relevant here.')).toContain('phone_number')
  })

  it('a chance to win something is an offer', () => {
    expect(kinds('Like this page for a chance to win an iPhone: https://pages.example.com/brew-crew')).toContain('link_commercial')
    expect(kinds('Like this page, the iPhone review is here: https://pages.example.com/brew-crew')).not.toContain('link_commercial')
  })

  it("a named brand's help page on the brand's own domain is no support scam; a look-alike host or a number beside it is", () => {
    const own =
      'For QuickBooks users: the export is under Reports > Custom, see https://quickbooks.intuit.com/learn-support/en-us/help-article/ for the steps.'
    expect(weightOf('spam_topic', own)).toBeLessThan(1)
    expect(kinds(own)).not.toContain('link_commercial')
    expect(kinds(own)).not.toContain('short_with_link')
    const lookAlike = own.replace('quickbooks.intuit.com', 'quickbooks-help.example.com')
    expect(weightOf('spam_topic', lookAlike)).toBeGreaterThanOrEqual(1.5)
    expect(weightOf('spam_topic', own.replace('for the steps', 'or call 1-800-555-0143'))).toBeGreaterThanOrEqual(1.5)
    expect(kinds('Incredible work! You may check our website also 123.hp.com/envy HP support')).toContain('short_with_link')
    // The brand as a label of someone else's domain is a look-alike.
    expect(kinds(own.replace('quickbooks.intuit.com', 'quickbooks.intuit.help-desk.com'))).toContain('link_commercial')
    expect(kinds('My Epson printer showed error 0x97; the fix on https://epson.com/support/wa00862 worked.')).not.toContain('short_with_link')
    expect(kinds('My Epson printer showed error 0x97; the fix on https://epson.printer-fix.com/support/wa00862 worked.')).toContain('short_with_link')
  })

  it('"follow me on …" alone is a hint; with a handle, a link or an offer beside it, self-promotion', () => {
    expect(weightOf('self_promotion', 'Follow me on Twitter if you want more of these benchmarks, I post them every week.')).toBeLessThan(1)
    expect(weightOf('self_promotion', 'Follow me on Twitter @benchmarks_daily for more')).toBeGreaterThanOrEqual(1)
    expect(weightOf('self_promotion', 'follow me on twitter: freyacumqueen')).toBeGreaterThanOrEqual(1)
    expect(weightOf('self_promotion', 'Follow me on Instagram for exclusive offers and discounts!')).toBeGreaterThanOrEqual(1)
  })

  it('"check out my" a reader\'s own writing on the subject is no self-promotion; "check out my channel" is', () => {
    expect(kinds('Check out my post about the same bug, with a workaround: https://rajcodes.medium.com/fixing-it')).not.toContain('self_promotion')
    expect(kinds('Check out my new write-up of the migration: https://sven.example.dev/blog/pg15')).not.toContain('self_promotion')
    expect(kinds('Check out my new channel, posting daily!')).toContain('self_promotion')
    expect(kinds('Check out my website for the best laptops: https://laptops.example.com')).toContain('self_promotion')
  })

  it('what a business offers free, and a loan beside a way to reach the lender, are offers', () => {
    expect(weightOf('phone_number', 'Injured in an accident? Free consultation with our attorneys, call (212) 555-0198.')).toBeGreaterThanOrEqual(2)
    expect(weightOf('email_in_text', 'I got my loan from a legit lender after being scammed, contact mrjohnloans@gmail.com')).toBeGreaterThanOrEqual(
      2,
    )
    expect(
      weightOf('email_in_text', 'Our neighbourhood watch meets on Thursdays, email me at olu.watch@example.org to join, it is free.'),
    ).toBeLessThan(1)
  })

  it("a reader's own blog named beside its link is no commercial link; a deal beside it is", () => {
    const text = 'I wrote a longer response to this on my blog: https://marialopez.example.net/2026/11/on-caching.html'
    expect(kinds(text)).not.toContain('link_commercial')
    expect(kinds(`${text} with the best deals on hosting`)).toContain('link_commercial')
  })

  it('an amount beside a way to reach them is no offer; an amount with an offering word is', () => {
    const text = 'The bake sale raised $640, thank you! Questions to me at paula.pta@example.org.'
    expect(weightOf('email_in_text', text)).toBeLessThan(1)
    expect(weightOf('email_in_text', text.replace('The bake sale raised', 'Earn'))).toBeGreaterThanOrEqual(2)
  })

  it('every further way of reaching them beside an offer adds weight', () => {
    const one = weightOf('email_in_text', 'I got a loan of $5,000, write to loans@example.com')
    const two = weightOf('email_in_text', 'I got a loan of $5,000, contact them at loans@example.com')
    expect(two).toBeGreaterThan(one)
  })

  it('praise with only the Website field weighs less than praise with a link in the text', () => {
    const site = weightOf('template_praise', 'Great post, thanks for sharing!', 'Dana', 'https://dana.example.com')
    const text = weightOf('template_praise', 'Great post, thanks for sharing! https://dana.example.com')
    expect(site).toBeGreaterThan(0)
    expect(text).toBeGreaterThan(site)
  })
})

describe('links in markup are read by their target, which the stripped text no longer shows', () => {
  const all = (text: string) => {
    const written = findLinks(text)
    return [...written, ...markupLinks(text, written)].map((l) => l.host + l.path)
  }
  it.each([
    ['<a href="https://www.cheap-pills.xyz">cheap pills</a>', ['cheap-pills.xyz']],
    ["<a class='x' href='http://bit.ly/3xkQp9'>click</a>", ['bit.ly/3xkqp9']], // read folded, as the text's links are
    ['[url=http://deals.example.com/now]deals[/url]', ['deals.example.com/now']],
    // A target the text also shows counts once; a link written twice in the text still counts twice.
    ['<a href="http://x.example.com/a">http://x.example.com/a</a>', ['x.example.com/a']],
    ['http://a.example.com and http://a.example.com', ['a.example.com', 'a.example.com']],
    ['see <b>this</b> and x = 3', []],
  ])('%s', (text, hosts) => {
    expect(all(text)).toEqual(hosts)
  })
  it('a markup link is read for its host, not as a link written in the text', () => {
    expect(kinds('<a href="https://www.cheap-pills.xyz">cheap pills</a>')).toEqual(expect.arrayContaining(['link_markup', 'cheap_domain']))
    expect(kinds("<a href='http://bit.ly/3xkQp9'>more</a>")).toContain('link_shortener')
    // A video site's own markup for a moment of the video is no bare link.
    expect(kinds('<a href="http://www.youtube.com/watch?v=abc&amp;t=2m19s">2:19</a> best part')).not.toContain('bare_link')
  })
})

describe('host keywords', () => {
  it.each([
    ['cheap-kitchen-cabinets-online.com', true],
    ['paydayloansfast.com', true],
    ['rankboost-seo.com', true],
    ['best-bitcoin-trading-bot.io', true],
    ['github.com', false],
    ['alphabet.com', false],
    ['developer.mozilla.org', false],
    ['en.wikipedia.org', false],
    ['freecodecamp.org', false],
    ['sarahbakes.blog', false],
  ])('%s → %s', (host, expected) => {
    const k = hostKeywords(host)
    expect(k.strong.length > 0 || k.weak.length >= 2).toBe(expected)
  })
})

describe('the shipped prior alone never files a comment as spam', () => {
  const config = parseConfig({ ADMIN_TOKEN: 'test-admin-token-0123456789', SECRET_KEY: 'test-secret-key-0123456789abcdef0123456789' })
  const emptyLists = { compiled: async () => ({ moderation: new WordSet([]), disallowed: new WordSet([]) }) }
  // A learner that says 0.99 for everything, with `siteMargin` of it from the site's own decisions.
  const stub = (siteMargin: number): Learner => ({
    score: async () => 0.99,
    explain: async () => ({ score: 0.99, siteMargin }),
    learn: async () => {},
  })
  async function review(content: string, siteMargin: number) {
    const keys = await deriveKeys(config.secretKey)
    const now = new Date('2026-01-01T12:00:00Z')
    const moderation = createModeration({ config, keys, learner: stub(siteMargin), wordLists: emptyLists })
    return moderation.review({
      article: '/a',
      parentId: null,
      author: 'Dana',
      email: 'dana@example.com',
      emailHash: 'x'.repeat(64),
      url: null,
      content,
      formToken: await issueFormToken(keys, '/a', new Date(now.getTime() - 60_000)),
      website: '',
      userAgent: 'Mozilla/5.0',
      ip: null,
      now,
    })
  }
  it.each([
    ['no signal, prior only: held with its score shown', 'My doctor prescribed it after surgery', 0, 'pending'],
    ['a weak signal beside the prior: held', 'My doctor prescribed tramadol after surgery', 0, 'pending'],
    ['a signal that holds on any site: spam', 'see <a href="https://x.example.com">this</a>', 0, 'spam'],
    ["the site's own decisions: spam", 'My doctor prescribed it after surgery', 2, 'spam'],
  ])('%s', async (_label, content, siteMargin, status) => {
    const v = await review(content, siteMargin)
    expect(v.status).toBe(status)
    expect(v.reasons.some((r) => r.startsWith('spam_score:'))).toBe(true)
  })
})
