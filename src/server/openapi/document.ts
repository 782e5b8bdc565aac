// The OpenAPI document as /openapi.json and /docs serve it: the one @hono/zod-openapi derives from the
// routes' zod schemas, with an example for every request body, every parameter and every response.
import type { ErrorCode } from '../../errors.ts'
import { EXAMPLE_BODIES, EXAMPLE_EVENT_STREAM } from './request-examples.ts'
import { exampleFor, type JsonSchema, type SchemaComponents } from './schema-example.ts'

interface MediaType {
  schema?: JsonSchema
  example?: unknown
  examples?: Record<string, { summary?: string; value: unknown }>
}
interface Operation {
  summary?: string
  security?: Array<Record<string, unknown>>
  parameters?: Array<{ name: string; in: string; schema?: JsonSchema; example?: unknown }>
  requestBody?: { content?: Record<string, MediaType> }
  responses?: Record<string, { description?: string; content?: Record<string, MediaType> }>
}
export interface OpenApiDocument {
  openapi: string
  info: { title: string; version: string; description?: string }
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: SchemaComponents }
}

// What an error response of each status typically says: codes from src/errors.ts, messages as the app
// words them.
const ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  '400': { code: 'validation_failed', message: 'text: must not be empty' },
  '401': { code: 'unauthorized', message: 'This mentor token is not valid (any more).' },
  '403': { code: 'forbidden', message: 'Another mentor has claimed this handoff.' },
  '404': { code: 'not_found', message: 'The conversation was not found.' },
  '409': { code: 'conflict', message: 'Claim the handoff before replying to it.' },
  '413': { code: 'payload_too_large', message: 'The request body is too large.' },
  '429': { code: 'rate_limited', message: 'Too many messages. Please try again in 12 s.' },
  '503': {
    code: 'busy',
    message: 'The mentor is answering very many questions right now. Please try again in a few seconds.',
  },
}

/** The operations of a document, each with its key as "METHOD /path". */
export function operationsOf(doc: OpenApiDocument): Array<{ key: string; operation: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  )
}

const isErrorSchema = (schema: JsonSchema | undefined) => schema?.$ref === '#/components/schemas/Error'

/** The typical error of a status for this operation: a 401 names the token the operation needs. */
function errorExample(status: string, operation: Operation) {
  const error = ERRORS[status]
  if (status === '401' && operation.security?.some((s) => 'conversationToken' in s))
    return {
      code: 'unauthorized',
      message: 'This conversation needs its token: Authorization: Bearer <token>.',
    }
  return error
}

// A regex with flags reaches the document as its literal's tail ("…$/u"), which no string matches.
const FLAGGED = /^(.*)\/[dgimsuvy]+$/s

/** Drops the flags from every `pattern` in place (JSON Schema patterns are Unicode-aware anyway). */
function fixPatterns(node: unknown): void {
  if (typeof node !== 'object' || node === null) return
  for (const [key, value] of Object.entries(node)) {
    const body = key === 'pattern' && typeof value === 'string' ? FLAGGED.exec(value)?.[1] : undefined
    if (body !== undefined) (node as Record<string, unknown>)[key] = body
    else fixPatterns(value)
  }
}

/**
 * A copy of `doc` in which every request body, parameter and response has an example, and every
 * pattern is one a validator can use.
 */
export function withExamples(doc: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(doc)
  fixPatterns(copy)
  const components = copy.components?.schemas ?? {}
  for (const { key, operation } of operationsOf(copy)) {
    for (const parameter of operation.parameters ?? [])
      if (parameter.example === undefined && parameter.schema)
        parameter.example = exampleFor(parameter.schema, components, parameter.name)
    for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) {
      if (media.example !== undefined || media.examples) continue
      const value =
        type === 'application/json' && EXAMPLE_BODIES[key]
          ? EXAMPLE_BODIES[key]
          : exampleFor(media.schema ?? {}, components)
      media.examples = { example: { summary: operation.summary ?? key, value } }
    }
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      for (const [type, media] of Object.entries(response.content ?? {})) {
        if (media.example !== undefined || media.examples) continue
        const error = errorExample(status, operation)
        const value =
          type === 'text/event-stream'
            ? EXAMPLE_EVENT_STREAM
            : isErrorSchema(media.schema) && error
              ? { error }
              : exampleFor(media.schema ?? {}, components)
        media.examples = { example: { summary: response.description ?? status, value } }
      }
    }
  }
  return copy
}
