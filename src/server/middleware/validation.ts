// Turns a failed zod validation into the one error type, with a message naming the field.
import type { Hook } from '@hono/zod-openapi'
import { AppError } from '../../errors.ts'

// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by routes of every shape.
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (result.success) return
  const issue = result.error.issues[0]
  const field = issue?.path.length ? issue.path.join('.') : 'body'
  throw new AppError('validation_failed', 400, `${field}: ${issue?.message ?? 'invalid value'}`)
}
