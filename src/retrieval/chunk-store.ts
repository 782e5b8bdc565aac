// The knowledge base tables: documents, their chunks with vectors, and the embedder that made them.
import { type Queryable, toVectorLiteral } from '../db/database.ts'
import type { Chunk } from './chunker.ts'
import type { CorpusDocument } from './corpus-loader.ts'
import { LANGS, type Lang } from './corpus-schema.ts'

export interface StoredEmbedder {
  id: string
  dimensions: number
}

// Postgres allows 65,535 parameters per statement; 8 per chunk leaves room for 500 rows at once.
const INSERT_BATCH = 500

export async function storedFingerprints(q: Queryable): Promise<Map<string, string>> {
  const { rows } = await q.query<{ id: string; content_hash: string }>(
    'select id, content_hash from documents',
  )
  return new Map(rows.map((row) => [row.id, row.content_hash]))
}

export async function storedEmbedder(q: Queryable): Promise<StoredEmbedder | undefined> {
  const { rows } = await q.query<{ value: StoredEmbedder }>(
    `select value from store_settings where key = 'embedder'`,
  )
  return rows[0]?.value
}

export async function recordEmbedder(q: Queryable, embedder: StoredEmbedder): Promise<void> {
  await q.query(
    `insert into store_settings (key, value) values ('embedder', $1::jsonb)
     on conflict (key) do update set value = excluded.value, updated_at = now()`,
    [JSON.stringify({ id: embedder.id, dimensions: embedder.dimensions })],
  )
}

/** Replaces a document and all its chunks; `questionVectors` follow the chunks' questions in order. */
export async function writeDocument(
  q: Queryable,
  doc: CorpusDocument,
  fingerprint: string,
  chunks: readonly Chunk[],
  vectors: readonly number[][],
  embedder: StoredEmbedder,
  questionVectors: readonly number[][] = [],
): Promise<void> {
  const m = doc.meta
  await q.query(
    `insert into documents (id, title, lang, translation_of, audience, field, phase, sources, reviewed, url, path, content_hash, review_by, about_this_service, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13, $14, now())
     on conflict (id) do update set title = excluded.title, lang = excluded.lang,
       translation_of = excluded.translation_of, audience = excluded.audience, field = excluded.field,
       phase = excluded.phase, sources = excluded.sources, reviewed = excluded.reviewed, url = excluded.url,
       path = excluded.path, content_hash = excluded.content_hash, review_by = excluded.review_by,
       about_this_service = excluded.about_this_service, updated_at = now()`,
    [
      m.id,
      m.title,
      m.lang,
      m.translation_of ?? null,
      m.audience,
      m.field,
      m.phase,
      JSON.stringify(m.sources),
      m.reviewed,
      m.url ?? null,
      doc.path,
      fingerprint,
      m.review_by ?? null,
      m.about_this_service ?? false,
    ],
  )
  await q.query('delete from chunks where document_id = $1', [m.id])
  await insertChunks(
    q,
    chunks.map((chunk, i) => ({ ...chunk, lang: m.lang, vector: vectors[i] ?? [] })),
    embedder,
  )
  const questions = chunks.flatMap((chunk) =>
    chunk.questions.map((question, position) => ({ chunkId: chunk.id, position, question })),
  )
  await insertQuestions(
    q,
    questions.map((row, i) => ({ ...row, lang: m.lang, vector: questionVectors[i] ?? [] })),
    embedder,
  )
}

export interface QuestionRow {
  chunkId: string
  position: number
  question: string
  lang: string
  vector: readonly number[]
}

export function insertQuestions(q: Queryable, rows: readonly QuestionRow[], embedder: StoredEmbedder) {
  return insertWithVectors(q, embedder, {
    table: 'chunk_questions (chunk_id, position, question, lang, embedder, embedding_dim, embedding)',
    rows,
    name: (row) => `A question of ${row.chunkId}`,
    values: (row) => [row.chunkId, row.position, row.question, row.lang],
  })
}

export interface ChunkRow extends Chunk {
  lang: string
  vector: readonly number[]
}

export function insertChunks(q: Queryable, rows: readonly ChunkRow[], embedder: StoredEmbedder) {
  return insertWithVectors(q, embedder, {
    table: 'chunks (id, document_id, position, heading, text, lang, embedder, embedding_dim, embedding)',
    rows,
    name: (row) => `Chunk ${row.id}`,
    values: (row) => [row.id, row.documentId, row.position, row.heading, row.text, row.lang],
  })
}

