// Handing a conversation to a human mentor: one ticket per conversation until a mentor has answered
// it (later handoffs join it; a crisis raises it), its announcement written in the same transaction,
// and the reply that tells the user what happens next. A crisis reply leads with immediate help and
// never carries a corpus excerpt.
import {
  activeHandoff,
  addMessage,
  type Citation,
  type ConversationRow,
  createHandoff,
  escalateHandoff,
  type MessageRow,
} from '../conversations/repository.ts'
import { AppError } from '../errors.ts'
import { enqueueHandoffNotice } from '../notifications/outbox.ts'
import type { SearchHit } from '../retrieval/search.ts'
import { citationOf } from './citations.ts'
import type { TurnDeps, TurnEvent } from './mentor.ts'
import type { RouteDecision } from './router/decide.ts'
import { EXPLICIT_REQUEST } from './router/reasons.ts'
import { handoffLimitedText, handoffText, type Locale, t } from './texts.ts'

export type Ticket = { id: string; status: string; reason: string }

/** A reply that offers a mentor: clients show the action "An einen Mentor übergeben". */
export const OFFER_FLAG = 'handoff_offer'
/** A handoff the rate limit refused: the reply says when to ask again and offers the action. */
export const HANDOFF_LIMITED_FLAG = 'handoff_limited'

/** Who asks for the ticket, for the handoff limit; `admitted` when the caller has already checked it. */
type Ticketing = { client?: string | undefined; admitted?: boolean }

/** Below this cosine similarity a passage is too far from the question to be offered as further reading. */
const READING_MIN_SIMILARITY = 0.2

/** How a decision is stored with the message it was made for. */
export const storedRoute = (decision: RouteDecision) => ({
  route: decision.route,
  stage: decision.stage,
  reason: decision.reason.en,
  rules: decision.rules,
})

export async function* handOver(
  deps: TurnDeps,
  conversation: ConversationRow,
  userMessage: MessageRow,
  decision: RouteDecision,
  locale: Locale,
  hits: readonly SearchHit[],
  ticketing: Ticketing = {},
): AsyncGenerator<TurnEvent> {
  let ticket: Ticket
  try {
    ticket = await openTicket(deps, conversation, userMessage, decision, ticketing)
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'rate_limited') throw error
    yield* limitedHandoff(
      deps,
      conversation,
      userMessage,
      decision,
      locale,
      Number(error.headers['Retry-After']),
    )
    return
  }
  yield { type: 'handoff', handoff: ticket }

  // Further reading: titles and links only, no generated advice; none in a crisis or for a request
  // for a person (who asked for a person, not for documents).
  const reading: Citation[] = []
  if (decision.route !== 'crisis' && decision.route !== 'human') {
    for (const hit of hits) {
      if (reading.some((c) => c.documentId === hit.documentId)) continue
      if ((hit.similarity ?? 0) < READING_MIN_SIMILARITY) continue
      reading.push(citationOf(hit, reading.length + 1, hit.title))
    }
  }
  const lines = [handoffText(locale, decision.route)]
  // The reason's text already says that a mentor answers here; the channel offers the e-mail form.
  if (reading.length) lines.push('', t(locale).furtherReading, ...reading.map((c) => `- ${c.title} [${c.n}]`))
  const message = await addMessage(deps.database, {
    conversationId: conversation.id,
    author: 'assistant',
    answers: userMessage.id,
    text: lines.join('\n'),
    lang: locale,
    mode: 'handoff',
    route: storedRoute(decision),
    citations: reading,
    flags: decision.route === 'crisis' ? ['urgent'] : [],
  })
  for (const piece of message.text.match(/\S+\s*/g) ?? []) yield { type: 'token', text: piece }
  yield { type: 'done', message, handoff: ticket }
}

/**
 * The ticket for this conversation: the one a mentor has not answered yet, or a new one with its
 * announcement. A crisis raises an existing ticket and is announced again, as urgent.
 */
