import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { html } from 'hono/html'
import { createMiddleware } from 'hono/factory'
import { mailLanguage } from '../email/messages.js'
import { confirmSubscription, subscriptionLang, unsubscribe } from '../email/subscriptions.js'
import { readEmailLink } from '../email/tokens.js'
import type { AppEnv } from '../env.js'
import { htmlPage } from '../views/page.js'
import { secureHtml } from './secure-html.js'

const text = {
  en: {
    confirmTitle: 'Confirm email notifications',
    confirmAsk: 'Do you want an email when someone replies to your comment?',
    confirmButton: 'Yes, notify me',
    confirmed: 'Done: you will get an email when a reply to your comment is published. Each message has a link to stop.',
    unsubTitle: 'Stop emails',
    unsubAsk: 'Which emails should stop?',
    unsubArticle: 'Replies on this article',
    unsubAll: 'Everything from this site',
    unsubscribed: 'Done: you will get no more of these emails.',
    unsubscribedAll: 'Done: this site will send you no more email.',
    broken: 'This link does not work',
    brokenText: 'It is not valid, has expired, or the subscription is gone.',
  },
  fr: {
    confirmTitle: 'Confirmer les notifications par e-mail',
    confirmAsk: 'Voulez-vous un e-mail quand quelqu’un répond à votre commentaire ?',
    confirmButton: 'Oui, prévenez-moi',
    confirmed:
      'C’est fait : vous recevrez un e-mail quand une réponse à votre commentaire sera publiée. Chaque message contient un lien pour arrêter.',
    unsubTitle: 'Arrêter les e-mails',
    unsubAsk: 'Quels e-mails faut-il arrêter ?',
    unsubArticle: 'Les réponses sur cet article',
    unsubAll: 'Tout ce que ce site envoie',
    unsubscribed: 'C’est fait : vous ne recevrez plus ces e-mails.',
    unsubscribedAll: 'C’est fait : ce site ne vous enverra plus d’e-mail.',
    broken: 'Ce lien ne fonctionne pas',
    brokenText: 'Il n’est pas valide, a expiré, ou l’abonnement n’existe plus.',
  },
}

function page(c: Context<AppEnv>, lang: 'en' | 'fr', title: string, body: ReturnType<typeof html>, status: 200 | 400 | 410 = 200) {
  c.header('Cache-Control', 'no-store')
  return c.html(
    htmlPage({
      lang,
      title,
      noindex: true,
      head: html`<style>
        body {
          font-family: system-ui, sans-serif;
          max-width: 36em;
          margin: 3em auto;
          padding: 0 1em;
          line-height: 1.5;
        }
        button {
          font: inherit;
          padding: 0.5em 1em;
          margin: 0.25em 0;
        }
      </style>`,
      body: html`<main>
        <h1>${title}</h1>
        ${body}
      </main>`,
    }),
    status,
  )
}

const broken = (c: Context<AppEnv>, lang: 'en' | 'fr' = 'en') => page(c, lang, text[lang].broken, html`<p>${text[lang].brokenText}</p>`, 410)

/**
 * The links in readers' messages, used without signing in. GET only shows a button: mail scanners and link
 * previews fetch GETs and must not confirm or unsubscribe anything. POST acts; the one-click unsubscribe of
 * RFC 8058 (a mail client's POST of `List-Unsubscribe=One-Click`) ends the subscription the message was about.
 */
export const emailRoutes = new Hono<AppEnv>()
  // The forms here send a word or two.
  .use(bodyLimit({ maxSize: 4096, onError: (c) => c.text('Too large', 413) }))
  // Pages with one inline style and forms that post back here: hono/secure-headers' set, as every Parley page has.
  .use(secureHtml({ styleSrc: ["'unsafe-inline'"] }))
  .get('/confirm/:token', async (c) => {
    const { keys, clock } = c.var.deps
    const link = await readEmailLink(keys, c.req.param('token'), clock())
    if (!link || link === 'expired' || link.p !== 'confirm') return broken(c)
    const lang = mailLanguage(undefined, c.req.header('accept-language'))
    const t = text[lang]
    return page(
      c,
      lang,
      t.confirmTitle,
      html`<p>${t.confirmAsk}</p>
        <form method="post"><button type="submit">${t.confirmButton}</button></form>`,
    )
  })
  .post('/confirm/:token', async (c) => {
    const { keys, clock, db } = c.var.deps
    const link = await readEmailLink(keys, c.req.param('token'), clock())
    if (!link || link === 'expired' || link.p !== 'confirm') return broken(c)
    const sub = await confirmSubscription(db, link.s, clock())
    if (!sub) return broken(c)
    const lang = mailLanguage(sub.lang, undefined)
    return page(c, lang, text[lang].confirmTitle, html`<p role="status">${text[lang].confirmed}</p>`)
  })
  .get('/unsubscribe/:token', async (c) => {
    const { keys, clock, db } = c.var.deps
    const link = await readEmailLink(keys, c.req.param('token'), clock())
    if (!link || link === 'expired' || link.p !== 'unsubscribe') return broken(c)
    const lang = mailLanguage(await subscriptionLang(db, link.h), undefined)
    const t = text[lang]
    return page(
      c,
      lang,
      t.unsubTitle,
      html`<p>${t.unsubAsk}</p>
        <form method="post">
          <button type="submit" name="scope" value="article">${t.unsubArticle}</button><br /><button type="submit" name="scope" value="everything">
            ${t.unsubAll}
          </button>
        </form>`,
    )
  })
  .post('/unsubscribe/:token', async (c) => {
    const { keys, clock, db } = c.var.deps
    const link = await readEmailLink(keys, c.req.param('token'), clock())
    if (!link || link === 'expired' || link.p !== 'unsubscribe') return broken(c)
    const lang = mailLanguage(await subscriptionLang(db, link.h), undefined)
    // A form's choice, or RFC 8058's one-click body (List-Unsubscribe=One-Click): the article the message was about.
    const form: Record<string, unknown> = await c.req.parseBody().catch(() => ({}))
    const everything = form.scope === 'everything'
    await unsubscribe(db, link.h, everything ? 'everything' : { articleId: link.a }, clock())
    return page(c, lang, text[lang].unsubTitle, html`<p role="status">${everything ? text[lang].unsubscribedAll : text[lang].unsubscribed}</p>`)
  })

/** After a write that may have queued email (a post, a decision, a link used), deliver what is due. */
export const kickOutboxAfter = createMiddleware<AppEnv>(async (c, next) => {
  await next()
  const deps = c.get('deps')
  if (!deps.kickOutbox || c.req.method === 'GET' || c.req.method === 'HEAD' || c.res.status >= 400) return
  const work = deps.kickOutbox()
  if (deps.defer) deps.defer(work)
})
