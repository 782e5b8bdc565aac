// Every HTML response carries a Content-Security-Policy: pages set their own (docs, console, demo);
// any other HTML (a future page, an error page) gets the strictest one, which allows nothing.
import type { MiddlewareHandler } from 'hono'

export const FALLBACK_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

export function defaultCsp(): MiddlewareHandler {
  return async (c, next) => {
    await next()
    const type = c.res.headers.get('content-type') ?? ''
    if (/text\/html/i.test(type) && !c.res.headers.has('content-security-policy'))
      c.res.headers.set('Content-Security-Policy', FALLBACK_CSP)
  }
}