async function openTicket(
  deps: TurnDeps,
  conversation: ConversationRow,
  userMessage: MessageRow,
  decision: RouteDecision,
  ticketing: Ticketing,
): Promise<Ticket> {
  const reason = `${decision.reason.de}\n${decision.reason.en}`
  const urgent = decision.route === 'crisis'
  const ticket = await deps.database.transaction(async (tx) => {
    const existing = await activeHandoff(tx, conversation.id)
    if (existing && !(urgent && existing.reason_class !== 'crisis')) return { row: existing, announce: false }
    // Only a new ticket counts against the limit (throws 429; a crisis is never refused).
    if (!existing && !ticketing.admitted)
      deps.limits?.handoff(conversation.tenant_slug, ticketing.client, { urgent })
    if (existing) await escalateHandoff(tx, existing.id, reason)
    const row =
      existing ??
      (await createHandoff(tx, {
        conversationId: conversation.id,
        tenant: conversation.tenant_slug,
        messageId: userMessage.id,
        reasonClass: decision.route,
        reason,
        channel: conversation.channel,
      }))
    await enqueueHandoffNotice(
      tx,
      {
        handoffId: row.id,
        tenant: conversation.tenant_slug,
        reason: decision.route,
        channel: conversation.channel,
        createdAt: new Date(row.created_at).toISOString(),
        ...(urgent ? { urgent } : {}),
      },
      deps.handoffWebhook,
    )
    return { row: { ...row, reason_class: existing ? 'crisis' : row.reason_class }, announce: true }
  })
  if (ticket.announce) deps.deliverSoon?.()
  return { id: ticket.row.id, status: ticket.row.status, reason: ticket.row.reason_class }
}

/**
 * The user asked for a person with the explicit action (API, widget button, Teams card). Idempotent:
 * while a ticket is open, asking again returns it and stores nothing new.
 */
export async function requestHandoff(
  deps: TurnDeps,
  conversation: ConversationRow,
  note: string | undefined,
  client?: string | undefined,
): Promise<{ ticket: Ticket; created: boolean; message?: MessageRow }> {
  const existing = await activeHandoff(deps.database, conversation.id)
  if (existing) {
    return {
      ticket: { id: existing.id, status: existing.status, reason: existing.reason_class },
      created: false,
    }
  }
  // Checked before anything is stored: a refused request is a 429 and leaves no trace.
  deps.limits?.handoff(conversation.tenant_slug, client)
  const locale = conversation.locale
  const decision: RouteDecision = {
    route: 'human',
    offer: false,
    stage: 'request',
    reason: EXPLICIT_REQUEST,
    rules: [],
    handoffProbability: 1,
  }
  // The request is the user's message: stored first (with its route, known beforehand), so that the
  // mentor sees it in the transcript.
  const userMessage = await addMessage(deps.database, {
    conversationId: conversation.id,
    author: 'user',
    text: note?.trim() || t(locale).offerAction,
    lang: locale,
    route: storedRoute(decision),
  })
  let done: Extract<TurnEvent, { type: 'done' }> | undefined
  for await (const event of handOver(deps, conversation, userMessage, decision, locale, [], {
    admitted: true,
  })) {
    if (event.type === 'done') done = event
  }
  if (!done?.handoff) throw new Error('the handoff produced no reply')
  return { ticket: done.handoff, created: true, message: done.message }
}

/**
 * The limit refused a new ticket: the user is told that the mentors get very many requests right now
 * and when to ask again (with the action to do so), and no ticket is stored. The topic still goes to
 * no machine: the reply answers nothing.
 */
async function* limitedHandoff(
  deps: TurnDeps,
  conversation: ConversationRow,
  userMessage: MessageRow,
  decision: RouteDecision,
  locale: Locale,
  retryAfterSeconds: number,
): AsyncGenerator<TurnEvent> {
  const minutes = Math.max(1, Math.ceil((Number.isFinite(retryAfterSeconds) ? retryAfterSeconds : 60) / 60))
  const message = await addMessage(deps.database, {
    conversationId: conversation.id,
    author: 'assistant',
    answers: userMessage.id,
    text: handoffLimitedText(locale, minutes),
    lang: locale,
    mode: 'handoff',
    route: storedRoute(decision),
    flags: [OFFER_FLAG, HANDOFF_LIMITED_FLAG],
  })
  for (const piece of message.text.match(/\S+\s*/g) ?? []) yield { type: 'token', text: piece }
  yield { type: 'done', message }
}
