// Mentor accounts and their tokens: an admin lists the accounts of their tenant, disables one, rotates
// its token or removes it; every mentor sees their own token's expiry and renews it (a new token)
// before it runs out. Every call is audited in the transaction of its change; tokens appear only in
// the response that issues them. (Adding a mentor, POST /v1/admin/mentors, is in mentor-api.ts.)
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { AppError } from '../../errors.ts'
import { disableMentor, listMentors, type Mentor, removeMentor, rotateToken } from '../../mentors/accounts.ts'
import { audit } from '../../mentors/audit.ts'
import type { RouteDeps } from '../deps.ts'
import { type MentorEnv, mentorAuth } from '../middleware/mentor-auth.ts'
import { ErrorSchema } from '../schemas.ts'

const Status = z.enum(['active', 'disabled', 'expired'])
const Account = z
  .object({
    id: z.string(),
    tenant: z.string(),
    name: z.string(),
    role: z.enum(['mentor', 'admin']),
    status: Status,
    createdAt: z.string(),
    tokenIssuedAt: z.string(),
    tokenExpiresAt: z.string(),
    disabledAt: z.string().nullable(),
  })
  .openapi('MentorAccount')
const Issued = z.object({
  token: z.string().openapi({ description: 'The new token, shown only in this response' }),
  tokenExpiresAt: z.string(),
})

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})
const errors = {
  400: json(ErrorSchema, 'Invalid request'),
  401: json(ErrorSchema, 'No, an invalid or an expired mentor token'),
}
const adminErrors = {
  ...errors,
  403: json(ErrorSchema, 'Not an admin'),
  404: json(ErrorSchema, 'No such account in the admin’s tenant'),
}
const security = [{ mentorToken: [] }]
const tags = ['Mentor accounts']
const MentorId = z.object({ mentorId: z.uuid({ error: 'must be a mentor id (UUID)' }) })

const list = createRoute({
  method: 'get',
  path: '/v1/admin/mentors',
  tags,
  security,
  summary: 'The accounts of the admin’s tenant with their tokens’ state (never the tokens)',
  request: { query: z.object({ status: Status.optional() }) },
  responses: { 200: json(z.object({ mentors: z.array(Account) }), 'Accounts'), ...adminErrors },
})
const disable = createRoute({
  method: 'post',
  path: '/v1/admin/mentors/{mentorId}/disable',
  tags,
  security,
  summary: 'Disable an account: its token stops working at once, its claimed tickets reopen',
  request: { params: MentorId },
  responses: {
    200: json(Account, 'Disabled'),
    409: json(ErrorSchema, 'Already disabled, or the admin’s own account'),
    ...adminErrors,
  },
})
const rotate = createRoute({
  method: 'post',
  path: '/v1/admin/mentors/{mentorId}/rotate',
  tags,
  security,
  summary: 'A new token for the account (the old one stops working; a disabled account is enabled)',
  request: { params: MentorId },
  responses: { 200: json(z.object({ account: Account }).extend(Issued.shape), 'Rotated'), ...adminErrors },
})
const remove = createRoute({
  method: 'delete',
  path: '/v1/admin/mentors/{mentorId}',
  tags,
  security,
  summary: 'Remove an account (an extra admin, a mentor who left); its token can never work again',
  request: { params: MentorId },
  responses: {
    204: { description: 'Removed' },
    409: json(ErrorSchema, 'The admin’s own account'),
    ...adminErrors,
  },
})
const me = createRoute({
  method: 'get',
  path: '/v1/me',
  tags,
  security,
  summary: 'The signed-in mentor, with the day their token expires',
  responses: {
    200: json(
      z.object({
        id: z.string(),
        tenant: z.string(),
        name: z.string(),
        role: z.string(),
        tokenExpiresAt: z.string(),
      }),
      'The mentor',
    ),
    ...errors,
  },
})
const renew = createRoute({
  method: 'post',
  path: '/v1/me/token',
  tags,
  security,
  summary: 'Renew one’s own token before it expires: a new token, the old one stops working',
  responses: { 200: json(Issued, 'Renewed'), ...errors },
})

const requireAdmin = (mentor: Mentor) => {
  if (mentor.role !== 'admin')
    throw new AppError('forbidden', 403, 'Only an admin of the tenant can manage mentor accounts.')
}
const notSelf = (mentor: Mentor, id: string, what: string) => {
  if (mentor.id === id)
    throw new AppError(
      'conflict',
      409,
      `You cannot ${what} your own account: another admin of the tenant can, or the operator (npm run mentor:${what}).`,
    )
}

export function mentorAccountRoutes(deps: RouteDeps) {
  const app = new OpenAPIHono<MentorEnv>()
  const db = deps.database
  const days = deps.config.MENTOR_TOKEN_DAYS
  for (const path of ['/v1/admin/mentors', '/v1/admin/mentors/*', '/v1/me', '/v1/me/*'])
    app.use(path, mentorAuth(db))

  app.openapi(list, async (c) => {
    const admin = c.var.mentor
    requireAdmin(admin)
    const { status } = c.req.valid('query')
    const mentors = await listMentors(db, admin.tenant, status)
    await audit(db, admin, 'mentor.list', undefined, status ? { status } : {})
    return c.json({ mentors }, 200)
  })

  app.openapi(disable, async (c) => {
    const admin = c.var.mentor
    requireAdmin(admin)
    const { mentorId } = c.req.valid('param')
    notSelf(admin, mentorId, 'disable')
    const { account } = await db.transaction(async (tx) => {
      const result = await disableMentor(tx, admin.tenant, mentorId)
      await audit(
        tx,
        admin,
        'mentor.disable',
        { type: 'mentor', id: mentorId },
        { released: result.released },
      )
      return result
    })
    return c.json(account, 200)
  })

  app.openapi(rotate, async (c) => {
    const admin = c.var.mentor
    requireAdmin(admin)
    const { mentorId } = c.req.valid('param')
    const issued = await db.transaction(async (tx) => {
      const result = await rotateToken(tx, admin.tenant, mentorId, days)
      await audit(tx, admin, 'mentor.rotate', { type: 'mentor', id: mentorId }, { days })
      return result
    })
    return c.json(issued, 200)
  })

  app.openapi(remove, async (c) => {
    const admin = c.var.mentor
    requireAdmin(admin)
    const { mentorId } = c.req.valid('param')
    notSelf(admin, mentorId, 'remove')
    await db.transaction(async (tx) => {
      const { released } = await removeMentor(tx, admin.tenant, mentorId)
      await audit(tx, admin, 'mentor.remove', { type: 'mentor', id: mentorId }, { released })
    })
    return c.body(null, 204)
  })

  app.openapi(me, (c) => {
    const { id, tenant, name, role, tokenExpiresAt } = c.var.mentor
    return c.json({ id, tenant, name, role, tokenExpiresAt }, 200)
  })

  app.openapi(renew, async (c) => {
    const mentor = c.var.mentor
    const { token, tokenExpiresAt } = await db.transaction(async (tx) => {
      const result = await rotateToken(tx, mentor.tenant, mentor.id, days)
      await audit(tx, mentor, 'token.renew', { type: 'mentor', id: mentor.id }, { days })
      return result
    })
    return c.json({ token, tokenExpiresAt }, 200)
  })

  return app
}
