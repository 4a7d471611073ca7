import { escapeHtml } from '../views/html.js'

/** A message as every transport takes it: both parts, escaped, with the headers the outbox fixes. */
export type OutgoingMail = {
  from: string
  to: string[]
  replyTo?: string | undefined
  subject: string
  text: string
  html: string
  /** `<…@host>`: the same for every attempt at one event, so a repeat after a crash is recognizably one message. */
  messageId: string
  headers: Record<string, string>
}

type Lang = 'en' | 'fr'
export const mailLanguages: readonly Lang[] = ['en', 'fr']

/** The reader's language among the messages' own, from the embed's lang or the Accept-Language header. */
export function mailLanguage(lang: string | undefined, acceptLanguage: string | undefined): Lang {
  const tags = [lang, ...(acceptLanguage ?? '').split(',').map((part) => part.split(';')[0])]
  for (const tag of tags) {
    const base = tag?.trim().toLowerCase().split('-')[0]
    if (base && (mailLanguages as string[]).includes(base)) return base as Lang
  }
  return 'en'
}

const readerText = {
  en: {
    confirmSubject: 'Confirm email notifications',
    confirmIntro: 'Someone, probably you, asked to be told by email when a reply to their comment on {article} is published.',
    confirmAction: 'Confirm',
    confirmIgnore: 'If it was not you, ignore this message: nothing more will be sent.',
    replySubject: '{name} replied to your comment',
    replyIntro: '{name} replied to your comment on {article}:',
    replyRead: 'Read the conversation',
    unsubscribe: 'Stop these emails',
    why: 'You get this because you asked for notifications on {site}.',
  },
  fr: {
    confirmSubject: 'Confirmez les notifications par e-mail',
    confirmIntro: 'Quelqu’un, sans doute vous, a demandé à être prévenu par e-mail quand une réponse à son commentaire sur {article} est publiée.',
    confirmAction: 'Confirmer',
    confirmIgnore: 'Si ce n’était pas vous, ignorez ce message : rien d’autre ne sera envoyé.',
    replySubject: '{name} a répondu à votre commentaire',
    replyIntro: '{name} a répondu à votre commentaire sur {article} :',
    replyRead: 'Lire la conversation',
    unsubscribe: 'Ne plus recevoir ces e-mails',
    why: 'Vous recevez ce message parce que vous avez demandé des notifications sur {site}.',
  },
} satisfies Record<Lang, Record<string, string>>

const fill = (text: string, vars: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '')
/** Fills a template whose values are escaped for HTML; the template itself is ours. */
const fillHtml = (text: string, vars: Record<string, string>) =>
  fill(escapeHtml(text), Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, escapeHtml(v)])))

const quote = (text: string) =>
  text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n')
