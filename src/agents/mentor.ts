// One turn of the mentor: store what the user sent, route it (rules, and the model when there is one,
// concurrently with retrieval), then answer from the corpus with citations or hand it to a human.
// Everything is stored before the turn ends. Yields the events that the chat API streams.
import {
  addMessage,
  type Citation,
  type ConversationRow,
  type MessageRow,
  recentMessages,
  recordKnowledgeGap,
} from '../conversations/repository.ts'
import type { Database } from '../db/database.ts'
import type { Logger } from '../log.ts'
import type { DefaultWebhook } from '../notifications/outbox.ts'
import type { Embedder } from '../retrieval/embedders/embedder.ts'
import { detectTextLang } from '../retrieval/embedders/text-features.ts'
import type { SearchHit } from '../retrieval/search.ts'
import { citationOf } from './citations.ts'
import { findSources } from './coverage.ts'
import { extractiveAnswer } from './extractive.ts'
import { standaloneQuestion } from './follow-up.ts'
import { generateAnswer } from './generate.ts'
import { handOver, OFFER_FLAG, storedRoute, type Ticket } from './handoff.ts'
import type { ModelGate, ModelSlot } from './model-gate.ts'
import type { ChatModel } from './models.ts'
import { redactPersonalData, withoutPersonalData } from './pii.ts'
import { routingClassifier } from './router/classifier.ts'
import { combineRoutes } from './router/combine.ts'
import { decideRoute, type RouteDecision, saferDecision } from './router/decide.ts'
import { routeByModel } from './router/model-router.ts'
import { isHandoff, type RouteClass } from './router/route-class.ts'
import { type Locale, t } from './texts.ts'

export { OFFER_FLAG }

export interface TurnDeps {
  database: Database
  embedder: Embedder
  /** Absent in offline mode. */
  model?: ChatModel | undefined
  logger?: Logger
  /** Where new handoffs are announced when the tenant has no webhook of its own. */
  handoffWebhook?: DefaultWebhook
  /** Asks for the outbox to be tried after the response (a new handoff's announcement is queued). */
  deliverSoon?: (() => void) | undefined
  /** Bounds the turns that use the model at once; without it the model is used without bound. */
  modelGate?: ModelGate | undefined
  /** Limits new handoff tickets per client and tenant (throws a 429 AppError); absent: no limit. */
  limits?: { handoff(tenant: string, client: string | undefined, options?: { urgent?: boolean }): void }
}

/** Enough context for a follow-up: the condensing prompt uses the last four turns at most. */
export const TURN_HISTORY = 8

export interface TurnOptions {
  /**
   * The conversation's last TURN_HISTORY messages, oldest first, when the caller read them with the
   * conversation (one statement instead of two); absent: the turn reads them.
   */
  history?: readonly MessageRow[] | undefined
  /** A place at the model gate the caller took before the turn (so that it could refuse with 503). */
  slot?: ModelSlot | undefined
  /** Aborted when the service shuts down: the turn stores what it has, marked as interrupted. */
  signal?: AbortSignal | undefined
  /** Who sent the message (the client's address), for the handoff limit; absent: the tenant's only. */
  client?: string | undefined
}

export type TurnEvent =
  | { type: 'route'; route: RouteClass; stage: string; reason: string; offer: boolean }
  | { type: 'sources'; sources: Citation[] }
  | { type: 'token'; text: string }
  | { type: 'handoff'; handoff: Ticket }
  | { type: 'error'; error: { code: string; message: string } }
  | { type: 'done'; message: MessageRow; handoff?: Ticket | undefined }

/** The language of a message: its function words decide, the conversation's locale breaks a tie. */
export function messageLocale(text: string, fallback: Locale): Locale {
  return detectTextLang(text, fallback)
}

export async function* runTurn(
  deps: TurnDeps,
  conversation: ConversationRow,
  text: string,
  options: TurnOptions = {},
): AsyncGenerator<TurnEvent> {
  // A caller that did not take a place at the gate (Teams) takes one here; a full queue means no model.
  const slot = deps.model ? (options.slot ?? deps.modelGate?.tryEnter(options.signal)) : undefined
  try {
    yield* turn(deps, conversation, text, slot, options)
  } finally {
    slot?.release()
  }
}

