// Exact nearest-neighbour lists in process for the embedded database, and the passages they name. In
// PGlite every vector of a search is read from the TOAST table and compared in pgvector's WebAssembly
// module: the two vector lists took about half of a search's execution (bench/RESULTS.md). The vectors
// of a small store fit in memory (the shipped corpus: 6.7k rows, 14 MB), and an exact scan of them in
// JavaScript takes a fraction of that time; unlike the HNSW walk its result does not depend on the
// index's random levels. The passages themselves (text, document, questions) are kept too, so that the
// search statement returns only ids and ranks: joining and returning them was a third of its time.
// Their full text is kept too, as an index of the stored tsvectors, so that the full-text lists are
// ranked here as well (text-rank.ts, memory-search.ts; about 8 MB more for the shipped corpus, some
// 1.2 KB per row). A store too large for the bound keeps its lists in SQL (pgvector's indexes), as on
// PostgreSQL.
import type { Database, Queryable } from '../db/database.ts'
import { PASSAGE_COLUMNS } from './chunk-store.ts'
import { LANGS, type Lang } from './corpus-schema.ts'
import { compareIds } from './fusion.ts'
import type { Ranking, SearchHit } from './search.ts'
import { rankRows, type TextIndex, textIndex } from './text-rank.ts'

/** Vectors held in memory per store at most (rows times dimensions): 64 MB as 32-bit floats. */
export const MAX_FLOATS_IN_MEMORY = 16_000_000

export interface Neighbour {
  /** The chunk's id (for a question: the chunk of its section). */
  id: string
  similarity: number
}

// One language's rows. Stored dimension by dimension (all rows' first component, then all second
// ones, …): a query of the local embedder has a few dozen non-zero components of 512, and only their
// columns are read, each from start to end.
interface Rows {
  /** The distinct chunks, in row order (for questions: the chunks of their sections). */
  chunkIds: string[]
  /** Each row's chunk, as its index in chunkIds (a chunk's rows are adjacent). */
  rowChunk: Int32Array
  /** The question's text (question rows only), for leaving one out. */
  questions: string[]
  /** The components of the unit vectors: component d of row r at d * rows + r. */
  columns: Float32Array
  /** 1 where the stored vector was zero: it has no direction and is never a neighbour. */
  zero: Uint8Array
  /** The rows' stored tsvectors, as an index of their lexemes. */
  text: TextIndex
}

type ByLang = Record<Lang, Rows>

/** A passage as a search returns it, without what depends on the query. */
export type Passage = Omit<SearchHit, keyof Ranking>

export interface VectorMemory {
  /** The store's `retrieval_generation` when the rows were read. */
  generation: number
  dimensions: number
  /** The vectors of the passages and of their sections' questions, per language. */
  passageVectors: ByLang
  questionVectors: ByLang
  /** Each passage with its document and questions, by chunk id. */
  passages: ReadonlyMap<string, Passage>
}

type Slot = { generation: number; memory: VectorMemory | null }
// Per store, the vectors of the embedder last asked for (a store serves one embedder at a time), or
// null when they exceed the bound. A read in progress is shared by the searches that wait for it.
const slots = new WeakMap<Queryable, { key: string; slot: Promise<Slot> }>()

/** The embedded database keeps vectors in memory; PostgreSQL (and a transaction's handle) does not. */
export function holdsVectorsInMemory(db: Queryable): db is Database {
  return (db as Partial<Database>).kind === 'pglite'
}

/**
 * The vectors of one embedder as of the store's current generation: read once, read again when the
 * generation moved. Null when they would exceed MAX_FLOATS_IN_MEMORY; a store found over the bound
 * keeps its lists in SQL until the process starts again.
 */
export async function vectorMemory(
  db: Database,
  embedderId: string,
  dimensions: number,
  options: { knownGeneration?: number | undefined; maxFloats?: number } = {},
): Promise<VectorMemory | null> {
  const { knownGeneration, maxFloats = MAX_FLOATS_IN_MEMORY } = options
  const key = `${embedderId}\u0000${dimensions}`
  for (let held = slots.get(db); held?.key === key; held = slots.get(db)) {
    const slot = await held.slot
    if (knownGeneration === undefined || slot.generation === knownGeneration) return slot.memory
    // Old: read again, unless another search started a newer read while this one waited.
    if (slots.get(db) === held) break
  }
  const reading = readVectors(db, embedderId, dimensions, maxFloats)
  // A read that fails is not kept: the next search tries again.
  slots.set(db, { key, slot: reading })
  reading.catch(() => {
    if (slots.get(db)?.slot === reading) slots.delete(db)
  })
  return (await reading).memory
}

