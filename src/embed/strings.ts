// Every word the embed shows, in one place. Add a language by adding an entry; missing keys fall back to English.
const en = {
  leaveReply: 'Leave a Reply',
  leaveReplyTo: 'Leave a Reply to {name}',
  cancelReply: 'Cancel reply',
  name: 'Name',
  email: 'Email',
  website: 'Website',
  comment: 'Comment',
  privacy: 'Your email address will not be published. Required fields are marked',
  post: 'Post Comment',
  posting: 'Posting…',
  reply: 'Reply',
  replyTo: 'Reply to {name}',
  loadMore: 'Load more comments',
  loading: 'Loading comments…',
  loadFailed: 'The comments could not be loaded. Please try again later.',
  count0: 'No comments yet',
  count1: 'One comment',
  countN: '{n} comments',
  awaiting: 'Your comment is awaiting moderation.',
  honeypot: 'Leave this field empty',
  required: 'Please fill the required fields: {fields}.',
  needName: 'Please enter your name.',
  needEmail: 'Please enter your email address.',
  badEmail: 'Please enter a valid email address, like name@example.com.',
  badUrl: 'Your website must be a web address starting with http:// or https://.',
  needComment: 'Please write a comment.',
  duplicate: 'You have already posted this comment.',
  rateLimited: 'You are posting too quickly. Please wait {wait} and try again.',
  seconds: '{n} seconds',
  minutes: '{n} minutes',
  closed: 'Comments are closed on this article.',
  parentGone: 'The comment you are replying to is no longer available.',
  failed: 'Your comment could not be posted. Please try again.',
  offline: 'Parley could not be reached. Check your connection and try again.',
  posted: 'Thank you! Your comment is awaiting moderation.',
  published: 'Thank you! Your comment is published.',
  notifyLabel: 'Notify me of follow-up comments by email',
  notifyConfirm: 'Check your inbox: follow-up comments are sent only after you confirm by the link we just emailed you.',
}

export type Strings = typeof en

const fr: Partial<Strings> = {
  leaveReply: 'Laisser un commentaire',
  leaveReplyTo: 'Répondre à {name}',
  cancelReply: 'Annuler la réponse',
  name: 'Nom',
  email: 'E-mail',
  website: 'Site web',
  comment: 'Commentaire',
  privacy: 'Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec',
  post: 'Publier le commentaire',
  posting: 'Envoi…',
  reply: 'Répondre',
  replyTo: 'Répondre à {name}',
  loadMore: 'Afficher plus de commentaires',
  loading: 'Chargement des commentaires…',
  loadFailed: 'Les commentaires n’ont pas pu être chargés. Réessayez plus tard.',
  count0: 'Aucun commentaire',
  count1: 'Un commentaire',
  countN: '{n} commentaires',
  awaiting: 'Votre commentaire est en attente de modération.',
  honeypot: 'Laissez ce champ vide',
  required: 'Veuillez remplir les champs obligatoires : {fields}.',
  needName: 'Veuillez saisir votre nom.',
  needEmail: 'Veuillez saisir votre adresse e-mail.',
  badEmail: 'Veuillez saisir une adresse e-mail valide, comme nom@exemple.fr.',
  badUrl: 'Votre site doit être une adresse web commençant par http:// ou https://.',
  needComment: 'Veuillez écrire un commentaire.',
  duplicate: 'Vous avez déjà publié ce commentaire.',
  rateLimited: 'Vous publiez trop vite. Patientez {wait} puis réessayez.',
  seconds: '{n} secondes',
  minutes: '{n} minutes',
  closed: 'Les commentaires sont fermés pour cet article.',
  parentGone: 'Le commentaire auquel vous répondez n’est plus disponible.',
  failed: 'Votre commentaire n’a pas pu être publié. Réessayez.',
  offline: 'Parley est injoignable. Vérifiez votre connexion et réessayez.',
  posted: 'Merci ! Votre commentaire est en attente de modération.',
  published: 'Merci ! Votre commentaire est publié.',
  notifyLabel: 'Me prévenir des réponses par e-mail',
  notifyConfirm: 'Vérifiez votre boîte de réception : les réponses ne vous seront envoyées qu’après confirmation par le lien que nous venons de vous écrire.',
}

const languages: Record<string, Partial<Strings>> = { en, fr }

export type Translate = (key: keyof Strings, vars?: Record<string, string | number>) => string

/** The strings for a language tag such as "fr" or "fr-CA"; English for anything unknown. */
export function strings(lang: string): Translate {
  const table = { ...en, ...languages[lang.toLowerCase().split('-')[0] ?? 'en'] }
  return (key, vars = {}) => table[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''))
}
