// Ceiling (a) of WORKLOADS.md: a bare Hono app on @hono/node-server answering every GET with a fixed
// JSON body (the payload Parley answered, so the same size). Run as its own process by the bench.
import { readFileSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const payload: unknown = JSON.parse(readFileSync(process.env.PAYLOAD_FILE!, 'utf8'))
const app = new Hono()
app.get('*', (c) => c.json(payload))
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT) })
process.on('SIGTERM', () => server.close(() => process.exit(0)))
