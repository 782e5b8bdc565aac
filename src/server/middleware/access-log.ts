// One structured log line per request: method, route pattern, status, duration. No query strings, no bodies.
import type { MiddlewareHandler } from 'hono'
import type { Logger } from '../../log.ts'

export function accessLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    await next()
    logger.info('request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    })
  }
}
