// Input of the API that Postgres could not store: JSON bodies must be well-formed JSON, and their
// strings and the query parameters text without NUL characters or unpaired surrogates (Postgres
// rejects NUL in text and jsonb; an unpaired surrogate cannot be encoded as UTF-8). Refused here with
// 400, before any route stores anything.
import type { MiddlewareHandler } from 'hono'
import { AppError } from '../../errors.ts'

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

const storable = (text: string) => !text.includes('\u0000') && text.isWellFormed()

/** The top-level field holding a string that cannot be stored, `body` for the top level; else undefined. */
export function unstorableField(body: unknown): string | undefined {
  // Iterative: a body may be nested thousands of levels deep.
  const stack: Array<[unknown, string]> = [[body, 'body']]
  while (stack.length > 0) {
    const [value, field] = stack.pop() as [unknown, string]
    if (typeof value === 'string') {
      if (!storable(value)) return field
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push([item, field])
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const name = field === 'body' ? key : field
        if (!storable(key)) return name.isWellFormed() ? field : 'body'
        stack.push([item, name])
      }
    }
  }
  return undefined
}

const refuse = (field: string) =>
  new AppError(
    'validation_failed',
    400,
    // The field name is the client's own; it is echoed only when it is plain.
    `${/^[\w.-]{1,64}$/.test(field) ? field : 'body'}: must be text without NUL characters or unpaired surrogates`,
  )

export function inputGuard(): MiddlewareHandler {
  return async (c, next) => {
    for (const [name, values] of Object.entries(c.req.queries()))
      if (!storable(name) || values.some((v) => !storable(v))) throw refuse(name)
    if (!BODY_METHODS.has(c.req.method) || !/json/i.test(c.req.header('content-type') ?? '')) return next()
    const text = await c.req.text()
    // An empty body is for the route to judge (starting a conversation needs none).
    if (text.trim() === '') return next()
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      throw new AppError('malformed_json', 400, 'The request body is not valid JSON.')
    }
    const field = unstorableField(body)
    if (field !== undefined) throw refuse(field)
    await next()
  }
}
