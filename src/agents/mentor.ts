// One turn of the mentor: store what the user sent, route it, then answer from the corpus with
// citations or hand it to a human, and store the reply before it is finished. Yields stream events.
import {
  addMessage,
  type Citation,
  type ConversationRow,
  createHandoff,
  listMessages,
  type MessageRow,
  recordKnowledgeGap,
  recordRoute,
} from '../conversations/repository.ts'
import type { Database } from '../db/database.ts'
import type { Embedder } from '../retrieval/embedders/embedder.ts'
import { contentStems, detectLang, foldText } from '../retrieval/embedders/text-features.ts'
import { search } from '../retrieval/search.ts'
import { questionCoverage } from './coverage.ts'
import { extractiveAnswer } from './extractive.ts'
import { isHandoff, type RouteClass } from './router/route-class.ts'
import { routeByRules } from './router/rules-router.ts'
import { handoffText, type Locale, t } from './texts.ts'

/**
 * Below this cosine similarity of the best passage the knowledge base does not cover the question.
 * Calibrated with the local embedder: 95 % of the retrieval eval questions score above 0.22, the
 * lowest at 0.18; off-topic messages reach up to 0.27 (the router refuses those first).
 */
export const WEAK_RETRIEVAL = 0.2
/**
 * Below this share of the question's (IDF-weighted) words in the passages found, the passages are
 * about something else. 95 % of the retrieval eval questions reach 0.28; questions outside the
 * corpus ("Förderquote für Quantencomputer") stay under 0.22.
 */
export const MIN_COVERAGE = 0.25
const PASSAGES = 4
// Without a model to rewrite follow-ups, a short message that starts like a continuation or points
// back ("und dazu?", "what about pilots?") is searched together with the question before it.
const FOLLOW_UP_START =
  /^(und|aber|auch|was ist mit|wie ist es mit|gilt das|and|but|also|what about|how about|does that|is that)\b/i
const FOLLOW_UP_REFERENCE = /\b(das|dazu|davon|daruber|dafur|dies|diese[srnm]?|it|this|that|these|those)\b/i

export function isFollowUp(text: string): boolean {
  const words = contentStems(text).length
  if (words <= 1) return true
  return words <= 4 && (FOLLOW_UP_START.test(text.trim()) || FOLLOW_UP_REFERENCE.test(foldText(text)))
}

export interface TurnDeps {
  database: Database
  embedder: Embedder
}

export interface TurnRoute {
  route: RouteClass
  stage: 'rules'
  reason: string
  rules: string[]
}

export type TurnEvent =
  | { type: 'route'; route: RouteClass; stage: string; reason: string }
  | { type: 'sources'; sources: Citation[] }
  | { type: 'token'; text: string }
  | { type: 'handoff'; handoff: { id: string; status: string; reason: string } }
  | { type: 'done'; message: MessageRow; handoff?: { id: string; status: string; reason: string } }

/** The language of a message: its function words decide, the conversation's locale breaks a tie. */
export function messageLocale(text: string, fallback: Locale): Locale {
  return detectLang(foldText(text).split(/[^a-z0-9]+/), fallback)
}

