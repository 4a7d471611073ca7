/**
 * The channel on which a change to an article (its public list, its closing) is announced, with its key
 * as payload, or ALL_ARTICLES (an empty payload, never a key) after a change to many. The writers (db/) announce;
 * the public cache (cache/) and the embedded database's listener hear it.
 */
export const ARTICLE_CHANNEL = 'parley_articles'
export const ALL_ARTICLES = ''
