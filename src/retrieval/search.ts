// Hybrid search: cosine k-NN (pgvector, or on the embedded database in process: vector-memory.ts) and
// Postgres full text over the passages and over the questions each section says it answers, fused with
// reciprocal rank fusion, then reranked (rerank.ts).
import { type Queryable, toVectorLiteral } from '../db/database.ts'
import { checkedDimensions, PASSAGE_COLUMNS, vectorIndexPredicate } from './chunk-store.ts'
import { type Audience, LANGS, type Lang } from './corpus-schema.ts'
import type { Embedder } from './embedders/embedder.ts'
import { corpusIdf, type IdfTable } from './embedders/local-idf.ts'
import { contentStems, detectTextLang } from './embedders/text-features.ts'
import { searchMemory, storeState } from './memory-search.ts'
import { rerank } from './rerank.ts'
import { detectRole } from './role.ts'
import { expandQuery } from './thesaurus.ts'
import { holdsVectorsInMemory, nearestPassages, nearestSections, vectorMemory } from './vector-memory.ts'

export type SearchMode = 'hybrid' | 'vector' | 'fulltext'

export interface SearchFilters {
  lang?: Lang | undefined
  audience?: readonly string[] | undefined
  field?: readonly string[] | undefined
  phase?: readonly string[] | undefined
}

export interface SearchRequest {
  query: string
  k?: number
  filters?: SearchFilters
  mode?: SearchMode
  /** Whose perspective the reader wants (set, or read from the message): a reranking signal, not a filter. */
  role?: Audience | undefined
}

export type SearchHit = {
  chunkId: string
  documentId: string
  title: string
  heading: string
  text: string
  lang: Lang
  url: string | null
  /** The day the document was last checked against its sources (YYYY-MM-DD). */
  reviewed: string
  /** The documents's audiences. */
  audience: string[]
  /** The questions the section says it answers (empty for later chunks of a long section). */
  questions: string[]
  /** The document describes this service itself. */
  aboutThisService: boolean
  /** The score the hits are ordered by: the reranker's in hybrid mode, else the list's RRF score. */
  score: number
  /** 1-based ranks in the passage lists; null where the chunk was not in that list. */
  vectorRank: number | null
  textRank: number | null
  /** 1-based ranks in the lists of the sections' questions (vector, full text). */
  questionRank: number | null
  questionTextRank: number | null
  /** Cosine similarity to the query (vector list only): an absolute measure, unlike the fused score. */
  similarity: number | null
  /** The best cosine similarity between the query and one of the section's questions. */
  questionSimilarity: number | null
  /** Hybrid mode: the IDF-weighted share of the question's words found in the section (rerank.ts). */
  coverage: number | null
}

/** What a search adds to a passage: its score, and its ranks and similarities in the lists. */
export type Ranking = Pick<
  SearchHit,
  | 'score'
  | 'vectorRank'
  | 'textRank'
  | 'questionRank'
  | 'questionTextRank'
  | 'similarity'
  | 'questionSimilarity'
  | 'coverage'
>

/** Cormack et al.'s constant: damps the head of each list so that agreement between lists wins. */
export const RRF_K = 60
/** Candidates taken from each list before fusion. */
export const CANDIDATES = 40
/** Fused candidates the reranker orders (hybrid mode); the best k of them are returned. */
export const RERANK_POOL = 20
// Full-text terms: the query's content words, OR-ed, at most this many.
const MAX_TEXT_TERMS = 12
// Words found in more than this share of passages do not enter the full-text query (see textTerms).
const COMMON_SHARE = 0.3
// Ranking costs time per matching passage, so at most this many matches are ranked, the first the
// scan reads (in table order, not by relevance). On the shipped corpus the dev questions match up to
// 357 passages: a bound of 200 cut 27 of 76 of them and cost full-text hit@5 on them (0.842 against 0.882 when
// all matches are ranked); 600 ranks them all with room for the corpus to grow, and costs little more
// in time there. In stores of 10k passages and more the bound still cuts and the ranking is no longer
// the best (bench/RESULTS.md). The match condition names the tsquery directly (not through q) so that
// the planner can estimate its selectivity when it chooses between the GIN index and a scan.
export const TEXT_MATCHES = 600
/** The text search configuration of each language. */
const TEXT_CONFIG: Record<Lang, string> = { de: 'german', en: 'english' }

/**
 * The one ranking of the knowledge base: the chat, the drafts and `POST /v1/search` all call this, so
 * the same question with the same language and role finds the same passages in the same order.
 */
