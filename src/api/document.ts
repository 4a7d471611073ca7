import * as z from 'zod'
import type { Config } from '../config.js'
import { errorStatus, type ErrorCode } from '../errors.js'
import { ErrorBody } from './answers.js'
import { operations, type Answer, type Operation } from './operations.js'

// The OpenAPI 3.1 document, made from the operations list and its zod schemas with zod's own JSON Schema output
// (draft 2020-12, which OpenAPI 3.1 uses). A schema with an `id` becomes a component and is referred to by $ref.

type Json = Record<string, unknown>

export type OpenApiDocument = {
  openapi: string
  paths: Record<string, Record<string, unknown>>
  components: { schemas: Record<string, Json>; [key: string]: unknown }
  [key: string]: unknown
}

const COMPONENTS = '#/components/schemas/'

/** A zod schema as JSON Schema; the components it names are added to `components`, referred to under #/components. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, Json>): Json {
  const {
    $defs,
    $schema: _,
    ...rest
  } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    // A `.catch()` value is what the server falls back on for a bad input, not a default a client should send.
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === 'catch') delete jsonSchema.default
    },
  }) as Json & { $defs?: Record<string, Json> }
  const relocate = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(relocate)
    if (!node || typeof node !== 'object') return node
    const out: Json = {}
    for (const [key, value] of Object.entries(node)) {
      out[key] = key === '$ref' && typeof value === 'string' ? value.replace('#/$defs/', COMPONENTS) : relocate(value)
    }
    return out
  }
  for (const [name, def] of Object.entries($defs ?? {})) components[name] = relocate(def) as Json
  return relocate(rest) as Json
}

/** The parameters of one place (path, query, header) from a zod object: one per property. */
function parameters(where: 'path' | 'query' | 'header', schema: z.ZodObject | undefined, components: Record<string, Json>) {
  if (!schema) return []
  const object = jsonSchema(schema, 'input', components) as { properties?: Record<string, Json>; required?: string[] }
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property
    return {
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    }
  })
}

