// The embedded database's search without the search statement: the four lists (passage and question
// vectors, passage and question full text) and their fusion computed from what the store's memory holds
// (vector-memory.ts), in the numbers the statement computes. One small statement remains: it reads the
// store's generation (are the rows in memory current?) and lets Postgres stem the query, so that the
// lexemes are the ones the stored tsvectors were made with.
import type { Queryable } from '../db/database.ts'
import type { Lang } from './corpus-schema.ts'
import { fuseLists } from './fusion.ts'
import type { SearchHit } from './search.ts'
import { orOfLexemes } from './text-rank.ts'
import {
  nearestPassages,
  nearestSections,
  type QueryLexemes,
  textPassages,
  textSections,
  type VectorMemory,
} from './vector-memory.ts'

export interface StoreState {
  /** The store's `retrieval_generation` now. */
  generation: number | undefined
  /** The full-text query's lexemes per language; null when the query is not an OR of plain lexemes. */
  lexemes: QueryLexemes | null
}

/** The generation, and the full-text terms as `websearch_to_tsquery` reads them in each language. */
export async function storeState(db: Queryable, terms: string): Promise<StoreState> {
  const { rows } = await db.query<{ generation: number; de: string | null; en: string | null }>(
    `select (select value from retrieval_generation)::float8 as generation,
            websearch_to_tsquery('german', $1)::text as de, websearch_to_tsquery('english', $1)::text as en`,
    [terms === '' ? null : terms],
  )
  const { generation, de = null, en = null } = rows[0] ?? {}
  const lexemes = { de: de === null ? [] : orOfLexemes(de), en: en === null ? [] : orOfLexemes(en) }
  return { generation, lexemes: lexemes.de && lexemes.en ? { de: lexemes.de, en: lexemes.en } : null }
}

export interface MemorySearch {
  vector: readonly number[]
  lexemes: QueryLexemes
  lang: Lang | null
  /** Taken from each list before fusion. */
  candidates: number
  /** Fused hits returned. */
  limit: number
  rrfK: number
  /** Hybrid mode adds the lists of the sections' questions; vector mode reads no full text. */
  mode: 'hybrid' | 'vector'
  excludeQuestion?: string | undefined
}

/** The fused hits, best first, as the search statement would return them. */
export function searchMemory(memory: VectorMemory, request: MemorySearch): SearchHit[] {
  const { lang, candidates: limit, excludeQuestion } = request
  const options = { lang, limit, excludeQuestion }
  const hybrid = request.mode === 'hybrid'
  const noText: QueryLexemes = { de: [], en: [] }
  const lexemes = request.mode === 'vector' ? noText : request.lexemes
  const nearest = (list: typeof nearestPassages) => {
    const neighbours = list(memory, request.vector, options)
    return { ids: neighbours.map((n) => n.id), similarities: neighbours.map((n) => n.similarity) }
  }
  const fused = fuseLists(
    {
      vector: nearest(nearestPassages),
      text: { ids: textPassages(memory, lexemes, options) },
      questionVector: hybrid ? nearest(nearestSections) : { ids: [] },
      questionText: { ids: hybrid ? textSections(memory, lexemes, options) : [] },
    },
    request.rrfK,
    request.limit,
  )
  return fused.flatMap((ranked) => {
    const passage = memory.passages.get(ranked.chunkId)
    return passage ? [{ ...passage, ...ranked, coverage: null }] : []
  })
}