export async function search(
  db: Queryable,
  embedder: Embedder,
  request: SearchRequest,
): Promise<SearchHit[]> {
  const mode = request.mode ?? 'hybrid'
  const lang = request.filters?.lang ?? detectTextLang(request.query)
  const query = expandQuery(request.query, lang)
  const vector = mode === 'fulltext' ? null : await embedder.embeddings.embedQuery(query)
  const hits = await searchWithVector(db, embedder, { ...request, query, mode, vector })
  if (mode !== 'hybrid') return hits
  return rerank(hits, { query: request.query, role: request.role ?? detectRole(request.query) }).slice(
    0,
    request.k ?? 5,
  )
}

/**
 * The SQL part of a search, for a query already embedded (`vector` is null in full-text mode). In
 * hybrid mode it returns up to RERANK_POOL fused candidates (at least k), in fused order.
 * `textMatches` changes how many full-text matches are ranked (null: all; for measuring the bound).
 * `excludeQuestion` leaves one section question out of the question lists (for fitting the reranker
 * on the sections' own questions without giving away the answer).
 */
export async function searchWithVector(
  db: Queryable,
  embedder: Pick<Embedder, 'id' | 'dimensions'>,
  request: SearchRequest & {
    vector: readonly number[] | null
    excludeQuestion?: string
    textMatches?: number | null
  },
  /** The generation a first try found newer than its vectors (the search then reads them again). */
  retryOf?: number,
): Promise<SearchHit[]> {
  const k = request.k ?? 5
  const mode = request.mode ?? 'hybrid'
  const dim = checkedDimensions(embedder.dimensions)
  const filters = request.filters ?? {}
  const terms = mode === 'vector' ? '' : textTerms(request.query)
  const useVector = mode !== 'fulltext' && request.vector !== null
  const useText = mode !== 'vector' && terms !== ''
  const useQuestions = mode === 'hybrid'
  const limit = mode === 'hybrid' ? Math.max(k, RERANK_POOL) : k
  const textMatches = request.textMatches === undefined ? TEXT_MATCHES : request.textMatches
  if (textMatches !== null && !(Number.isInteger(textMatches) && textMatches > 0)) {
    throw new Error(`Invalid bound of full-text matches ${textMatches}`)
  }

  // $1 vector, $2 embedder id, $3 terms, $4 lang, $5 audience, $6 field, $7 phase, $8 candidates,
  // $9 limit, $10 excluded question, $11–$14 the vector lists when they come from memory (ids, similarities)
  const byDocument = Boolean(nonEmpty(filters.audience) || nonEmpty(filters.field) || nonEmpty(filters.phase))
  // The embedded database's vector lists are computed in process (vector-memory.ts); a document filter,
  // which needs the documents table, keeps them in SQL.
  const vector = useVector ? request.vector : null
  const memory =
    vector && !byDocument && holdsVectorsInMemory(db)
      ? await vectorMemory(db, embedder.id, dim, { knownGeneration: retryOf })
      : null
  // The embedded database ranks every list in process (memory-search.ts); a search that measures the
  // bound of full-text matches, or whose query Postgres reads as more than an OR of lexemes, does not.
  if (memory && vector && request.textMatches === undefined) {
    const state = await storeState(db, terms)
    // Rows written since the memory was read: read them again, once.
    if (state.generation !== memory.generation && retryOf === undefined) {
      return searchWithVector(db, embedder, request, state.generation ?? -1)
    }
    if (state.lexemes) {
      return searchMemory(memory, {
        vector,
        lexemes: state.lexemes,
        lang: filters.lang ?? null,
        candidates: CANDIDATES,
        limit,
        rrfK: RRF_K,
        mode: mode === 'vector' ? 'vector' : 'hybrid',
        excludeQuestion: request.excludeQuestion,
      })
    }
  }
  const nearestOf = (list: typeof nearestPassages) => {
    if (!memory || !vector) return [null, null]
    const neighbours = list(memory, vector, {
      lang: filters.lang ?? null,
      limit: CANDIDATES,
      excludeQuestion: request.excludeQuestion,
    })
    return [neighbours.map((n) => n.id), neighbours.map((n) => n.similarity)]
  }
  const [passageIds, passageSimilarities] = nearestOf(nearestPassages)
  const [sectionIds, sectionSimilarities] = useQuestions ? nearestOf(nearestSections) : [null, null]
  const given = (ids: number, similarities: number) =>
    `select id, rank, similarity from unnest($${ids}::text[], $${similarities}::float8[]) with ordinality as g(id, similarity, rank)`
  // Documents are joined only when a document filter asks for it: the join is most of a bare query's cost.
  const from = byDocument ? 'chunks c join documents d on d.id = c.document_id' : 'chunks c'
  const filter = `($4::text is null or c.lang = $4)${
    byDocument
      ? ` and ($5::text[] is null or d.audience && $5)
          and ($6::text[] is null or d.field = any($6))
          and ($7::text[] is null or d.phase = any($7))`
      : ''
  }`
  const none = 'select null::text as id, null::bigint as rank, null::float8 as similarity where false'
  // Each row is matched in its own language's configuration. With a language filter only that
  // language's condition is written (literally, from the closed set), so that the planner can read the
  // GIN index; an OR of both languages it can only scan.
  const matches = (tsv: string, lang: string) =>
    (filters.lang ? [filters.lang] : LANGS)
      .map((l) => `(${lang} = '${l}' and ${tsv} @@ websearch_to_tsquery('${TEXT_CONFIG[l]}', $3))`)
      .join(' or ')
  // One nearest-neighbour list per language, each read from that language's HNSW index (its predicate
  // repeated literally, see ensureVectorIndex); without a language filter the two lists are merged.
  const nearest = (filters.lang ? [filters.lang] : LANGS).map(
    (lang) => `(select c.id, c.embedding::vector(${dim}) <=> $1::vector(${dim}) as distance from ${from}
         where ${vectorIndexPredicate(dim, lang, 'c')} and c.embedder = $2 and ${filter}
         order by distance
         limit $8)`,
  )
  const vectorList = memory
    ? given(11, 12)
    : useVector
      ? `select id, row_number() over (order by distance, id) as rank, 1 - distance as similarity from (
         select id, distance from (${nearest.join(' union all ')}) n
         order by distance
         limit $8) v`
      : none
  const textList = useText
    ? `select id, row_number() over (order by score desc, id) as rank, null::float8 as similarity from (
         select m.id, ts_rank(m.tsv, case m.lang when 'de' then q.de else q.en end, 1) as score
         from q, (
           select c.id, c.tsv, c.lang from ${from}
           where (${matches('c.tsv', 'c.lang')}) and ${filter}
           ${textMatches === null ? '' : `limit ${textMatches}`}) m
         order by score desc, m.id
         limit $8) t`
    : none
  // A section matches with its best question; each question list is grouped by section.
  const questionVectorList =
    useQuestions && memory
      ? given(13, 14)
      : useQuestions && useVector
        ? `select id, row_number() over (order by similarity desc, id) as rank, similarity from (
           select c.id, max(1 - x.distance) as similarity
           from (select cq.chunk_id, cq.embedding::vector(${dim}) <=> $1::vector(${dim}) as distance
                 from chunk_questions cq
                 where cq.embedding_dim = ${dim} and cq.embedder = $2 and ($4::text is null or cq.lang = $4)
                   and ($10::text is null or cq.question <> $10)
                 order by distance
                 limit $8 * 3) x, ${from}
           where c.id = x.chunk_id and ${filter}
           group by c.id
           order by similarity desc, c.id
           limit $8) qv`
        : none
  // A question has its section's language, so without a document filter the chunks need not be joined.
  const questionTextList =
    useQuestions && useText
      ? `select id, row_number() over (order by score desc, id) as rank, null::float8 as similarity from (
           select cq.chunk_id as id, max(ts_rank(cq.tsv, case cq.lang when 'de' then q.de else q.en end, 1)) as score
           from q, chunk_questions cq${byDocument ? `, ${from}` : ''}
           where (${matches('cq.tsv', 'cq.lang')}) and ($10::text is null or cq.question <> $10)
             and ${byDocument ? `c.id = cq.chunk_id and ${filter}` : '($4::text is null or cq.lang = $4)'}
           group by cq.chunk_id
           order by score desc, cq.chunk_id
           limit $8) qt`
      : none

  const rankColumns = `f.score::float8 as score, f.vector_rank::int as "vectorRank", f.text_rank::int as "textRank",
    f.question_rank::int as "questionRank", f.question_text_rank::int as "questionTextRank",
    f.similarity::float8 as similarity, f.question_similarity::float8 as "questionSimilarity",
    null::float8 as coverage`
  const { rows } = await db.query<SearchHit & { generation?: number }>(
    // p types every parameter, so that a list left out in a one-sided mode leaves none untyped.
    `with p as (select $1::vector(${dim}) as qv, $2::text as embedder, $3::text as terms, $4::text as lang,
                       $5::text[] as audience, $6::text[] as field, $7::text[] as phase, $8::int as candidates,
                       $10::text as excluded, $11::text[] as passage_ids, $12::float8[] as passage_similarities,
                       $13::text[] as section_ids, $14::float8[] as section_similarities),
     -- The query in both configurations for ranking; each passage is matched in its own language.
     q as (select websearch_to_tsquery('german', $3) as de, websearch_to_tsquery('english', $3) as en),
     lists as (
       select id, 'v' as list, rank, similarity from (${vectorList}) v
       union all select id, 't', rank, similarity from (${textList}) t
       union all select id, 'qv', rank, similarity from (${questionVectorList}) qv
       union all select id, 'qt', rank, similarity from (${questionTextList}) qt
     ),
     fused as (
       select id, sum(1.0 / (${RRF_K} + rank)) as score,
              min(rank) filter (where list = 'v') as vector_rank,
              min(rank) filter (where list = 't') as text_rank,
              min(rank) filter (where list = 'qv') as question_rank,
              min(rank) filter (where list = 'qt') as question_text_rank,
              max(similarity) filter (where list = 'v') as similarity,
              max(similarity) filter (where list = 'qv') as question_similarity
       from lists
       group by id
       order by score desc, id
       limit $9
     )
     ${
       // From memory the passages themselves are known: only their ids and ranks are read.
       memory
         ? `select f.id as "chunkId", ${rankColumns}, (select value from retrieval_generation)::float8 as generation
            from fused f order by f.score desc, f.id`
         : `select ${PASSAGE_COLUMNS}, ${rankColumns}
            from fused f join chunks c on c.id = f.id join documents d on d.id = c.document_id
            order by f.score desc, c.id`
     }`,
    [
      vector && !memory ? toVectorLiteral(vector) : null,
      embedder.id,
      terms,
      filters.lang ?? null,
      nonEmpty(filters.audience),
      nonEmpty(filters.field),
      nonEmpty(filters.phase),
      CANDIDATES,
      limit,
      request.excludeQuestion ?? null,
      passageIds,
      passageSimilarities,
      sectionIds,
      sectionSimilarities,
    ],
  )
  if (!memory) return rows
  // The lists and the passages came from one generation; if rows were written since, read them again.
  const generation = rows[0]?.generation ?? (await currentGeneration(db))
  const hits = rows.map(({ generation: _, ...ranked }) => {
    const passage = memory.passages.get(ranked.chunkId)
    return passage && { ...passage, ...ranked }
  })
  const complete = hits.every((hit) => hit !== undefined)
  if ((generation === memory.generation && complete) || retryOf !== undefined) {
    return hits.filter((hit) => hit !== undefined)
  }
  return searchWithVector(db, embedder, request, generation ?? -1)
}

