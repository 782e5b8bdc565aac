// Schemas shared by several routes' OpenAPI descriptions.
import { z } from '@hono/zod-openapi'

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi('Error', {
    example: { error: { code: 'validation_failed', message: 'query: must not be empty' } },
  })
