// Liveness (the process answers) and readiness (the database answers and is fully migrated).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { pendingMigrations } from '../../db/migrate.ts'
import { describeError } from '../../log.ts'
import type { AppDeps } from '../deps.ts'

// A readiness probe must answer quickly even when the database hangs.
const READY_TIMEOUT_MS = 2000

const Health = z.object({ status: z.literal('ok') }).openapi('Health')
const Readiness = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    reason: z.string().optional(),
    pendingMigrations: z.array(z.string()).optional(),
  })
  .openapi('Readiness')

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['Operations'],
  summary: 'The process is up',
  responses: { 200: { description: 'Up', content: { 'application/json': { schema: Health } } } },
})

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['Operations'],
  summary: 'The database answers and every migration is applied',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: Readiness } } },
    503: { description: 'Not ready', content: { 'application/json': { schema: Readiness } } },
  },
})

export function healthRoutes(deps: AppDeps) {
  return new OpenAPIHono()
    .openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(readyz, async (c) => {
      try {
        const pending = await withTimeout(pendingMigrations(deps.database, deps.migrations), READY_TIMEOUT_MS)
        if (pending.length > 0) {
          return c.json(
            {
              status: 'not_ready' as const,
              reason: 'Database migrations are pending.',
              pendingMigrations: pending,
            },
            503,
          )
        }
        return c.json({ status: 'ready' as const }, 200)
      } catch (error) {
        deps.logger.warn('readiness check failed', describeError(error))
        return c.json({ status: 'not_ready' as const, reason: 'The database does not answer.' }, 503)
      }
    })
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