const retryAfter = { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', minimum: 1 } } }
const errorHeaders: Partial<Record<number, Answer['headers']>> = {
  401: { 'WWW-Authenticate': { description: '`Bearer realm="parley"`.', schema: { type: 'string' } } },
  429: retryAfter,
  503: retryAfter,
}

/** The error answers an operation can give: its own, and those that come with what it takes (query, body, token). */
function errorsOf(op: Operation): Array<[string, ...ErrorCode[]]> {
  return [
    ...(op.query ? [['A query parameter failed its rule; `fields` names each one.', 'validation_failed'] as [string, ErrorCode]] : []),
    ...(op.body
      ? [
          [
            'A field failed its rule: `fields` has a message per field and `message` a summary; or the body could not be parsed',
            'validation_failed',
            'invalid_body',
          ] as [string, ...ErrorCode[]],
          ['The body is over 64 KiB.', 'payload_too_large'] as [string, ErrorCode],
        ]
      : []),
    ...(op.moderator
      ? [
          ['No moderator token, or not a valid one.', 'unauthorized'] as [string, ErrorCode],
          ['This client presented more than ADMIN_AUTH_FAILURES wrong tokens: every sign-in from it waits.', 'rate_limited'] as [string, ErrorCode],
        ]
      : []),
    ...(op.errors ?? []),
    ...(op.path.startsWith('/api/') ? [['An unexpected failure; never a stack trace or SQL.', 'internal_error'] as [string, ErrorCode]] : []),
  ]
}

/** The error answers grouped by status: each code goes under the status errors.ts gives it. */
function errorAnswers(op: Operation): Record<number, Answer & { errorCodes: ErrorCode[] }> {
  const byStatus = new Map<number, { descriptions: string[]; codes: ErrorCode[] }>()
  for (const [description, ...codes] of errorsOf(op)) {
    for (const code of codes) {
      const status = errorStatus[code]
      const entry = byStatus.get(status) ?? { descriptions: [], codes: [] }
      if (!entry.descriptions.includes(description)) entry.descriptions.push(description)
      if (!entry.codes.includes(code)) entry.codes.push(code)
      byStatus.set(status, entry)
    }
  }
  const answers: Record<number, Answer & { errorCodes: ErrorCode[] }> = {}
  for (const [status, { descriptions, codes }] of byStatus) {
    answers[status] = {
      description: `${descriptions.join('; ')} (${codes.map((c) => `\`${c}\``).join(', ')})`,
      errorCodes: codes,
      ...(errorHeaders[status] ? { headers: errorHeaders[status] } : {}),
    }
  }
  return answers
}

/** An error answer's body: the one error body, its code narrowed to those this answer can carry. */
const errorBody = (codes: ErrorCode[]): Json => ({
  type: 'object',
  required: ['error'],
  properties: { error: { $ref: `${COMPONENTS}ErrorDetail`, properties: { code: { type: 'string', enum: codes } } } },
  additionalProperties: false,
})

function response(answer: Answer & { errorCodes?: ErrorCode[] }, moderator: boolean, status: number, components: Record<string, Json>): Json {
  const noStore = moderator && status < 300 ? { 'Cache-Control': { description: '`no-store`.', schema: { type: 'string' } } } : {}
  const headers = { ...noStore, ...answer.headers }
  const content = answer.errorCodes
    ? { 'application/json': { schema: errorBody(answer.errorCodes) } }
    : answer.body
      ? { 'application/json': { schema: jsonSchema(answer.body, 'output', components) } }
      : answer.media
        ? { [answer.media]: { schema: { type: 'string' } } }
        : undefined
  return {
    description: answer.description,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(content ? { content } : {}),
  }
}

function operationObject(op: Operation, components: Record<string, Json>): Json {
  const answers: Record<number, Answer & { errorCodes?: ErrorCode[] }> = { ...errorAnswers(op), ...op.answers }
  let body: Json | undefined
  if (op.body) {
    const schema = jsonSchema(op.body, 'input', components)
    // A body offered in two media types is written once, as a component named after the operation.
    if (op.form) components[op.bodyName ?? `${op.operationId}Input`] = schema
    body = { schema: op.form ? { $ref: `${COMPONENTS}${op.bodyName ?? `${op.operationId}Input`}` } : schema }
  }
  return {
    tags: [op.tag],
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(op.moderator ? { security: [{ moderatorToken: [] }] } : {}),
    parameters: [
      ...parameters('path', op.params, components),
      ...parameters('query', op.query, components),
      ...parameters('header', op.requestHeaders, components),
    ],
    ...(body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': body, ...(op.form ? { 'application/x-www-form-urlencoded': body } : {}) },
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(answers)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([status, answer]) => [status, response(answer, op.moderator === true, Number(status), components)]),
    ),
  }
}

/** The document for a deployment configured as `config`: the limits it enforces are the ones it states. */
export function buildOpenApiDocument(config: Config): OpenApiDocument {
  const schemas: Record<string, Json> = {}
  jsonSchema(ErrorBody, 'output', schemas)
  const paths: Record<string, Record<string, unknown>> = {}
  for (const op of operations(config)) {
    paths[op.path] = { ...paths[op.path], [op.method]: operationObject(op, schemas) }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley',
      version: '1.0.0',
      summary: 'A comment service for article pages',
      description:
        'Every error is `{ "error": { "code", "message", "fields"? } }` (schema `Error`), JSON, never a stack trace or SQL. ' +
        'Any unknown path answers 404 `not_found`; every response carries `X-Request-Id`. The limits stated (such as a ' +
        'comment’s length) are this deployment’s.',
    },
    tags: [
      { name: 'public', description: 'For article pages and the embed (CORS: origins in `ALLOWED_ORIGINS`).' },
      { name: 'moderator', description: '`Authorization: Bearer TOKEN`: ADMIN_TOKEN or a named moderator’s token; else 401 `unauthorized`.' },
      { name: 'pages', description: 'Scripts, pictures, the demo page, health and this document.' },
      { name: 'console', description: 'The moderator console and one-click links (the console sends the token itself).' },
      { name: 'email', description: 'The links in the messages Parley sends readers.' },
    ],
    paths,
    components: {
      securitySchemes: {
        moderatorToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'ADMIN_TOKEN, or a token issued to a named moderator (only its hash is stored).',
        },
      },
      schemas: { Error: schemas.Error!, ...schemas },
    },
  }
}

const built = new WeakMap<Config, OpenApiDocument>()

/** The document, built once per configuration (on its first request, not at start). */
export function openApiDocument(config: Config): OpenApiDocument {
  let document = built.get(config)
  if (!document) {
    document = buildOpenApiDocument(config)
    built.set(config, document)
  }
  return document
}