async function* turn(
  deps: TurnDeps,
  conversation: ConversationRow,
  text: string,
  slot: ModelSlot | undefined,
  options: TurnOptions,
): AsyncGenerator<TurnEvent> {
  const { database } = deps
  const { signal, client } = options
  const locale = messageLocale(text, conversation.locale)
  let history = options.history ?? (await recentMessages(database, conversation.id, TURN_HISTORY))
  // A retry of a turn that failed before it was routed (the database went away) reuses the stored
  // message instead of storing it twice.
  const unanswered = history.at(-1)
  const retried = unanswered?.author === 'user' && unanswered.text === text && unanswered.route === null
  if (retried) history = history.slice(0, -1)
  // Stored before anything that can fail.
  const userMessage =
    retried && unanswered
      ? unanswered
      : await addMessage(database, { conversationId: conversation.id, author: 'user', text, lang: locale })

  // The model is used once this turn holds a slot; waiting too long, or no place in the queue, means
  // the offline answer (the user's message is stored, so the turn must still answer).
  const admitted = !deps.model ? false : slot ? await slot.acquired : deps.modelGate === undefined
  const model = admitted ? deps.model : undefined
  const offlineNote: OfflineNote | undefined =
    deps.model && !model ? { text: t(locale).modelBusy, flags: ['model_busy'] } : undefined

  // The route decision is stored with the reply (on the reply and on the user's message it answers,
  // in the reply's statement): until then the message stays unrouted, which a retry recognises.
  // The guardrails read the message itself first: a crisis is answered before anything else is done.
  let offline = decideRoute(text, routingClassifier)
  if (offline.route === 'crisis') {
    yield routeEvent(offline)
    yield* handOver(deps, conversation, userMessage, offline, locale, [], { client })
    return
  }
  const question = await standaloneQuestion(text, history, model, signal)
  // A follow-up is also read in context ("Und wenn ich mich weigere?" after a question on a new tool):
  // the safer of the two decisions holds.
  if (question !== text) offline = saferDecision(offline, decideRoute(question, routingClassifier))
  const query = withoutPersonalData(question)
  // A follow-up continues from the section the previous answer came from, instead of repeating it.
  const cited =
    question === text ? undefined : history.findLast((m) => m.author === 'assistant')?.citations?.[0]
  // The model's routing runs alongside retrieval, so that it adds no serial model call. It reads the
  // message itself; the context is already in the offline decision above (the safer of the two).
  const routing =
    model && offline.route !== 'crisis'
      ? routeByModel(model, redactPersonalData(text), signal).catch(() => {
          deps.logger?.warn('model routing failed; the rules decide', { conversationId: conversation.id })
          return undefined
        })
      : undefined
  // The model client needs a turn of the event loop to put its request on the wire; retrieval on the
  // embedded database is synchronous work on this thread and would otherwise hold the request back.
  if (routing) await new Promise((resolve) => setTimeout(resolve, 0))
  const [modelRoute, { hits, covered }] = await Promise.all([
    routing,
    offline.route === 'crisis' || offline.route === 'human'
      ? { hits: [], covered: false }
      : findSources(database, deps.embedder, {
          query,
          lang: locale,
          // The conversation's role prefers the passages written for that reader without hiding the
          // others; without one, the search reads the role from the question.
          role: conversation.role ?? undefined,
          previous: cited ? { documentId: cited.documentId, heading: cited.heading } : undefined,
        }),
  ])
  const decision = combineRoutes(offline, modelRoute)
  yield routeEvent(decision)
  const answers = userMessage.id

  if (isHandoff(decision.route)) {
    yield* handOver(deps, conversation, userMessage, decision, locale, hits, { client })
    return
  }
  if (decision.route === 'out_of_scope') {
    yield* reply(deps, conversation, decision, {
      answers,
      text: t(locale).outOfScope,
      locale,
      mode: 'refusal',
      citations: [],
    })
    return
  }

  const notCovered = async function* (flag: string) {
    await recordKnowledgeGap(database, {
      tenant: conversation.tenant_slug,
      conversationId: conversation.id,
      // Mentors read gaps without a handoff having happened: no names, addresses or numbers in them.
      question: redactPersonalData(text),
      lang: locale,
      bestScore: hits[0]?.score ?? null,
    })
    // The weak-retrieval text itself offers the mentor: no second offer below it.
    yield* reply(deps, conversation, decision, {
      answers,
      text: t(locale).weakRetrieval,
      locale,
      mode: 'extractive',
      citations: [],
      flags: [flag, OFFER_FLAG],
    })
  }
  if (!covered) {
    yield* notCovered('weak_retrieval')
    return
  }

  if (model) {
    yield {
      type: 'sources',
      sources: hits.map((hit, i) => citationOf(hit, i + 1)),
    }
    for await (const event of generateAnswer(model, locale, question, hits, signal)) {
      if (event.type === 'token') yield event
      else if (event.type === 'complete') {
        const offer = decision.offer ? `\n\n${t(locale).offer}` : ''
        if (offer) yield { type: 'token', text: offer }
        const message = await addMessage(database, {
          conversationId: conversation.id,
          author: 'assistant',
          answers,
          text: event.text + offer,
          lang: locale,
          mode: 'generated',
          route: storedRoute(decision),
          citations: event.citations,
          flags: decision.offer ? [...event.flags, OFFER_FLAG] : event.flags,
        })
        yield { type: 'done', message }
        return
      } else if (event.type === 'not_covered') {
        yield* notCovered('not_covered_by_sources')
        return
      } else if (event.type === 'rejected') {
        deps.logger?.warn('generated answer withheld; offline answer instead', {
          conversationId: conversation.id,
          reason: event.reason,
        })
        yield* offlineAnswer(deps, conversation, decision, answers, hits, locale, {
          text: t(locale).modelRejected,
          flags: ['model_answer_rejected', event.reason],
        })
        return
      } else if (signal?.aborted) {
        // The service is shutting down: what was generated so far is kept, marked as interrupted.
        const message = await addMessage(database, {
          conversationId: conversation.id,
          author: 'assistant',
          answers,
          text: event.partial || t(locale).interrupted,
          lang: locale,
          mode: 'generated',
          status: 'interrupted',
          route: storedRoute(decision),
          flags: ['shutdown'],
        })
        yield { type: 'error', error: { code: 'interrupted', message: t(locale).interrupted } }
        yield { type: 'done', message }
        return
      } else {
        deps.logger?.warn('answer generation failed; offline answer instead', {
          conversationId: conversation.id,
        })
        if (event.partial) {
          // What the user already saw stays in the transcript, marked as cut off.
          await addMessage(database, {
            conversationId: conversation.id,
            author: 'assistant',
            text: event.partial,
            lang: locale,
            mode: 'generated',
            status: 'partial',
            flags: ['stream_cut'],
          })
          yield { type: 'error', error: { code: 'model_failed', message: t(locale).modelFallback } }
        }
        yield* offlineAnswer(deps, conversation, decision, answers, hits, locale, {
          text: t(locale).modelFallback,
          flags: ['model_fallback'],
        })
        return
      }
    }
    return
  }
  yield* offlineAnswer(deps, conversation, decision, answers, hits, locale, offlineNote)
}

