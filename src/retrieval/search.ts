// Hybrid search: pgvector cosine k-NN and Postgres full text, fused with reciprocal rank fusion.
import { type Queryable, toVectorLiteral } from '../db/database.ts'
import { checkedDimensions } from './chunk-store.ts'
import type { Lang } from './corpus-schema.ts'
import type { Embedder } from './embedders/embedder.ts'
import { corpusIdf, type IdfTable } from './embedders/local-idf.ts'
import { contentStems, detectTextLang } from './embedders/text-features.ts'
import { expandQuery } from './thesaurus.ts'

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
  /** The fused RRF score (or the single list's RRF score in one-sided modes). */
  score: number
  /** 1-based ranks in the two lists; null where the chunk was not in that list. */
  vectorRank: number | null
  textRank: number | null
  /** Cosine similarity to the query (vector list only): an absolute measure, unlike the fused score. */
  similarity: number | null
}

/** Cormack et al.'s constant: damps the head of each list so that agreement between lists wins. */
export const RRF_K = 60
/** Candidates taken from each list before fusion. */
export const CANDIDATES = 40
// Full-text terms: the query's content words, OR-ed, at most this many.
const MAX_TEXT_TERMS = 12
// Words found in more than this share of passages do not enter the full-text query (see textTerms).
const COMMON_SHARE = 0.3
// Ranking costs time per matching passage, so at most this many matches are ranked. On the shipped
// corpus the bound changes no result of the eval set; in very large stores it trades exactness for a
// bounded query time. The match condition names the tsquery directly (not through q) so that the
// planner can estimate its selectivity when it chooses between the GIN index and a scan.
const TEXT_MATCHES = 200

export async function search(
  db: Queryable,
  embedder: Embedder,
  request: SearchRequest,
): Promise<SearchHit[]> {
  const mode = request.mode ?? 'hybrid'
  const lang = request.filters?.lang ?? detectTextLang(request.query)
  const query = expandQuery(request.query, lang)
  const vector = mode === 'fulltext' ? null : await embedder.embeddings.embedQuery(query)
  return searchWithVector(db, embedder, { ...request, query, mode, vector })
}

/** The SQL part of a search, for a query already embedded (`vector` is null in full-text mode). */
export async function searchWithVector(
  db: Queryable,
  embedder: Pick<Embedder, 'id' | 'dimensions'>,
  request: SearchRequest & { vector: readonly number[] | null },
): Promise<SearchHit[]> {
  const k = request.k ?? 5
  const mode = request.mode ?? 'hybrid'
  const dim = checkedDimensions(embedder.dimensions)
  const filters = request.filters ?? {}
  const terms = mode === 'vector' ? '' : textTerms(request.query)
  const useVector = mode !== 'fulltext' && request.vector !== null
  const useText = mode !== 'vector' && terms !== ''

  // $1 vector, $2 embedder id, $3 terms, $4 lang, $5 audience, $6 field, $7 phase, $8 candidates, $9 k
  const byDocument = Boolean(nonEmpty(filters.audience) || nonEmpty(filters.field) || nonEmpty(filters.phase))
  // Documents are joined only when a document filter asks for it: the join is most of a bare query's cost.
  const from = byDocument ? 'chunks c join documents d on d.id = c.document_id' : 'chunks c'
  const filter = `($4::text is null or c.lang = $4)${
    byDocument
      ? ` and ($5::text[] is null or d.audience && $5)
          and ($6::text[] is null or d.field = any($6))
          and ($7::text[] is null or d.phase = any($7))`
      : ''
  }`
  const none = 'select null::text as id, null::bigint as rank where false'
  const vectorList = useVector
    ? `select id, 1 - distance as similarity, row_number() over () as rank from (
         select c.id, c.embedding::vector(${dim}) <=> $1::vector(${dim}) as distance from ${from}
         where c.embedding_dim = ${dim} and c.embedder = $2 and ${filter}
         order by distance
         limit $8) v`
    : 'select null::text as id, null::float8 as similarity, null::bigint as rank where false'
  const textList = useText
    ? `select id, row_number() over (order by score desc, id) as rank from (
         select m.id, ts_rank(m.tsv, case m.lang when 'de' then q.de else q.en end, 1) as score
         from q, (
           select c.id, c.tsv, c.lang from ${from}
           where ((c.lang = 'de' and c.tsv @@ websearch_to_tsquery('german', $3))
                  or (c.lang = 'en' and c.tsv @@ websearch_to_tsquery('english', $3))) and ${filter}
           limit ${TEXT_MATCHES}) m
         order by score desc, m.id
         limit $8) t`
    : none

  const { rows } = await db.query<SearchHit>(
    // p types every parameter, so that a list left out in a one-sided mode leaves none untyped.
    `with p as (select $1::vector(${dim}) as qv, $2::text as embedder, $3::text as terms, $4::text as lang,
                       $5::text[] as audience, $6::text[] as field, $7::text[] as phase, $8::int as candidates),
     -- The query in both configurations for ranking; each passage is matched in its own language.
     q as (select websearch_to_tsquery('german', $3) as de, websearch_to_tsquery('english', $3) as en),
     v as (${vectorList}), t as (${textList}),
     fused as (
       select coalesce(v.id, t.id) as id, v.rank as vector_rank, t.rank as text_rank, v.similarity,
              coalesce(1.0 / (${RRF_K} + v.rank), 0) + coalesce(1.0 / (${RRF_K} + t.rank), 0) as score
       from v full outer join t on v.id = t.id
       order by score desc, id
       limit $9
     )
     select c.id as "chunkId", c.document_id as "documentId", d.title, c.heading, c.text, c.lang, d.url,
            to_char(d.reviewed, 'YYYY-MM-DD') as reviewed,
            f.score::float8 as score, f.vector_rank::int as "vectorRank", f.text_rank::int as "textRank",
            f.similarity::float8 as similarity
     from fused f join chunks c on c.id = f.id join documents d on d.id = c.document_id
     order by f.score desc, c.id`,
    [
      useVector && request.vector ? toVectorLiteral(request.vector) : null,
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
  return rows
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
