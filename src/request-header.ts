import type { Context } from 'hono'
import type { AppEnv } from './env.js'

/** A request header by its lowercase name, the cheapest way the runtime allows (see Deps.readHeader). */
export function header(c: Context<AppEnv>, name: Lowercase<string>): string | undefined {
  const read = c.get('deps').readHeader
  return read ? read(c, name) : c.req.header(name)
}