async function readVectors(
  db: Database,
  embedderId: string,
  dimensions: number,
  maxFloats: number,
): Promise<Slot> {
  // One transaction: the generation and the rows belong together.
  return db.transaction(async (tx) => {
    const { rows: counted } = await tx.query<{ generation: number; rows: number }>(
      `select (select value from retrieval_generation)::float8 as generation,
              ((select count(*) from chunks where embedder = $1 and embedding_dim = $2)
               + (select count(*) from chunk_questions where embedder = $1 and embedding_dim = $2))::float8 as rows`,
      [embedderId, dimensions],
    )
    const { generation = 0, rows = 0 } = counted[0] ?? {}
    if (rows * dimensions > maxFloats) return { generation, memory: null }
    // Each passage once, with its vector: the rows a search returns and the rows its list compares.
    const passages = await tx.query<Passage & { embedding: number[]; tsv: string }>(
      `select ${PASSAGE_COLUMNS}, c.embedding, c.tsv::text as tsv from chunks c join documents d on d.id = c.document_id
       where c.embedder = $1 and c.embedding_dim = $2 order by c.id`,
      [embedderId, dimensions],
    )
    const questions = await tx.query<StoredRow>(
      `select chunk_id as id, lang, embedding, question, tsv::text as tsv from chunk_questions
       where embedder = $1 and embedding_dim = $2 order by chunk_id, position`,
      [embedderId, dimensions],
    )
    return {
      generation,
      memory: {
        generation,
        dimensions,
        passageVectors: byLang(
          passages.rows.map(({ chunkId, lang, embedding, tsv }) => ({
            id: chunkId,
            lang,
            embedding,
            question: '',
            tsv,
          })),
          dimensions,
        ),
        questionVectors: byLang(questions.rows, dimensions),
        passages: new Map(
          passages.rows.map(({ embedding: _, tsv: __, ...passage }) => [passage.chunkId, passage]),
        ),
      },
    }
  })
}

type StoredRow = { id: string; lang: Lang; embedding: number[]; question: string; tsv: string }

function byLang(rows: readonly StoredRow[], dimensions: number): ByLang {
  const of = (lang: Lang) =>
    toRows(
      rows.filter((row) => row.lang === lang),
      dimensions,
    )
  return { de: of('de'), en: of('en') }
}

function toRows(rows: readonly StoredRow[], dimensions: number): Rows {
  const count = rows.length
  const columns = new Float32Array(count * dimensions)
  const zero = new Uint8Array(count)
  const chunkIds: string[] = []
  const rowChunk = new Int32Array(count)
  rows.forEach((row, r) => {
    if (chunkIds.at(-1) !== row.id) chunkIds.push(row.id)
    rowChunk[r] = chunkIds.length - 1
    const direction = unit(row.embedding)
    if (direction === null) zero[r] = 1
    else
      direction.forEach((value, d) => {
        columns[d * count + r] = value
      })
  })
  return {
    chunkIds,
    rowChunk,
    questions: rows.map((row) => row.question),
    columns,
    zero,
    text: textIndex(rows.map((row) => row.tsv)),
  }
}

/** The vector scaled to length 1; null for a zero vector. */
function unit(vector: readonly number[]): number[] | null {
  let norm = 0
  for (const value of vector) norm += value * value
  norm = Math.sqrt(norm)
  return norm === 0 ? null : vector.map((value) => value / norm)
}

export interface NearestOptions {
  lang: Lang | null
  limit: number
  /** A section question to leave out (question lists only). */
  excludeQuestion?: string | null | undefined
}

/** The passages nearest the query by cosine similarity, best first (ties by id), as pgvector's `<=>` orders. */
export function nearestPassages(memory: VectorMemory, query: readonly number[], options: NearestOptions) {
  return nearest(memory.passageVectors, memory.dimensions, query, options)
}

