// Turns a failed zod validation into the one error type, with a message naming the field.
import type { Hook } from '@hono/zod-openapi'
import { AppError } from '../../errors.ts'

// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by routes of every shape.
export const validationHook: Hook<any, any, any, any> = (result, c) => {
  if (result.success) return
  const issue = result.error.issues[0]
  const field = issue?.path.length ? issue.path.join('.') : 'body'
  // A field left out: say so, and for a PUT why (it replaces the resource, so nothing is left out).
  const message = !(issue && leftOut((result as { data?: unknown }).data, issue.path))
    ? (issue?.message ?? 'invalid value')
    : c.req.method === 'PUT'
      ? 'required: PUT replaces the whole resource, so every field is sent (null or [] clears one); PATCH changes some'
      : 'required'
  throw new AppError('validation_failed', 400, `${field}: ${message}`)
}

/** Whether the value at `path` is missing from its object in what the client sent. */
function leftOut(data: unknown, path: readonly PropertyKey[]): boolean {
  const key = path.at(-1)
  if (key === undefined) return false
  let parent: unknown = data
  for (const step of path.slice(0, -1)) {
    if (typeof parent !== 'object' || parent === null) return false
    parent = (parent as Record<PropertyKey, unknown>)[step]
  }
  return (
    typeof parent === 'object' && parent !== null && !Array.isArray(parent) && !Object.hasOwn(parent, key)
  )
}
