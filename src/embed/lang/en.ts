// English: the embed's own table (bundled in embed.js) and the shape every other language follows.
// A plural entry holds the forms Intl.PluralRules names (one, two, few, many, other, zero); {n} is the number.
export type Plural = { zero?: string; one?: string; two?: string; few?: string; many?: string; other: string }

export const en = {
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
  count: { one: 'One comment', other: '{n} comments' } as Plural,
  awaiting: 'Your comment is awaiting moderation.',
  honeypot: 'Leave this field empty',
  required: 'Please fill the required fields: {fields}.',
  listSep: ', ',
  needName: 'Please enter your name.',
  needEmail: 'Please enter your email address.',
  badEmail: 'Please enter a valid email address, like name@example.com.',
  badUrl: 'Your website must be a web address starting with http:// or https://.',
  needComment: 'Please write a comment.',
  duplicate: 'You have already posted this comment.',
  rateLimited: 'You are posting too quickly. Please wait {wait} and try again.',
  seconds: { one: '{n} second', other: '{n} seconds' } as Plural,
  minutes: { one: '{n} minute', other: '{n} minutes' } as Plural,
  closed: 'Comments are closed on this article.',
  closedNotice: 'Comments are closed.',
  parentGone: 'The comment you are replying to is no longer available.',
  failed: 'Your comment could not be posted. Please try again.',
  offline: 'Parley could not be reached. Check your connection and try again.',
  posted: 'Thank you! Your comment is awaiting moderation.',
  published: 'Thank you! Your comment is published.',
  authorBadge: 'Author',
  notifyLabel: 'Notify me of follow-up comments by email',
  notifyConfirm: 'Check your inbox to confirm your subscription.',
}

export type Strings = { [K in keyof typeof en]: (typeof en)[K] extends Plural ? Plural : string }
export type TextKey = { [K in keyof Strings]: Strings[K] extends string ? K : never }[keyof Strings]
export type PluralKey = Exclude<keyof Strings, TextKey>
