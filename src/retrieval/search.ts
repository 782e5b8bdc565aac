// Hybrid search: pgvector cosine k-NN and Postgres full text, fused with reciprocal rank fusion.
import { type Queryable, toVectorLiteral } from '../db/database.ts'
import { checkedDimensions } from './chunk-store.ts'
import type { Lang } from './corpus-schema.ts'
import type { Embedder } from './embedders/embedder.ts'
import { createIdfTable, type IdfTable } from './embedders/local-idf.ts'
import { contentStems } from './embedders/text-features.ts'

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
}

export interface SearchHit {
  chunkId: string
  documentId: string
  title: string
  heading: string
  text: string
  lang: Lang
  url: string | null
  /** The fused RRF score (or the single list's RRF score in one-sided modes). */
  score: number
  /** 1-based ranks in the two lists; null where the chunk was not in that list. */
  vectorRank: number | null
  textRank: number | null
}

/** Cormack et al.'s constant: damps the head of each list so that agreement between lists wins. */
export const RRF_K = 60
/** Candidates taken from each list before fusion. */
export const CANDIDATES = 40
// Full-text terms: the query's content words, OR-ed, at most this many.
const MAX_TEXT_TERMS = 12
// Words found in more than this share of passages do not enter the full-text query (see textTerms).
const COMMON_SHARE = 0.3
const corpusStatistics = createIdfTable()

export async function search(
  db: Queryable,
  embedder: Embedder,
  request: SearchRequest,
): Promise<SearchHit[]> {
  const k = request.k ?? 5
  const mode = request.mode ?? 'hybrid'
  const dim = checkedDimensions(embedder.dimensions)
  const filters = request.filters ?? {}
  const useVector = mode !== 'fulltext'
  const useText = mode !== 'vector'
  const terms = useText ? textTerms(request.query) : ''
  const vector = useVector ? toVectorLiteral(await embedder.embeddings.embedQuery(request.query)) : null

  // $1 vector, $2 embedder id, $3 terms, $4 lang, $5 audience, $6 field, $7 phase, $8 candidates, $9 k
  const filter = `($4::text is null or c.lang = $4)
    and ($5::text[] is null or d.audience && $5)
    and ($6::text[] is null or d.field = any($6))
    and ($7::text[] is null or d.phase = any($7))`
  const vectorList = useVector
    ? `select c.id, row_number() over () as rank from (
         select c.id from chunks c join documents d on d.id = c.document_id
         where c.embedding_dim = ${dim} and c.embedder = $2 and ${filter}
         order by c.embedding::vector(${dim}) <=> $1::vector(${dim})
         limit $8) c`
    : `select null::text as id, null::bigint as rank where false`
  const textList =
    useText && terms
      ? `select id, row_number() over (order by score desc, id) as rank from (
         select c.id, ts_rank(c.tsv, q.query, 1) as score
         from chunks c join documents d on d.id = c.document_id
         cross join lateral (select case c.lang when 'de' then websearch_to_tsquery('german', $3)
                                                 else websearch_to_tsquery('english', $3) end as query) q
         where c.tsv @@ q.query and ${filter}
         order by score desc, c.id
         limit $8) t`
      : `select null::text as id, null::bigint as rank where false`

  const { rows } = await db.query<{
    id: string
    document_id: string
    title: string
    heading: string
    text: string
    lang: Lang
    url: string | null
    score: number
    vector_rank: number | null
    text_rank: number | null
  }>(
    // p types every parameter, so that a list left out in a one-sided mode leaves none untyped.
    `with p as (select $1::vector(${dim}) as qv, $2::text as embedder, $3::text as terms, $4::text as lang,
                       $5::text[] as audience, $6::text[] as field, $7::text[] as phase, $8::int as candidates),
     v as (${vectorList}), t as (${textList}),
     fused as (
       select coalesce(v.id, t.id) as id, v.rank as vector_rank, t.rank as text_rank,
              coalesce(1.0 / (${RRF_K} + v.rank), 0) + coalesce(1.0 / (${RRF_K} + t.rank), 0) as score
       from v full outer join t on v.id = t.id
     )
     select c.id, c.document_id, d.title, c.heading, c.text, c.lang, d.url,
            f.score::float8 as score, f.vector_rank::int as vector_rank, f.text_rank::int as text_rank
     from fused f join chunks c on c.id = f.id join documents d on d.id = c.document_id
     order by f.score desc, c.id
     limit $9`,
    [
      vector,
      embedder.id,
      terms,
      filters.lang ?? null,
      nonEmpty(filters.audience),
      nonEmpty(filters.field),
      nonEmpty(filters.phase),
      CANDIDATES,
      k,
    ],
  )
  return rows.map((row) => ({
    chunkId: row.id,
    documentId: row.document_id,
    title: row.title,
    heading: row.heading,
    text: row.text,
    lang: row.lang,
    url: row.url,
    score: row.score,
    vectorRank: row.vector_rank,
    textRank: row.text_rank,
  }))
}

function nonEmpty(values: readonly string[] | undefined): string[] | null {
  return values && values.length > 0 ? [...values] : null
}

/**
 * The query as an OR of its content words for `websearch_to_tsquery`: a question rarely repeats every
 * word of the passage that answers it, so the default AND would find almost nothing. Words are cut
 * down to letters and digits, so that user input cannot carry query syntax.
 */
export function textTerms(query: string, idf: IdfTable = corpusStatistics): string {
  const words = [
    ...new Set(
      query
        .normalize('NFC')
        .split(/[^\p{L}\p{N}]+/u)
        .filter((word) => word.length >= 2 && contentStems(word).length > 0),
    ),
  ]
  const share = (word: string) => idf.share(contentStems(word)[0] ?? '')
  // Words in a large share of all passages ("KI", "Betrieb") say little about which passage answers,
  // and they make the match set huge; they are left out as long as rarer words remain.
  const telling = words.filter((word) => share(word) <= COMMON_SHARE)
  return (telling.length > 0 ? telling : words)
    .sort((a, b) => share(a) - share(b))
    .slice(0, MAX_TEXT_TERMS)
    .join(' or ')
}