/** Why a turn that could have used the model answers offline, said to the user and flagged. */
type OfflineNote = { text: string; flags: string[] }

async function* offlineAnswer(
  deps: TurnDeps,
  conversation: ConversationRow,
  decision: RouteDecision,
  answers: string,
  hits: readonly SearchHit[],
  locale: Locale,
  note?: OfflineNote,
): AsyncGenerator<TurnEvent> {
  const { body, citations } = extractiveAnswer(hits, t(locale).moreOn)
  yield { type: 'sources', sources: citations }
  const label = note ? `${note.text}\n\n${t(locale).extractiveLabel}` : t(locale).extractiveLabel
  yield* reply(deps, conversation, decision, {
    answers,
    text: `${label}\n\n${body}`,
    locale,
    mode: 'extractive',
    citations,
    flags: note?.flags ?? [],
  })
}

async function* reply(
  deps: TurnDeps,
  conversation: ConversationRow,
  decision: RouteDecision,
  answer: {
    /** The user's message this reply answers (its route is stored with the reply). */
    answers: string
    text: string
    locale: Locale
    mode: NonNullable<MessageRow['mode']>
    citations: Citation[]
    flags?: string[]
  },
): AsyncGenerator<TurnEvent> {
  // Between a confident answer and a confident handoff: the answer, and a mentor offered beside it.
  const flags = answer.flags ?? []
  const offer = decision.offer && answer.mode !== 'refusal' && !flags.includes(OFFER_FLAG)
  const text = offer ? `${answer.text}\n\n${t(answer.locale).offer}` : answer.text
  // The reply is complete before it is streamed, so it is stored first: nothing is lost mid-stream.
  const message = await addMessage(deps.database, {
    conversationId: conversation.id,
    author: 'assistant',
    answers: answer.answers,
    text,
    lang: answer.locale,
    mode: answer.mode,
    route: storedRoute(decision),
    citations: answer.citations,
    flags: offer ? [...flags, OFFER_FLAG] : flags,
  })
  for (const piece of text.match(/\S+\s*/g) ?? []) yield { type: 'token', text: piece }
  yield { type: 'done', message }
}

function routeEvent(decision: RouteDecision): TurnEvent {
  return {
    type: 'route',
    route: decision.route,
    stage: decision.stage,
    reason: decision.reason.en,
    offer: decision.offer,
  }
}
