// CORS for the chat API: pages of an origin that a tenant allows may call it from the browser; any
// other foreign origin gets 403 with a message the widget can show (the error is readable cross-origin,
// everything else is not). Same-origin requests and requests without an Origin need no check.
import type { Context, MiddlewareHandler } from 'hono'
import type { Database } from '../../db/database.ts'
import { AppError } from '../../errors.ts'
import { getTenant, originAllowedAnywhere } from '../../tenants/tenants.ts'

/** The calling page's origin when it is foreign to this service, else undefined. */
export function foreignOrigin(c: Context): string | undefined {
  const origin = c.req.header('origin')
  return origin && origin !== new URL(c.req.url).origin ? origin : undefined
}

const refusal = (origin: string) =>
  new AppError(
    'forbidden',
    403,
    `This website (${origin}) may not use the Digital-Mentor. The association can add it to its allowed origins.`,
  )

export function chatCors(database: Database): MiddlewareHandler {
  return async (c, next) => {
    const origin = foreignOrigin(c)
    if (!origin) return next()
    const headers = { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' }
    // Preflights pass, so that the request itself can be refused with an error the page can read.
    if (c.req.method === 'OPTIONS') {
      return c.body(null, 204, {
        ...headers,
        'Access-Control-Allow-Methods': 'GET, POST, DELETE',
        'Access-Control-Allow-Headers': 'authorization, content-type, accept',
        'Access-Control-Max-Age': '600',
      })
    }
    if (!(await originAllowedAnywhere(database, origin)))
      return c.json(refusal(origin).toBody(), 403, headers)
    await next()
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value)
  }
}

/** A foreign page may act only for a tenant that allows its origin. */
export async function assertOriginAllowed(c: Context, database: Database, tenant: string): Promise<void> {
  if (!foreignOrigin(c)) return
  assertOriginIn(c, (await getTenant(database, tenant))?.origins ?? [])
}

/** The same check against the tenant's allowed origins that the caller has already read. */
export function assertOriginIn(c: Context, allowed: readonly string[]): void {
  const origin = foreignOrigin(c)
  if (origin && !allowed.includes(origin)) throw refusal(origin)
}
