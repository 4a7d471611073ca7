import { Hono } from 'hono'
import * as z from 'zod'
import { toCommentRow } from '../db/comment-row.js'
import { recordAudit } from '../db/audit.js'
import { createComment, findComment } from '../db/comments.js'
import { displayNameOf } from '../db/moderators.js'
import type { AppEnv } from '../env.js'
import { AppError } from '../errors.js'
import { contentHash } from '../privacy/email.js'
import { toAdminComment } from '../views/comment.js'
import { decide } from './admin-decide.js'
import { pathId } from './ids.js'
import { validate } from './validate.js'

export const replyBody = z.object({
  content: z.string({ error: 'Please write a reply.' }).trim().min(1, 'Please write a reply.'),
  approve: z.boolean({ error: 'approve must be true or false.' }).optional(),
})

/** A moderator's replies are kept under an address no reader can have (.invalid is reserved), one per moderator. */
const moderatorAddress = (name: string) => `${name.toLowerCase()}@moderators.parley.invalid`

const notFound = () => new AppError('not_found', 'No comment has this id.')

// POST /api/admin/comments/:id/reply — the site answers a reader: posted as the signed-in moderator (their display
// name), approved at once, threaded under the comment. { approve: true } first approves a comment still held.
export const adminReplyRoutes = new Hono<AppEnv>().post('/:id/reply', validate('json', replyBody), async (c) => {
  const { deps, moderator } = c.var
  const { db, keys, config } = deps
  const id = pathId(c.req.param('id'), notFound)
  const { content, approve } = c.req.valid('json')
  if (content.length > config.maxContentLength) {
    const message = `Your reply is too long: it can be at most ${config.maxContentLength.toLocaleString('en-US')} characters.`
    throw new AppError('validation_failed', message, { fields: { content: message } })
  }
  let parent = await findComment(db, id)
  if (!parent) throw notFound()
  if (parent.status !== 'approved') {
    if (!approve) {
      const message = 'This comment is not published: approve it to reply under it (send "approve": true).'
      throw new AppError('validation_failed', message, { fields: { approve: message } })
    }
    parent = await decide(deps, moderator, id, 'approved')
    if (!parent) throw notFound()
  }
  // At the depth limit the reply goes beside the comment, under its parent, as the embed does for readers.
  const under = parent.depth + 1 >= config.maxDepth ? parent.parent_id : parent.id
  const depth = under === parent.id ? parent.depth + 1 : under === null ? 0 : parent.depth
  const address = moderatorAddress(moderator)
  const author = await displayNameOf(db, moderator)
  const row = await toCommentRow(keys, {
    articleId: parent.article_id,
    parentId: under,
    depth,
    status: 'approved',
    author,
    email: address,
    url: null,
    content,
    // Keyed by the parent too: "Thank you!" under two readers' comments is not a duplicate; twice under one is.
    contentHash: await contentHash(keys, `${content}\u0000reply:${under ?? 0}`),
    ip: null,
    userAgent: null,
    reasons: [],
    spamScore: null,
    byModerator: moderator,
  })
  const stored = await createComment(db, row)
  if (!stored) throw new AppError('duplicate_comment', 'You have already posted this reply under this comment.')
  await recordAudit(db, [
    {
      moderator,
      action: 'reply',
      commentId: stored.id,
      article: parent.article,
      from: null,
      to: 'approved',
      detail: { parentId: String(parent.id) },
    },
  ])
  const reply = await findComment(db, stored.id)
  if (!reply) throw notFound()
  return c.json(
    {
      comment: await toAdminComment(reply, keys, c.var.baseUrl),
      parent: await toAdminComment(parent, keys, c.var.baseUrl),
    },
    201,
  )
})
