// The work an activity asks for, done after /api/messages has answered (Teams waits at most 15
// seconds for that answer, and redelivers what it thinks was not taken): the welcome, the handoff
// button, and a message's turn, streamed in personal chats. The work runs after the response
// (ctx.waitUntil on Workers, in the background on Node) and counts as a turn in flight, so that a
// shutdown waits for it or interrupts it (the turn then stores what it has, marked). Typing
// indicators, stream updates and the welcome are best-effort; an answer the connector cannot take now
// goes to the outbox and is retried, one it will never take (the bot was removed) is logged.
import { requestHandoff } from '../../agents/handoff.ts'
import { OFFER_FLAG, runTurn, type TurnDeps } from '../../agents/mentor.ts'
import { handoffLimitedText, type Locale, standOf, t } from '../../agents/texts.ts'
import type { Compactor } from '../../conversations/compaction.ts'
import type { MessageRow } from '../../conversations/repository.ts'
import { AppError } from '../../errors.ts'
import { describeError, type Logger } from '../../log.ts'
import { enqueueTeamsReply } from '../../notifications/outbox.ts'
import type { RateLimits } from '../../server/limits/rate-limits.ts'
import type { TurnTracker } from '../../server/turn-tracker.ts'
import {
  addressed,
  answerActivity,
  handoffActionAttachment,
  handoffActivity,
  plainActivity,
  typing,
} from './activities.ts'
import { ConnectorError, type Activity as Outgoing } from './connector.ts'
import { teamsConversation } from './conversations.ts'
import { handleDataRequest } from './data-commands.ts'
import {
  type Activity,
  isPersonal,
  localeOf,
  mentionsBot,
  referenceOf,
  replyAddress,
  textForBot,
} from './incoming.ts'
import type { TeamsDeps } from './setup.ts'
import { openStream, type TeamsStream } from './stream.ts'
import { teamsText } from './texts.ts'

// A chat message is at most this long, as through the API.
const MAX_TEXT = 4000

export interface TeamsWorkDeps extends TurnDeps {
  teams: TeamsDeps
  logger: Logger
  limits: RateLimits
  turns: TurnTracker
  /** Runs work after the response (AppDeps.afterResponse); without it the work runs detached. */
  afterResponse?: ((task: () => Promise<void>) => void) | undefined
  /** Compacts the embedded database after a Teams user erased their data. */
  compactor?: Compactor | undefined
}

/** What the connector said, for the log: status and Microsoft's error code, never a message text. */
const connectorProblem = (error: unknown) =>
  error instanceof ConnectorError
    ? { status: error.status, ...(error.code ? { code: error.code } : {}) }
    : describeError(error)

