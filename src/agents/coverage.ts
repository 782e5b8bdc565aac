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

export async function findSources(
  database: Queryable,
  embedder: Embedder,
  request: { query: string; lang: Locale; role?: Audience | undefined },
): Promise<{ hits: SearchHit[]; covered: boolean }> {
  const hits = await search(database, embedder, {
    query: request.query,
    k: PASSAGES,
    filters: { lang: request.lang },
    role: request.role,
  })
  return { hits, covered: isCovered(hits) }
}