/** Sections by their best question's cosine similarity to the query, best first (ties by id). */
export function nearestSections(memory: VectorMemory, query: readonly number[], options: NearestOptions) {
  return nearest(memory.questionVectors, memory.dimensions, query, options)
}

// Every row of the language(s) compared (exact); a chunk keeps its best row's similarity; the best
// `limit` chunks returned.
function nearest(
  rows: ByLang,
  dimensions: number,
  query: readonly number[],
  options: NearestOptions,
): Neighbour[] {
  if (query.length !== dimensions)
    throw new Error(`Query has ${query.length} dimensions, expected ${dimensions}`)
  const direction = unit(query)
  if (direction === null) return []
  const langs = options.lang === null ? LANGS : [options.lang]
  const found = langs.flatMap((lang) => {
    const best = bestPerChunk(rows[lang], direction, options.excludeQuestion)
    return rows[lang].chunkIds.map((id, c) => ({ id, similarity: best[c] as number }))
  })
  // Only the chunks at or above the limit-th best similarity are sorted.
  const similarities = Float64Array.from(found, (n) => n.similarity).sort()
  const bar = similarities[Math.max(0, similarities.length - options.limit)] ?? Number.NEGATIVE_INFINITY
  return found
    .filter((n) => n.similarity >= bar && n.similarity > Number.NEGATIVE_INFINITY)
    .sort((a, b) => b.similarity - a.similarity || compareIds(a.id, b.id))
    .slice(0, options.limit)
}

/** Each chunk's best similarity to the query (negative infinity: no row of it compared). */
function bestPerChunk(rows: Rows, query: readonly number[], excludeQuestion: string | null | undefined) {
  const count = rows.rowChunk.length
  const dots = new Float64Array(count)
  // Only the query's non-zero components contribute, each read as one column.
  for (let d = 0; d < query.length; d++) {
    const weight = query[d] as number
    if (weight === 0) continue
    const base = d * count
    for (let r = 0; r < count; r++)
      dots[r] = (dots[r] as number) + weight * (rows.columns[base + r] as number)
  }
  const best = new Float64Array(rows.chunkIds.length).fill(Number.NEGATIVE_INFINITY)
  for (let r = 0; r < count; r++) {
    if (rows.zero[r] === 1 || (excludeQuestion != null && rows.questions[r] === excludeQuestion)) continue
    const chunk = rows.rowChunk[r] as number
    if ((dots[r] as number) > (best[chunk] as number)) best[chunk] = dots[r] as number
  }
  return best
}

/** A query's lexemes per language (stemmed by Postgres in that language's configuration). */
export type QueryLexemes = Record<Lang, readonly string[]>

/**
 * The passages the query matches, by ts_rank(tsv, query, 1) best first (ties by id), as the search's
 * full-text list orders them; each passage is matched with the query of its own language.
 */
export function textPassages(memory: VectorMemory, lexemes: QueryLexemes, options: NearestOptions) {
  return textMatches(memory.passageVectors, lexemes, options)
}

/** Sections by their best-ranked matching question, best first (ties by id). */
export function textSections(memory: VectorMemory, lexemes: QueryLexemes, options: NearestOptions) {
  return textMatches(memory.questionVectors, lexemes, options)
}

function textMatches(rows: ByLang, lexemes: QueryLexemes, options: NearestOptions): string[] {
  const langs = options.lang === null ? LANGS : [options.lang]
  const found = langs.flatMap((lang) => {
    const { text, rowChunk, chunkIds, questions } = rows[lang]
    const { excludeQuestion } = options
    const skip = excludeQuestion != null ? (row: number) => questions[row] === excludeQuestion : undefined
    const best = new Map<number, number>()
    for (const [row, rank] of rankRows(text, lexemes[lang], skip)) {
      const chunk = rowChunk[row] as number
      if (!((best.get(chunk) ?? Number.NEGATIVE_INFINITY) >= rank)) best.set(chunk, rank)
    }
    return [...best].map(([chunk, rank]) => ({ id: chunkIds[chunk] as string, rank }))
  })
  return found
    .sort((a, b) => b.rank - a.rank || compareIds(a.id, b.id))
    .slice(0, options.limit)
    .map((match) => match.id)
}
