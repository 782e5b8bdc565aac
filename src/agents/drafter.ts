// Drafts for human mentors: a cited answer to any question, including works-council and workforce
// topics, because a person reads, edits and decides before anything reaches a user. A draft is a
// letter from that person (agents/letter.ts). With a model the letter's body is generated over the
// retrieved passages; without one (or when it fails) it is built from the passages themselves.
import type { Citation } from '../conversations/repository.ts'
import type { Database } from '../db/database.ts'
import type { Embedder } from '../retrieval/embedders/embedder.ts'
import { detectTextLang } from '../retrieval/embedders/text-features.ts'
import { asksAboutThisService } from '../retrieval/rerank.ts'
import { asAudience } from '../retrieval/role.ts'
import { search } from '../retrieval/search.ts'
import { generateAnswer } from './generate.ts'
import { composeLetter, extractiveLetterBody, type LetterFrame, tidyLetterBody } from './letter.ts'
import type { ChatModel } from './models.ts'
import { withoutPersonalData } from './pii.ts'
import { draftMessages } from './prompts/draft.ts'
import { routeByRules } from './router/rules-router.ts'
import type { Locale } from './texts.ts'

export type Draft = { text: string; citations: Citation[]; mode: 'generated' | 'extractive'; flags: string[] }

export type DraftRequest = LetterFrame & {
  question: string
  lang?: Locale | undefined
  role?: string | null | undefined
}

/**
 * The question a draft for a handoff answers: the person's latest message that asks something, not
 * their request for a person ("Ich möchte mit einem Menschen sprechen"), which would draw only the
 * passages on how this service hands over. Without such a message, the latest one.
 */
export function questionToDraft(userMessages: readonly string[]): string | undefined {
  const asked = userMessages.filter((text) => text.trim())
  const substantive = asked.findLast((text) => {
    // A message that matches only the rules asking for a person asks nothing else.
    const rules = routeByRules(text)
    return rules.route !== 'human' || rules.rules.some((id) => !id.startsWith('human.'))
  })
  return substantive ?? asked.at(-1)
}

const PASSAGES = 5
// Passages about this service are left out unless the question is about it; the corpus has a few
// such sections per language, so this many more are asked for to keep PASSAGES after the cut.
const SEARCHED = 12

export async function draftAnswer(
  deps: { database: Database; embedder: Embedder; model?: ChatModel | undefined },
  request: DraftRequest,
): Promise<Draft> {
  const lang = request.lang ?? detectTextLang(request.question)
  const found = await search(deps.database, deps.embedder, {
    query: withoutPersonalData(request.question),
    k: SEARCHED,
    filters: { lang },
    role: asAudience(request.role),
  })
  // A draft answers the person's question: how this service hands over is no answer to a question
  // about, say, the works council (the reranker's self-demotion only orders; here they go).
  const hits = (
    asksAboutThisService(request.question) ? found : found.filter((hit) => !hit.aboutThisService)
  ).slice(0, PASSAGES)
  const letter = (body: string) => composeLetter(lang, body, request)
  if (hits.length === 0) return { text: letter(''), citations: [], mode: 'extractive', flags: ['no_sources'] }
  if (deps.model) {
    const shape = { messages: draftMessages, tidy: tidyLetterBody }
    for await (const event of generateAnswer(deps.model, lang, request.question, hits, undefined, shape)) {
      if (event.type === 'complete')
        return { text: letter(event.text), citations: event.citations, mode: 'generated', flags: event.flags }
      if (event.type !== 'token') break
    }
  }
  const { body, citations } = extractiveLetterBody(hits, lang)
  return { text: letter(body), citations, mode: 'extractive', flags: deps.model ? ['model_fallback'] : [] }
}
