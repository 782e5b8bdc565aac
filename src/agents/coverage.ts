// Whether the knowledge base answers a question: the IDF-weighted share of the question's words that the
// best section (as the reranker orders them) contains, against the level chosen on the dev split by
// `npm run reranker:fit`. Questions the corpus does not cover bring words it does not have.
import type { Queryable } from '../db/database.ts'
import type { Audience } from '../retrieval/corpus-schema.ts'
import type { Embedder } from '../retrieval/embedders/embedder.ts'
import model from '../retrieval/reranker-model.json' with { type: 'json' }
import { type SearchHit, search } from '../retrieval/search.ts'
import type { Locale } from './texts.ts'

/** The share of the question's words in the best section from which it counts as an answer. */
export const COVERED_FROM: number = model.coveredFrom

/** True when the best of the ranked hits (hybrid search) answers the question. */
export function isCovered(hits: readonly Pick<SearchHit, 'coverage'>[]): boolean {
  const best = hits[0]
  return best !== undefined && (best.coverage ?? 0) >= COVERED_FROM
}

/** The passages a turn answers from: the chat, its drafts' "not covered" and the eval use this. */
export const PASSAGES = 4
/** A follow-up looks further down the ranking for the next section of the document it continues. */
const FOLLOW_UP_CANDIDATES = 12

/** A section, as a citation names it. */
export interface SectionRef {
  documentId: string
  heading: string
}

const isSection = (hit: SectionRef, section: SectionRef) =>
  hit.documentId === section.documentId && hit.heading === section.heading

/**
 * A follow-up continues from the section answered before: the best other section of the same
 * document comes first (its next steps, its detail), the previous section is not repeated, and the
 * rest keep their order. Without such a section the ranking stands, minus the previous section.
 */
export function continueFrom<H extends SectionRef>(hits: readonly H[], previous: SectionRef): H[] {
  const others = hits.filter((hit) => !isSection(hit, previous))
  const next = others.find((hit) => hit.documentId === previous.documentId)
  return next ? [next, ...others.filter((hit) => hit !== next)] : others
}

export async function findSources(
  database: Queryable,
  embedder: Embedder,
  request: { query: string; lang: Locale; role?: Audience | undefined; previous?: SectionRef | undefined },
): Promise<{ hits: SearchHit[]; covered: boolean }> {
  const ranked = await search(database, embedder, {
    query: request.query,
    k: request.previous ? FOLLOW_UP_CANDIDATES : PASSAGES,
    filters: { lang: request.lang },
    role: request.role,
  })
  const hits = request.previous ? continueFrom(ranked, request.previous) : ranked
  // Whether the question is covered is read from the ranking itself, before a follow-up reorders it.
  return { hits: hits.slice(0, PASSAGES), covered: isCovered(ranked) }
}
