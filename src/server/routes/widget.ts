// The widget's server side: the script itself, the tenant settings it needs, and a demo
// "association website" at / so that a new user sees the widget at once.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { notFound } from '../../errors.ts'
import { getTenant, TenantSlug } from '../../tenants/tenants.ts'
import { consoleIcon } from '../console/console-page.ts'
import type { AppDeps } from '../deps.ts'
import { assertOriginAllowed } from '../middleware/cors.ts'
import { ErrorSchema } from '../schemas.ts'
import { DEMO_CSP, demoPage, demoStyle } from './demo-page.ts'

const config = createRoute({
  method: 'get',
  path: '/v1/widget/config',
  tags: ['Widget'],
  summary: 'What the widget shows for a tenant: its name, privacy notice and theme',
  request: { query: z.object({ tenant: TenantSlug.default('default') }) },
  responses: {
    200: {
      description: 'Settings',
      content: {
        'application/json': {
          schema: z.object({
            tenant: z.string(),
            name: z.string(),
            privacyUrl: z.string().nullable(),
            theme: z.record(z.string(), z.string()),
          }),
        },
      },
    },
    403: { description: 'Origin not allowed', content: { 'application/json': { schema: ErrorSchema } } },
    404: { description: 'No such tenant', content: { 'application/json': { schema: ErrorSchema } } },
  },
})

export function widgetRoutes(deps: AppDeps) {
  const app = new OpenAPIHono()

  app.openapi(config, async (c) => {
    const { tenant: slug } = c.req.valid('query')
    const tenant = await getTenant(deps.database, slug)
    if (!tenant) throw notFound(`The tenant "${slug}"`)
    await assertOriginAllowed(c, deps.database, slug)
    return c.json(
      {
        tenant: tenant.slug,
        name: tenant.name,
        privacyUrl: tenant.privacyUrl,
        theme: tenant.theme as Record<string, string>,
      },
      200,
    )
  })

  app.get('/widget.js', (c) => {
    if (!deps.widgetScript) throw notFound('The widget script (it is built when the server starts)')
    return c.body(deps.widgetScript, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      // Any site may load the script; what it may do is decided by the API's CORS.
      'cross-origin-resource-policy': 'cross-origin',
      'access-control-allow-origin': '*',
    })
  })

  app.get('/', (c) => {
    c.header('Content-Security-Policy', DEMO_CSP)
    return c.html(demoPage)
  })
  app.get('/demo.css', (c) => c.body(demoStyle, 200, { 'content-type': 'text/css; charset=utf-8' }))
  // The service's icon for the browser tab (the console's, one icon for the whole service).
  app.get('/favicon.svg', (c) =>
    c.body(consoleIcon, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }),
  )
  // Browsers ask for /favicon.ico on their own; they get the same icon.
  app.get('/favicon.ico', (c) => c.redirect('/favicon.svg', 301))
  return app
}