export function teamsWork(deps: TeamsWorkDeps) {
  const { connector } = deps.teams
  const tenantOf = (activity: Activity) =>
    deps.teams.tenants.get(activity.channelData?.tenant?.id ?? '') ?? 'default'
  const conversationOf = (activity: Activity) =>
    teamsConversation(deps.database, referenceOf(activity), tenantOf(activity), localeOf(activity))

  /** Runs `task` after the response, as a turn in flight; a failure is logged, never thrown. */
  function inBackground(kind: string, task: (signal: AbortSignal) => Promise<void>) {
    const inFlight = deps.turns.begin()
    const run = async () => {
      try {
        await task(inFlight.signal)
      } catch (error) {
        deps.logger.error('teams activity failed', { kind, ...describeError(error) })
      } finally {
        inFlight.end()
      }
    }
    if (deps.afterResponse) deps.afterResponse(run)
    else void run()
  }

  /** Sends a reply to the activity: addressed as Microsoft's REST reference asks. */
  const reply = (activity: Activity, out: Outgoing) =>
    connector.send(
      activity.serviceUrl,
      activity.conversation.id,
      addressed(out, replyAddress(activity), activity.id ?? undefined),
      activity.id ?? undefined,
    )

  /** A reply that may fail without consequence (typing, the welcome, a note). */
  async function bestEffort(what: string, send: () => Promise<unknown>) {
    try {
      await send()
    } catch (error) {
      deps.logger.warn('teams connector refused an activity; going on', { what, ...connectorProblem(error) })
    }
  }

  /** Remembers the id Teams gave a message the bot sent: feedback names the message by it. */
  async function remember(messageId: string, externalId: string | undefined) {
    if (!externalId) return
    await deps.database.query('update messages set external_id = $2 where id = $1', [messageId, externalId])
  }

  /**
   * Delivers a stored message (the answer, a handoff): through the stream when there is one, else as
   * a reply. When the connector cannot take it now, the text waits in the outbox and is retried.
   */
  async function deliver(
    activity: Activity,
    out: Outgoing,
    message: MessageRow,
    conversationId: string,
    stream?: TeamsStream,
  ) {
    let sent: { id?: string | undefined }
    try {
      sent = stream ? await stream.finish(out) : await reply(activity, out)
    } catch (error) {
      if (error instanceof ConnectorError && error.permanent) {
        deps.logger.warn('teams answer not delivered: the conversation does not take it', {
          conversationId,
          ...connectorProblem(error),
        })
        return
      }
      await enqueueTeamsReply(deps.database, tenantOf(activity), {
        serviceUrl: activity.serviceUrl,
        conversationId: activity.conversation.id,
        text: typeof out.text === 'string' ? out.text : message.text,
      })
      deps.deliverSoon?.()
      deps.logger.warn('teams answer queued for another attempt', {
        conversationId,
        ...connectorProblem(error),
      })
      return
    }
    await remember(message.id, sent.id)
  }

  function finalActivity(message: MessageRow, locale: Locale): Outgoing {
    if (message.mode === 'handoff') return handoffActivity(message.text, teamsText(locale).handedOver)
    return answerActivity(message.text, message.citations, {
      offerTitle: message.flags.includes(OFFER_FLAG) ? t(locale).offerAction : undefined,
      stand: (reviewed) => standOf(locale, reviewed),
    })
  }

  /** The bot was added to a conversation: the welcome with the AI disclosure and the button for a person. */
  function welcome(activity: Activity) {
    const added = (activity.membersAdded ?? []).some(
      (member) => (member as { id?: unknown } | null)?.id === activity.recipient.id,
    )
    if (!added) return
    inBackground('welcome', async () => {
      await conversationOf(activity)
      const locale = localeOf(activity)
      await bestEffort('welcome', () =>
        reply(activity, {
          ...plainActivity(`${t(locale).disclosure}\n\n${t(locale).greeting}`),
          attachments: [handoffActionAttachment(t(locale).talkToHuman)],
        }),
      )
    })
  }

  /** The card button "Mit einem Menschen sprechen" / "An einen Mentor übergeben". */
  function handoffButton(activity: Activity) {
    inBackground('handoff', async () => {
      const locale = localeOf(activity)
      const { conversation } = await conversationOf(activity)
      const result = await requestHandoff(deps, conversation, undefined).catch((error: unknown) => {
        // The tenant's handoff limit: the user is told when to ask again.
        if (error instanceof AppError && error.code === 'rate_limited') return error
        throw error
      })
      if (result instanceof AppError) {
        const minutes = Math.max(1, Math.ceil(Number(result.headers['Retry-After'] ?? 60) / 60))
        await bestEffort('note', () => reply(activity, plainActivity(handoffLimitedText(locale, minutes))))
        return
      }
      if (!result.message) {
        await bestEffort('note', () => reply(activity, plainActivity(t(locale).alreadyHandedOver)))
        return
      }
      await deliver(activity, finalActivity(result.message, locale), result.message, conversation.id)
    })
  }

  /**
   * "Meine Daten exportieren" / "Meine Daten löschen" and the button that confirms an erasure; false
   * when the activity is neither (then it is an ordinary message or button).
   */
  async function dataRequest(activity: Activity): Promise<boolean> {
    const personal = isPersonal(activity)
    return handleDataRequest(deps, {
      value: activity.value,
      text: textForBot(activity),
      teamsConversationId: activity.conversation.id,
      locale: localeOf(activity),
      personal,
      addressed: personal || mentionsBot(activity),
      reply: (out) => reply(activity, out),
    })
  }

  /** A message or a data button, after the response. */
  function dataOrMessage(activity: Activity) {
    inBackground('data', async () => {
      if (!(await dataRequest(activity))) message(activity)
    })
  }

  /** A message: in a personal chat, or addressed to the bot by mention in a group chat or channel. */
  function message(activity: Activity) {
    const personal = isPersonal(activity)
    if (!personal && !mentionsBot(activity)) return
    // Text Postgres can store: no NUL characters, no unpaired surrogates.
    const text = textForBot({
      ...activity,
      text: activity.text?.replaceAll('\u0000', '').toWellFormed(),
    }).slice(0, MAX_TEXT)
    if (!text) return
    inBackground('message', async (signal) => {
      const locale = localeOf(activity)
      const { conversation } = await conversationOf(activity)
      try {
        deps.limits.message(conversation.tenant_slug, conversation.id)
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'rate_limited') throw error
        await bestEffort('note', () => reply(activity, plainActivity(t(locale).rateLimited)))
        return
      }
      // Personal chats stream the answer; group chats and channels get typing, then the whole answer.
      const stream = personal
        ? await openStream(
            connector,
            { serviceUrl: activity.serviceUrl, conversationId: activity.conversation.id },
            {
              informative: t(locale).searching,
              stillWorking: teamsText(locale).stillWorking,
              address: replyAddress(activity),
              onProblem: (what, error) =>
                deps.logger.warn('teams stream refused; the answer goes as a message', {
                  what,
                  conversationId: conversation.id,
                  ...connectorProblem(error),
                }),
            },
          )
        : undefined
      if (!stream) await bestEffort('typing', () => reply(activity, typing()))
      let answered = false
      try {
        for await (const event of runTurn(deps, conversation, text, { signal })) {
          if (event.type === 'token') await stream?.push(event.text)
          if (event.type !== 'done') continue
          answered = true
          await deliver(
            activity,
            finalActivity(event.message, locale),
            event.message,
            conversation.id,
            stream,
          )
        }
      } catch (error) {
        deps.logger.error('teams turn failed', { conversationId: conversation.id, ...describeError(error) })
        // What the turn stored stays stored; a user who got no answer hears that it did not work.
        const note = plainActivity(teamsText(locale).failed)
        if (!answered) await bestEffort('note', () => (stream ? stream.finish(note) : reply(activity, note)))
      } finally {
        stream?.close()
      }
    })
  }

  return { welcome, handoffButton, message: dataOrMessage }
}
