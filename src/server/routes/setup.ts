// The first admin of a fresh installation, created through the one-time setup link the server prints
// at start (mentors/setup.ts). No mentor token exists yet, so the link's token is the credential.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { completeSetup } from '../../mentors/setup.ts'
import type { RouteDeps } from '../deps.ts'
import { ErrorSchema } from '../schemas.ts'

const SetupRequest = z
  .object({
    token: z
      .string({ error: 'the token from the setup link (after the #)' })
      .trim()
      .min(20, 'must be the token from the setup link (after the #)')
      .max(200, 'must be the token from the setup link (after the #)'),
    name: z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(100),
    email: z.email({ error: 'must be an e-mail address' }).max(254),
  })
  .openapi('SetupRequest')

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

const setup = createRoute({
  method: 'post',
  path: '/v1/setup',
  tags: ['Mentor accounts'],
  summary:
    'Creates the first admin of a fresh installation with the one-time setup link’s token; the admin’s token is in this response only',
  request: { body: { required: true, content: { 'application/json': { schema: SetupRequest } } } },
  responses: {
    201: json(
      z.object({
        mentor: z.object({
          id: z.string(),
          tenant: z.string(),
          name: z.string(),
          role: z.enum(['mentor', 'admin']),
          email: z.string(),
        }),
        token: z.string().openapi({ description: 'The admin’s token, shown only in this response' }),
        tokenExpiresAt: z.string(),
      }),
      'The first admin',
    ),
    400: json(ErrorSchema, 'Invalid request'),
    401: json(ErrorSchema, 'The setup link was used, expired or replaced by a newer one'),
    409: json(ErrorSchema, 'An admin exists already'),
  },
})

export function setupRoutes(deps: RouteDeps) {
  const app = new OpenAPIHono()
  app.openapi(setup, async (c) => {
    const { token, name, email } = c.req.valid('json')
    const created = await completeSetup(
      deps.database,
      token,
      { name, email },
      { tokenDays: deps.config.MENTOR_TOKEN_DAYS, now: (deps.now ?? Date.now)() },
    )
    return c.json(created, 201)
  })
  return app
}