export async function* runTurn(
  deps: TurnDeps,
  conversation: ConversationRow,
  text: string,
): AsyncGenerator<TurnEvent> {
  const { database } = deps
  const locale = messageLocale(text, conversation.locale)
  const history = await listMessages(database, conversation.id)
  // Stored before anything that can fail.
  const userMessage = await addMessage(database, {
    conversationId: conversation.id,
    author: 'user',
    text,
    lang: locale,
  })

  const decision = routeByRules(text)
  const route: TurnRoute = {
    route: decision.route,
    stage: 'rules',
    reason: decision.reason,
    rules: decision.rules,
  }
  await recordRoute(database, userMessage.id, route)
  yield { type: 'route', route: route.route, stage: route.stage, reason: route.reason }

  if (isHandoff(route.route)) {
    yield* handOver(deps, conversation, userMessage, route, locale, text)
    return
  }
  if (route.route === 'out_of_scope') {
    yield* reply(deps, conversation, { text: t(locale).outOfScope, locale, mode: 'refusal', citations: [] })
    return
  }

  const previousQuestion = [...history].reverse().find((m) => m.author === 'user')?.text
  const query = previousQuestion && isFollowUp(text) ? `${previousQuestion} ${text}` : text
  const hits = await search(database, deps.embedder, {
    query,
    k: PASSAGES,
    filters: { lang: locale, ...(conversation.role ? { audience: [conversation.role] } : {}) },
  })
  const best = hits.reduce((max, hit) => Math.max(max, hit.similarity ?? 0), 0)
  if (hits.length === 0 || best < WEAK_RETRIEVAL || questionCoverage(text, hits) < MIN_COVERAGE) {
    await recordKnowledgeGap(database, {
      tenant: conversation.tenant_slug,
      conversationId: conversation.id,
      question: text,
      lang: locale,
      bestScore: hits.length ? best : null,
    })
    yield* reply(deps, conversation, {
      text: t(locale).weakRetrieval,
      locale,
      mode: 'extractive',
      citations: [],
      flags: ['weak_retrieval'],
    })
    return
  }

  const { body, citations } = extractiveAnswer(query, hits)
  yield { type: 'sources', sources: citations }
  yield* reply(deps, conversation, {
    text: `${t(locale).extractiveLabel}\n\n${body}`,
    locale,
    mode: 'extractive',
    citations,
  })
}

async function* handOver(
  deps: TurnDeps,
  conversation: ConversationRow,
  userMessage: MessageRow,
  route: TurnRoute,
  locale: Locale,
  text: string,
): AsyncGenerator<TurnEvent> {
  const handoff = await createHandoff(deps.database, {
    conversationId: conversation.id,
    tenant: conversation.tenant_slug,
    messageId: userMessage.id,
    reasonClass: route.route,
    reason: route.reason,
    channel: conversation.channel,
  })
  const ticket = { id: handoff.id, status: handoff.status, reason: route.route }
  yield { type: 'handoff', handoff: ticket }

  // Further reading: titles and links only, no generated advice; none in a crisis.
  const reading: Citation[] = []
  if (route.route !== 'crisis') {
    const hits = await search(deps.database, deps.embedder, { query: text, k: 6, filters: { lang: locale } })
    const seen = new Set<string>()
    for (const hit of hits) {
      if (seen.has(hit.documentId) || (hit.similarity ?? 0) < WEAK_RETRIEVAL || seen.size === 3) continue
      seen.add(hit.documentId)
      reading.push({
        n: seen.size,
        documentId: hit.documentId,
        title: hit.title,
        heading: hit.title,
        ...(hit.url ? { url: hit.url } : {}),
      })
    }
  }
  const lines = [handoffText(locale, route.route), '', t(locale).nextSteps]
  if (reading.length) lines.push('', t(locale).furtherReading, ...reading.map((c) => `- ${c.title} [${c.n}]`))
  yield* reply(
    deps,
    conversation,
    { text: lines.join('\n'), locale, mode: 'handoff', citations: reading },
    ticket,
  )
}

async function* reply(
  deps: TurnDeps,
  conversation: ConversationRow,
  answer: {
    text: string
    locale: Locale
    mode: MessageRow['mode'] & string
    citations: Citation[]
    flags?: string[]
  },
  handoff?: { id: string; status: string; reason: string },
): AsyncGenerator<TurnEvent> {
  // The reply is complete before it is streamed, so it is stored first: nothing is lost mid-stream.
  const message = await addMessage(deps.database, {
    conversationId: conversation.id,
    author: 'assistant',
    text: answer.text,
    lang: answer.locale,
    mode: answer.mode,
    citations: answer.citations,
    flags: answer.flags ?? [],
  })
  for (const piece of answer.text.match(/\S+\s*/g) ?? []) yield { type: 'token', text: piece }
  yield { type: 'done', message, ...(handoff ? { handoff } : {}) }
}
