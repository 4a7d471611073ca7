import type { Migration } from 'kysely/migration'
import * as m0001 from './0001_create_comments.js'
import * as m0002 from './0002_create_moderation.js'
import * as m0003 from './0003_add_moderator_tools.js'
import * as m0004 from './0004_create_spam_examples.js'
import * as m0005 from './0005_create_webhook_failures.js'
import * as m0007 from './0007_word_lists_allowed_profanity.js'
import * as m0008 from './0008_add_console_context.js'

/** Listed statically so Node, tests and the Worker bundle run the very same list. */
export const migrations: Record<string, Migration> = {
  '0001_create_comments': m0001,
  '0002_create_moderation': m0002,
  '0003_add_moderator_tools': m0003,
  '0004_create_spam_examples': m0004,
  '0005_create_webhook_failures': m0005,
  '0007_word_lists_allowed_profanity': m0007,
  '0008_add_console_context': m0008,
}