/**
 * Inserts rows in batches; each row's own values are followed by the embedder id, its dimension and
 * its vector (the last three columns of `table`). A vector of the wrong dimension fails the insert.
 */
async function insertWithVectors<R extends { vector: readonly number[] }>(
  q: Queryable,
  embedder: StoredEmbedder,
  insert: { table: string; rows: readonly R[]; name: (row: R) => string; values: (row: R) => unknown[] },
): Promise<void> {
  for (let start = 0; start < insert.rows.length; start += INSERT_BATCH) {
    const params: unknown[] = []
    const tuples = insert.rows.slice(start, start + INSERT_BATCH).map((row) => {
      if (row.vector.length !== embedder.dimensions) {
        throw new Error(
          `${insert.name(row)} has ${row.vector.length} dimensions, expected ${embedder.dimensions}`,
        )
      }
      const first = params.length + 1
      params.push(...insert.values(row), embedder.id, toVectorLiteral(row.vector))
      const own = Array.from({ length: params.length - first }, (_, i) => `$${first + i}`)
      return `(${own.join(', ')}, ${embedder.dimensions}, $${params.length}::vector)`
    })
    await q.query(`insert into ${insert.table} values ${tuples.join(', ')}`, params)
  }
}

export async function deleteDocuments(q: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length) await q.query('delete from documents where id = any($1::text[])', [ids])
}

/**
 * HNSW indexes need a fixed dimension, so there are partial expression indexes per dimension in use,
 * and one per language: a language-filtered search reads the graph of that language only, so its list
 * fills from the nearest neighbours instead of scanning past the other language's (at 100k synthetic
 * chunks, 41 of 152 filtered lists stayed short with one index, whatever the iterative scan did; see
 * bench/RESULTS.md). Searches repeat the same cast and predicate literally (`vectorIndexPredicate`) so
 * that the planner picks the index. Migration 014 made these from the single index per dimension.
 */
export async function ensureVectorIndex(q: Queryable, dimensions: number): Promise<void> {
  const dim = checkedDimensions(dimensions)
  for (const lang of LANGS) {
    await q.query(
      `create index if not exists chunks_embedding_hnsw_${dim}_${lang} on chunks
       using hnsw ((embedding::vector(${dim})) vector_cosine_ops) where ${vectorIndexPredicate(dim, lang, '')}`,
    )
  }
  // The sections' questions: an exact scan of their ~3,000 rows was most of a search's time (~27 of
  // ~47 ms in PGlite, which blocks the event loop); the index brings it to a few milliseconds.
  await q.query(
    `create index if not exists chunk_questions_embedding_hnsw_${dim} on chunk_questions
     using hnsw ((embedding::vector(${dim})) vector_cosine_ops) where embedding_dim = ${dim}`,
  )
}

/** The predicate of one vector index, as the index states it and as a search must repeat it. */
export function vectorIndexPredicate(dimensions: number, lang: Lang, alias: string): string {
  const dim = checkedDimensions(dimensions)
  // The language goes into SQL text too (a parameter cannot prove a partial index's predicate).
  if (!LANGS.includes(lang)) throw new Error(`Invalid language ${lang}`)
  const column = alias ? `${alias}.` : ''
  return `${column}embedding_dim = ${dim} and ${column}lang = '${lang}'`
}

/**
 * A passage with its document and its section's questions, as a search returns it (the fields of
 * SearchHit that do not depend on the query), for chunks `c` joined with their documents `d`.
 */
export const PASSAGE_COLUMNS = `c.id as "chunkId", c.document_id as "documentId", d.title, c.heading, c.text,
  c.lang, d.url, to_char(d.reviewed, 'YYYY-MM-DD') as reviewed, d.audience,
  d.about_this_service as "aboutThisService",
  coalesce((select array_agg(cq.question order by cq.position) from chunk_questions cq
            where cq.chunk_id = c.id), '{}') as questions`

/** Dimensions go into SQL text (a type modifier cannot be a parameter), so they are checked first. */
export function checkedDimensions(dimensions: number): number {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 2000) {
    throw new Error(`Invalid vector dimension ${dimensions}`)
  }
  return dimensions
}