async function currentGeneration(db: Queryable): Promise<number | undefined> {
  const { rows } = await db.query<{ value: number }>(
    'select value::float8 as value from retrieval_generation',
  )
  return rows[0]?.value
}

function nonEmpty(values: readonly string[] | undefined): string[] | null {
  return values && values.length > 0 ? [...values] : null
}

/**
 * The query as an OR of its content words for `websearch_to_tsquery`: a question rarely repeats every
 * word of the passage that answers it, so the default AND would find almost nothing. Words are cut
 * down to letters and digits, so that user input cannot carry query syntax.
 */
export function textTerms(query: string, idf: IdfTable = corpusIdf): string {
  // Each distinct word is stemmed once (not again for every comparison of the sort): linear work.
  const shares = new Map<string, number>()
  for (const word of query.normalize('NFC').split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < 2 || shares.has(word)) continue
    const [stem] = contentStems(word)
    if (stem !== undefined) shares.set(word, idf.share(stem))
  }
  const words = [...shares.keys()]
  const share = (word: string) => shares.get(word) ?? 0
  // Words in a large share of all passages ("KI", "Betrieb") say little about which passage answers,
  // and they make the match set huge; they are left out as long as rarer words remain.
  const telling = words.filter((word) => share(word) <= COMMON_SHARE)
  return (telling.length > 0 ? telling : words)
    .sort((a, b) => share(a) - share(b))
    .slice(0, MAX_TEXT_TERMS)
    .join(' or ')
}
