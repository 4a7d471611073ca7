import { Hono } from 'hono'
import * as z from 'zod'
import { displayNameOf, setDisplayName } from '../db/moderators.js'
import type { AppEnv } from '../env.js'
import { validate } from './validate.js'

export const displayNameBody = z.object({
  displayName: z
    .string({ error: 'Give the name your replies are signed with.' })
    .trim()
    .min(1, 'Give the name your replies are signed with.')
    .max(100, 'The name can be at most 100 characters.'),
})

/** The signed-in moderator (per token): who they are, and the name their replies from the console carry. */
export const adminMeRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const name = c.var.moderator
    return c.json({ name, displayName: await displayNameOf(c.var.deps.db, name) })
  })
  // PUT /api/admin/me — sets the display name of this token's moderator; replies already posted keep theirs.
  .put('/', validate('json', displayNameBody), async (c) => {
    const name = c.var.moderator
    const { displayName } = c.req.valid('json')
    await setDisplayName(c.var.deps.db, name, displayName)
    return c.json({ name, displayName })
  })
