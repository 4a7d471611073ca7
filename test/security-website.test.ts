// The Website field takes no user name or password (security review I10): an author link never reads as one site
// and goes to another.
import { describe, expect, it } from 'vitest'
import { backends } from './support/db.js'
import { uniqueArticle, validComment, appForSuite } from './support/app.js'

const refused = [
  'http://user:pass@x.example/',
  'https://bank.example@evil.example/',
  'https://x.example\\@evil.example/',
  'https://x.example\\\\@evil.example/',
  'http://:pw@x.example',
  'HTTPS://me@x.example/page',
]
const accepted = ['https://x.example/@someone', 'https://x.example/a?b=c@d', 'https://x.example/#me@home', 'http://x.example:8080/']

describe.each(backends)('the Website field on $name PostgreSQL', (backend) => {
  const t = appForSuite(backend)

  it.each(refused)('refuses %s with a 400 naming the field, storing nothing', async (url) => {
    const article = uniqueArticle('userinfo')
    const res = await t.post(validComment(article, { url }))
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.error.code).toBe('validation_failed')
    expect(body.error.fields.url).toMatch(/user name or password/)
    const held = await (await t.admin('GET', `/comments?status=pending&article=${encodeURIComponent(article)}`)).json()
    expect(held.comments).toHaveLength(0)
  })

  it.each(accepted)('accepts %s (an @ after the site name)', async (url) => {
    const res = await t.post(validComment(uniqueArticle('userinfo-ok'), { url }))
    expect(res.status).toBe(201)
    expect((await res.json()).comment.url).toBe(url)
  })
})