const shell = (lang: string, body: string) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"></head><body style="font-family:sans-serif;line-height:1.5;max-width:40em">${body}</body></html>`
const link = (href: string, label: string) => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`

export type Site = { name: string; from: string; replyTo: string | undefined }

/** The RFC 8058 pair: a mail client's "Unsubscribe" POSTs `List-Unsubscribe=One-Click` to the URL. */
export const unsubscribeHeaders = (url: string) => ({ 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' })

export function confirmMessage(
  site: Site,
  m: { to: string; lang: Lang; article: string; confirmUrl: string; unsubscribeUrl: string; messageId: string },
): OutgoingMail {
  const t = readerText[m.lang]
  const vars = { article: m.article, site: site.name }
  return {
    from: site.from,
    to: [m.to],
    replyTo: site.replyTo,
    subject: `[${site.name}] ${t.confirmSubject}`,
    messageId: m.messageId,
    headers: { ...unsubscribeHeaders(m.unsubscribeUrl), 'Auto-Submitted': 'auto-generated' },
    text: `${fill(t.confirmIntro, vars)}\n\n${t.confirmAction}: ${m.confirmUrl}\n\n${t.confirmIgnore}\n\n-- \n${t.unsubscribe}: ${m.unsubscribeUrl}\n`,
    html: shell(
      m.lang,
      `<p>${fillHtml(t.confirmIntro, vars)}</p><p>${link(m.confirmUrl, t.confirmAction)}</p><p>${escapeHtml(t.confirmIgnore)}</p>` +
        `<hr><p style="font-size:small">${link(m.unsubscribeUrl, t.unsubscribe)}</p>`,
    ),
  }
}

export function replyMessage(
  site: Site,
  m: {
    to: string
    lang: Lang
    article: string
    articleUrl: string | null
    author: string
    content: string
    unsubscribeUrl: string
    messageId: string
  },
): OutgoingMail {
  const t = readerText[m.lang]
  const vars = { article: m.article, name: m.author, site: site.name }
  const read = m.articleUrl ? `\n${t.replyRead}: ${m.articleUrl}\n` : ''
  return {
    from: site.from,
    to: [m.to],
    replyTo: site.replyTo,
    subject: `[${site.name}] ${fill(t.replySubject, vars)}`,
    messageId: m.messageId,
    headers: { ...unsubscribeHeaders(m.unsubscribeUrl), 'Auto-Submitted': 'auto-generated' },
    text: `${fill(t.replyIntro, vars)}\n\n${quote(m.content)}\n${read}\n-- \n${fill(t.why, vars)}\n${t.unsubscribe}: ${m.unsubscribeUrl}\n`,
    html: shell(
      m.lang,
      `<p>${fillHtml(t.replyIntro, vars)}</p><blockquote style="border-left:3px solid #ccc;margin:0;padding-left:1em;white-space:pre-wrap">${escapeHtml(m.content)}</blockquote>` +
        (m.articleUrl ? `<p>${link(m.articleUrl, t.replyRead)}</p>` : '') +
        `<hr><p style="font-size:small">${fillHtml(t.why, vars)} ${link(m.unsubscribeUrl, t.unsubscribe)}</p>`,
    ),
  }
}

/** One held comment as a moderator reads it: what, by whom, why it waits, and the one-click links. */
export type HeldItem = {
  id: number
  article: string
  author: string
  url: string | null
  content: string
  reasons: string[]
  spamScore: number | null
  links: { approve: string; spam: string; trash: string; console: string }
}

const heldText = (item: HeldItem) =>
  [
    `Article: ${item.article}`,
    `Author: ${item.author}${item.url ? ` (${item.url})` : ''}`,
    `Why it waits: ${item.reasons.length ? item.reasons.join(', ') : 'every new comment is held'}${item.spamScore === null ? '' : `; spam score ${item.spamScore.toFixed(2)}`}`,
    '',
    quote(item.content),
    '',
    `Approve: ${item.links.approve}`,
    `Spam: ${item.links.spam}`,
    `Trash: ${item.links.trash}`,
    `Console: ${item.links.console}`,
  ].join('\n')

const heldHtml = (item: HeldItem) =>
  `<p><b>${escapeHtml(item.article)}</b><br>${escapeHtml(item.author)}${item.url ? ` (${escapeHtml(item.url)})` : ''}<br>` +
  `Why it waits: ${escapeHtml(item.reasons.length ? item.reasons.join(', ') : 'every new comment is held')}` +
  `${item.spamScore === null ? '' : `; spam score ${item.spamScore.toFixed(2)}`}</p>` +
  `<blockquote style="border-left:3px solid #ccc;margin:0;padding-left:1em;white-space:pre-wrap">${escapeHtml(item.content)}</blockquote>` +
  `<p>${link(item.links.approve, 'Approve')} · ${link(item.links.spam, 'Spam')} · ${link(item.links.trash, 'Trash')} · ${link(item.links.console, 'Console')}</p>`

/** To moderators: one held comment, or (digest) several. Each link asks for confirmation on its page, works once and expires. */
export function heldMessage(site: Site, m: { to: string[]; items: HeldItem[]; expiresAt: Date; messageId: string }): OutgoingMail {
  const [first] = m.items
  const single = m.items.length === 1 && first
  const subject = single
    ? `[${site.name}] A comment on ${first.article} is waiting for your approval`
    : `[${site.name}] ${m.items.length} comments are waiting for your approval`
  const expiry = `The links work once each, until ${m.expiresAt.toISOString().replace('T', ' ').slice(0, 16)} UTC; each asks you to confirm.`
  return {
    from: site.from,
    to: m.to,
    replyTo: site.replyTo,
    subject,
    messageId: m.messageId,
    headers: { 'Auto-Submitted': 'auto-generated' },
    text: `${m.items.map(heldText).join('\n\n----\n\n')}\n\n${expiry}\n`,
    html: shell('en', `${m.items.map(heldHtml).join('<hr>')}<p style="font-size:small">${escapeHtml(expiry)}</p>`),
  }
}
