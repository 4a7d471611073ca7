// The embed's language tables: one per language, each with every key, every plural form its language
// needs (as Intl.PluralRules names them) and the same {placeholders} as English.
import { describe, expect, it } from 'vitest'
import { en, type Plural } from '../src/embed/lang/en.js'
import { tables } from '../src/embed/lang/index.js'
import { LANGUAGES, pickLanguage, translator } from '../src/embed/strings.js'

const placeholders = (entry: string | Plural) =>
  [...new Set([...(typeof entry === 'string' ? entry : Object.values(entry).join(' ')).matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort()

describe('embed language tables', () => {
  it('at least ten languages, among them right-to-left, several plural forms and CJK; the embed knows the same list', () => {
    expect(Object.keys(tables).length).toBeGreaterThanOrEqual(10)
    expect(Object.keys(tables).sort()).toEqual([...LANGUAGES].sort())
    expect(translator('ar').dir).toBe('rtl')
    expect(new Intl.PluralRules('ru').resolvedOptions().pluralCategories.length).toBeGreaterThanOrEqual(3)
    expect(Object.keys(tables)).toEqual(expect.arrayContaining(['ar', 'ru', 'pl', 'ja', 'zh']))
  })

  describe.each(Object.entries(tables))('%s', (lang, table) => {
    it('has every key of the English table and no other, with the same placeholders', () => {
      expect(Object.keys(table).sort()).toEqual(Object.keys(en).sort())
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        expect(placeholders(table[key]), `${lang}.${key}`).toEqual(placeholders(en[key]))
        expect(typeof table[key], `${lang}.${key}`).toBe(typeof en[key])
        if (typeof table[key] === 'string') expect(table[key].trim(), `${lang}.${key}`).not.toBe('')
      }
    })

    it('has the plural forms its language needs', () => {
      const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        const entry = table[key]
        if (typeof entry === 'string') continue
        expect(Object.keys(entry).sort(), `${lang}.${key}`).toEqual([...needed].sort())
      }
    })

    it('is not English, except where the word is the same', () => {
      if (lang === 'en') return
      const same = (Object.keys(en) as (keyof typeof en)[]).filter((k) => JSON.stringify(table[k]) === JSON.stringify(en[k]))
      // Words several languages share with English ("Name", "Website", "Autor"…), and the list separator.
      expect(
        same.filter((k) => !['name', 'website', 'email', 'listSep', 'authorBadge'].includes(k)),
        lang,
      ).toEqual([])
    })
  })

  it('picks the plural form by Intl.PluralRules: Arabic 0/1/2/5/11/100, Russian and Polish', () => {
    const ar = translator('ar', tables.ar)
    const number = new Intl.NumberFormat('ar')
    expect([0, 1, 2, 5, 11, 100].map((n) => ar('count', { n }))).toEqual([
      'لا توجد تعليقات',
      'تعليق واحد',
      'تعليقان',
      `${number.format(5)} تعليقات`,
      `${number.format(11)} تعليقًا`,
      `${number.format(100)} تعليق`,
    ])
    const ru = translator('ru', tables.ru)
    expect([1, 2, 5, 21, 22, 25, 111].map((n) => ru('count', { n }))).toEqual([
      '1 комментарий',
      '2 комментария',
      '5 комментариев',
      '21 комментарий',
      '22 комментария',
      '25 комментариев',
      '111 комментариев',
    ])
    const pl = translator('pl', tables.pl)
    expect([1, 2, 5, 21, 22].map((n) => pl('count', { n }))).toEqual([
      '1 komentarz',
      '2 komentarze',
      '5 komentarzy',
      '21 komentarzy',
      '22 komentarze',
    ])
    expect(translator('en')('count', { n: 1200 })).toBe('1,200 comments')
    expect(translator('ja', tables.ja)('count', { n: 3 })).toBe('3 件のコメント')
  })

  it('takes the language from data-lang, else <html lang>, else English', () => {
    expect(pickLanguage('ar', 'fr')).toBe('ar')
    expect(pickLanguage(undefined, 'ru-RU')).toBe('ru')
    expect(pickLanguage('', 'pt_BR')).toBe('pt')
    expect(pickLanguage('xx', 'PL')).toBe('pl')
    expect(pickLanguage(undefined, '')).toBe('en')
    expect(pickLanguage('sv', 'fi')).toBe('en')
  })
})
