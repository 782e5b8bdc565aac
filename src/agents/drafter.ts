// Drafts for human mentors: a cited answer to any question, including works-council and workforce
// topics, because a person reads, edits and decides before anything reaches a user. With a model the
// draft is generated over the retrieved passages; without one (or when it fails) it is extractive.
import type { Citation } from '../conversations/repository.ts'
import type { Database } from '../db/database.ts'
import type { Embedder } from '../retrieval/embedders/embedder.ts'
import { detectTextLang } from '../retrieval/embedders/text-features.ts'
import { asAudience } from '../retrieval/role.ts'
import { search } from '../retrieval/search.ts'
import { extractiveAnswer } from './extractive.ts'
import { generateAnswer } from './generate.ts'
import type { ChatModel } from './models.ts'
import { withoutPersonalData } from './pii.ts'
import { type Locale, t } from './texts.ts'

export type Draft = { text: string; citations: Citation[]; mode: 'generated' | 'extractive'; flags: string[] }

const PASSAGES = 5

export async function draftAnswer(
  deps: { database: Database; embedder: Embedder; model?: ChatModel | undefined },
  request: { question: string; lang?: Locale | undefined; role?: string | null | undefined },
): Promise<Draft> {
  const lang = request.lang ?? detectTextLang(request.question)
  const hits = await search(deps.database, deps.embedder, {
    query: withoutPersonalData(request.question),
    k: PASSAGES,
    filters: { lang },
    role: asAudience(request.role),
  })
  if (hits.length === 0) return { text: '', citations: [], mode: 'extractive', flags: ['no_sources'] }
  if (deps.model) {
    for await (const event of generateAnswer(deps.model, lang, request.question, hits)) {
      if (event.type === 'complete')
        return { text: event.text, citations: event.citations, mode: 'generated', flags: event.flags }
      if (event.type !== 'token') break
    }
  }
  const { body, citations } = extractiveAnswer(hits, t(lang).moreOn)
  return { text: body, citations, mode: 'extractive', flags: deps.model ? ['model_fallback'] : [] }
}
