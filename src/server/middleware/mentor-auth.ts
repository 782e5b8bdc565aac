// Mentor API authentication: a mentor's bearer token, looked up by its hash; the mentor (with tenant
// and role) is then available to the route as c.var.mentor.
import type { MiddlewareHandler } from 'hono'
import type { Database } from '../../db/database.ts'
import { AppError } from '../../errors.ts'
import { findMentorByToken, type Mentor } from '../../mentors/accounts.ts'
import { bearerToken } from './bearer.ts'

export type MentorEnv = { Variables: { mentor: Mentor } }

export function mentorAuth(database: Database): MiddlewareHandler<MentorEnv> {
  return async (c, next) => {
    const token = bearerToken(c)
    if (!token)
      throw new AppError(
        'unauthorized',
        401,
        'The mentor API needs a mentor token: Authorization: Bearer <token>.',
      )
    const mentor = await findMentorByToken(database, token)
    if (!mentor) throw new AppError('unauthorized', 401, 'This mentor token is not valid (any more).')
    c.set('mentor', mentor)
    await next()
  }
}
