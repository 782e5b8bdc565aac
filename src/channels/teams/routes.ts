// POST /api/messages: the Bot Framework endpoint for Microsoft Teams. The token is verified before
// anything else, then the activity is parsed; an activity seen before (Teams redelivers) is
// acknowledged and ignored. Feedback is stored before the answer (an invoke's body is its response:
// `{}`); everything else is acknowledged at once and done after the response (handlers.ts), because
// Teams waits at most 15 seconds and a turn can take longer.
import { Hono } from 'hono'
import { AppError } from '../../errors.ts'
import { HANDOFF_ACTION } from './activities.ts'
import { BotAuthError } from './auth.ts'
import { createActivityLedger } from './deliveries.ts'
import { storeFeedback } from './feedback.ts'
import { type TeamsWorkDeps, teamsWork } from './handlers.ts'
import { Activity, claimedOrigin, schemaProblems } from './incoming.ts'
import type { TeamsDeps } from './setup.ts'

export type { TeamsDeps } from './setup.ts'

export function teamsRoutes(deps: Omit<TeamsWorkDeps, 'teams'> & { teams?: TeamsDeps | undefined }) {
  const app = new Hono()
  const ledger = createActivityLedger()
  const { teams } = deps
  const work = teams ? teamsWork({ ...deps, teams }) : undefined

  app.post('/api/messages', async (c) => {
    if (!teams || !work)
      throw new AppError('not_found', 404, 'The Teams channel is not configured (MICROSOFT_APP_ID).')
    const body: unknown = await c.req.json().catch(() => undefined)
    // Even a malformed body is answered only after the caller proved who it is.
    try {
      await teams.verify(c.req.header('authorization'), claimedOrigin(body))
    } catch (error) {
      if (error instanceof BotAuthError) {
        deps.logger.warn('teams request refused', { reason: error.message })
        throw new AppError('unauthorized', 401, 'The Bot Framework token is missing or not valid.')
      }
      throw error
    }
    const parsed = Activity.safeParse(body)
    if (!parsed.success) {
      // Signed by the Bot Framework, but not an activity this bot can read: said so, nothing done.
      deps.logger.warn('teams activity not understood', { fields: schemaProblems(parsed.error) })
      throw new AppError('validation_failed', 400, 'The body is not a Bot Framework activity.')
    }
    const activity = parsed.data
    const first = (q: Parameters<typeof ledger.firstDelivery>[0]) =>
      activity.id ? ledger.firstDelivery(q, activity.conversation.id, activity.id) : Promise.resolve(true)

    if (activity.type === 'invoke') {
      await deps.database.transaction(async (tx) => {
        if (await first(tx)) await storeFeedback(tx, activity)
      })
      // The invoke response is the HTTP response: status 200, body `{}` (what feedback expects).
      return c.json({}, 200)
    }
    if (!(await first(deps.database))) {
      deps.logger.info('teams activity delivered again; ignored', { activityType: activity.type })
      return c.body(null, 200)
    }
    if (activity.type === 'conversationUpdate') work.welcome(activity)
    else if (activity.type === 'message') {
      const action = (activity.value as { action?: unknown } | null | undefined)?.action
      if (action === HANDOFF_ACTION) work.handoffButton(activity)
      else work.message(activity)
    }
    return c.body(null, 200)
  })

  return app
}
