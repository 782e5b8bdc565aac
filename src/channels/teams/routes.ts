// POST /api/messages: the Bot Framework endpoint for Microsoft Teams. The token is verified before
// anything else; a message runs the same turn as the chat API and the answer goes back through the
// connector (typing first, then the labelled, cited answer, or the handoff card).
import { Hono } from 'hono'
import { z } from 'zod'
import { requestHandoff } from '../../agents/handoff.ts'
import { OFFER_FLAG, runTurn, type TurnDeps } from '../../agents/mentor.ts'
import { handoffLimitedText, standOf, t } from '../../agents/texts.ts'
import type { Compactor } from '../../conversations/compaction.ts'
import { addFeedback, raterOf } from '../../conversations/repository.ts'
import { AppError } from '../../errors.ts'
import type { Logger } from '../../log.ts'
import type { RateLimits } from '../../server/limits/rate-limits.ts'
import type { TurnTracker } from '../../server/turn-tracker.ts'
import {
  answerActivity,
  HANDOFF_ACTION,
  handoffActionAttachment,
  handoffActivity,
  plainActivity,
  typing,
} from './activities.ts'
import { BotAuthError, type BotVerifier } from './auth.ts'
import type { Connector } from './connector.ts'
import { teamsConversation } from './conversations.ts'
import { handleDataRequest } from './data-commands.ts'
import { openStream } from './stream.ts'

export interface TeamsDeps {
  verify: BotVerifier
  connector: Connector
  /** Entra tenant id -> mentor tenant slug; others go to `default`. */
  tenants: ReadonlyMap<string, string>
}

const Account = z.looseObject({ id: z.string(), name: z.string().optional() })
const Activity = z.looseObject({
  type: z.string(),
  id: z.string().optional(),
  serviceUrl: z.string(),
  channelId: z.string(),
  conversation: z.looseObject({ id: z.string(), conversationType: z.string().optional() }),
  from: Account.optional(),
  recipient: Account,
  text: z.string().optional(),
  locale: z.string().optional(),
  name: z.string().optional(),
  value: z.unknown().optional(),
  replyToId: z.string().optional(),
  entities: z.array(z.looseObject({ type: z.string() })).optional(),
  membersAdded: z.array(Account).optional(),
  channelData: z.looseObject({ tenant: z.looseObject({ id: z.string() }).optional() }).optional(),
})
type Activity = z.infer<typeof Activity>

