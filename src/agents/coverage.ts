// Whether the knowledge base answers a question: the reranker's probability that the best section
// answers it (rerank.ts), against the level chosen on the dev split by `npm run reranker:fit`.
import type { Queryable } from '../db/database.ts'
import type { Audience } from '../retrieval/corpus-schema.ts'
import type { Embedder } from '../retrieval/embedders/embedder.ts'
import model from '../retrieval/reranker-model.json' with { type: 'json' }
import { type SearchHit, search } from '../retrieval/search.ts'
import type { Locale } from './texts.ts'

/** The reranker probability from which the best section counts as an answer. */
export const COVERED_FROM: number = model.coveredFrom

/** True when the best of the ranked hits (hybrid search) answers the question. */
export function isCovered(hits: readonly Pick<SearchHit, 'score'>[]): boolean {
  const best = hits[0]
  return best !== undefined && best.score >= COVERED_FROM
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
