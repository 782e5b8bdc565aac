// Mentor API authentication: a mentor's bearer token, looked up by its hash; the mentor (with tenant,
// role and the token's expiry) is then available to the route as c.var.mentor.
import type { MiddlewareHandler } from 'hono'
import type { Database } from '../../db/database.ts'
import { AppError } from '../../errors.ts'
import { findMentorByToken, type SignedInMentor, tokenExpired } from '../../mentors/accounts.ts'
import { bearerToken } from './bearer.ts'

export type MentorEnv = { Variables: { mentor: SignedInMentor } }

export function mentorAuth(database: Database): MiddlewareHandler<MentorEnv> {
  return async (c, next) => {
    // Sub-apps mounted side by side share path patterns: a request already signed in is not looked up again.
    if (c.get('mentor')) return next()
    const token = bearerToken(c)
    if (!token)
      throw new AppError(
        'unauthorized',
        401,
        'The mentor API needs a mentor token: Authorization: Bearer <token>.',
      )
    const mentor = await findMentorByToken(database, token)
    if (!mentor) {
      if (await tokenExpired(database, token))
        throw new AppError(
          'unauthorized',
          401,
          'This mentor token has expired. Ask an admin of your tenant to rotate it; renew it before it expires next time.',
        )
      throw new AppError('unauthorized', 401, 'This mentor token is not valid (any more).')
    }
    c.set('mentor', mentor)
    await next()
  }
}