/** The text addressed to the bot: its <at>…</at> mention removed. */
export function withoutMention(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

const mentionsBot = (activity: Activity) =>
  (activity.entities ?? []).some(
    (e) =>
      e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === activity.recipient.id,
  )

export function teamsRoutes(
  deps: TurnDeps & {
    teams?: TeamsDeps | undefined
    logger: Logger
    limits: RateLimits
    turns: TurnTracker
    compactor?: Compactor | undefined
  },
) {
  const app = new Hono()
  app.post('/api/messages', async (c) => {
    const teams = deps.teams
    if (!teams)
      throw new AppError('not_found', 404, 'The Teams channel is not configured (MICROSOFT_APP_ID).')
    const parsed = Activity.safeParse(await c.req.json().catch(() => undefined))
    // Even a malformed body is answered only after the caller proved who it is.
    try {
      await teams.verify(c.req.header('authorization'), {
        serviceUrl: parsed.success ? parsed.data.serviceUrl : undefined,
        channelId: parsed.success ? parsed.data.channelId : undefined,
      })
    } catch (error) {
      if (error instanceof BotAuthError) {
        deps.logger.warn('teams request refused', { reason: error.message })
        throw new AppError('unauthorized', 401, 'The Bot Framework token is missing or not valid.')
      }
      throw error
    }
    if (!parsed.success)
      throw new AppError('validation_failed', 400, 'The body is not a Bot Framework activity.')
    const activity = parsed.data
    const locale = activity.locale?.toLowerCase().startsWith('en') ? 'en' : 'de'
    const tenant = teams.tenants.get(activity.channelData?.tenant?.id ?? '') ?? 'default'
    const ref = {
      conversationId: activity.conversation.id,
      serviceUrl: activity.serviceUrl,
      botId: activity.recipient.id,
      channelId: activity.channelId,
      tenantId: activity.channelData?.tenant?.id,
    }
    const reply = (out: Parameters<Connector['send']>[2]) =>
      teams.connector.send(activity.serviceUrl, activity.conversation.id, out, activity.id)

    if (activity.type === 'conversationUpdate') {
      if ((activity.membersAdded ?? []).some((m) => m.id === activity.recipient.id)) {
        await teamsConversation(deps.database, ref, tenant, locale)
        await reply({
          ...plainActivity(`${t(locale).disclosure}\n\n${t(locale).greeting}`),
          attachments: [handoffActionAttachment(t(locale).talkToHuman)],
        })
      }
      return c.body(null, 200)
    }

    if (activity.type === 'invoke') {
      if (activity.name === 'message/submitAction') {
        const value = activity.value as { actionValue?: { reaction?: string; feedback?: string } } | undefined
        const reaction = value?.actionValue?.reaction
        const message = activity.replyToId ? await teamsMessage(activity.replyToId) : undefined
        if (message && (reaction === 'like' || reaction === 'dislike')) {
          await addFeedback(deps.database, {
            messageId: message,
            rating: reaction === 'like' ? 'up' : 'down',
            comment: null,
            rater: raterOf(activity.from?.id),
          })
        }
      }
      return c.json({ status: 200, body: {} }, 200)
    }

    // "Meine Daten exportieren" / "Meine Daten löschen", and the button that confirms an erasure.
    const personalChat = (activity.conversation.conversationType ?? 'personal') === 'personal'
    if (
      activity.type === 'message' &&
      (await handleDataRequest(deps, {
        value: activity.value,
        text: withoutMention(activity.text ?? ''),
        teamsConversationId: activity.conversation.id,
        locale,
        personal: personalChat,
        addressed: personalChat || mentionsBot(activity),
        reply,
      }))
    )
      return c.body(null, 200)

    // The card button "Mit einem Menschen sprechen" / "An einen Mentor übergeben".
    if (
      activity.type === 'message' &&
      (activity.value as { action?: unknown } | undefined)?.action === HANDOFF_ACTION
    ) {
      const { conversation } = await teamsConversation(deps.database, ref, tenant, locale)
      const result = await requestHandoff(deps, conversation, undefined).catch((error: unknown) => {
        // The tenant's handoff limit: Teams expects a 200, the user is told when to ask again.
        if (error instanceof AppError && error.code === 'rate_limited') return error
        throw error
      })
      if (result instanceof AppError) {
        const minutes = Math.max(1, Math.ceil(Number(result.headers['Retry-After'] ?? 60) / 60))
        await reply(plainActivity(handoffLimitedText(locale, minutes)))
        return c.body(null, 200)
      }
      const sent = await reply(
        result.message ? handoffActivity(result.message.text) : plainActivity(t(locale).alreadyHandedOver),
      )
      if (result.message && sent.id) await rememberActivity(result.message.id, sent.id)
      return c.body(null, 200)
    }

    if (activity.type !== 'message' || !activity.text) return c.body(null, 200)
    const personal = (activity.conversation.conversationType ?? 'personal') === 'personal'
    if (!personal && !mentionsBot(activity)) return c.body(null, 200)
    // Text Postgres can store: no NUL characters, no unpaired surrogates.
    const text = withoutMention(activity.text.replaceAll('\u0000', '').toWellFormed()).slice(0, 4000)
    if (!text) return c.body(null, 200)

    const { conversation } = await teamsConversation(deps.database, ref, tenant, locale)
    try {
      deps.limits.message(conversation.tenant_slug, conversation.id)
    } catch (error) {
      // Teams expects a 200 for an activity it delivered; the user is told in the chat instead.
      if (!(error instanceof AppError) || error.code !== 'rate_limited') throw error
      await reply(plainActivity(t(locale).rateLimited))
      return c.body(null, 200)
    }
    // Personal chats stream the answer; group chats and channels get typing, then the whole answer.
    const stream = personal
      ? await openStream(
          teams.connector,
          { serviceUrl: activity.serviceUrl, conversationId: activity.conversation.id },
          t(locale).searching,
        )
      : undefined
    if (!stream) await reply(typing())
    const inFlight = deps.turns.begin()
    try {
      for await (const event of runTurn(deps, conversation, text, { signal: inFlight.signal })) {
        if (event.type === 'token') await stream?.push(event.text)
        if (event.type !== 'done') continue
        const final =
          event.message.mode === 'handoff'
            ? handoffActivity(event.message.text)
            : answerActivity(event.message.text, event.message.citations, {
                offerTitle: event.message.flags.includes(OFFER_FLAG) ? t(locale).offerAction : undefined,
                stand: (reviewed) => standOf(locale, reviewed),
              })
        const sent = stream ? await stream.finish(final) : await reply(final)
        // Feedback in Teams names the activity it rates: remember which message that was.
        if (sent.id) await rememberActivity(event.message.id, sent.id)
      }
    } finally {
      inFlight.end()
    }
    return c.body(null, 200)
  })

  async function rememberActivity(messageId: string, activityId: string) {
    await deps.database.query('update messages set external_id = $2 where id = $1', [messageId, activityId])
  }
  async function teamsMessage(activityId: string): Promise<string | undefined> {
    const { rows } = await deps.database.query<{ id: string }>(
      'select id from messages where external_id = $1',
      [activityId],
    )
    return rows[0]?.id
  }

  return app
}
