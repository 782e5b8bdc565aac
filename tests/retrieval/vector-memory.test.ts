// The embedded database's lists in process: the same neighbours as pgvector's exact scan, the same
// full-text lists and fusion as the search statement, the rows written since read again before a
// search uses them, and a store over the bound left to SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Database, type Queryable, toVectorLiteral } from '../../src/db/database.ts'
import { createPgliteDatabase } from '../../src/db/pglite.ts'
import type { Lang } from '../../src/retrieval/corpus-schema.ts'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { type SearchHit, search, searchWithVector, TEXT_MATCHES } from '../../src/retrieval/search.ts'
import { expandQuery } from '../../src/retrieval/thesaurus.ts'
import {
  holdsVectorsInMemory,
  nearestPassages,
  nearestSections,
  vectorMemory,
} from '../../src/retrieval/vector-memory.ts'
import { recordStatements } from '../helpers/statement-log.ts'
import { createTestApp } from '../helpers/test-app.ts'

const CORPUS = new URL('../../corpus', import.meta.url).pathname
const embedder = createLocalEmbedder()
const dim = embedder.dimensions
const QUERIES: Array<[string, Lang]> = [
  ['Wie beteiligen wir den Betriebsrat?', 'de'],
  ['Müssen wir unsere Leute wegen der KI-Verordnung schulen?', 'de'],
  ['How do we protect health when AI changes work?', 'en'],
]

describe('vector lists in memory (embedded database)', () => {
  let database: Database
  beforeAll(async () => {
    database = await createPgliteDatabase()
    await createTestApp(database)
    await ingestCorpus({ database, embedder, corpusDir: CORPUS })
  })
  afterAll(async () => {
    await database.close()
  })

  // pgvector's own answer, every row compared (index reads off, inside a transaction).
  const exactly = (sql: string, params: unknown[]) =>
    database.transaction(async (tx) => {
      await tx.exec('set local enable_indexscan = off; set local enable_bitmapscan = off')
      return (await tx.query<{ id: string; similarity: number }>(sql, params)).rows
    })

  it.each(QUERIES)('finds the passages pgvector finds, in its order: %s', async (query, lang) => {
    const vector = await embedder.embeddings.embedQuery(query)
    const memory = await vectorMemory(database, embedder.id, dim)
    if (!memory) throw new Error('expected the vectors in memory')
    const expected = await exactly(
      `select id, 1 - (embedding::vector(${dim}) <=> $1::vector(${dim})) as similarity from chunks
       where lang = $2 order by embedding::vector(${dim}) <=> $1::vector(${dim}), id limit 10`,
      [toVectorLiteral(vector), lang],
    )
    const found = nearestPassages(memory, vector, { lang, limit: 10 })
    expect(expected).toHaveLength(10)
    expect(found.map((n) => n.id)).toEqual(expected.map((e) => e.id))
    found.forEach((n, i) => {
      expect(n.similarity).toBeCloseTo(expected[i]?.similarity ?? Number.NaN, 5)
    })
  })

  it.each(QUERIES)('ranks sections by their best question as pgvector does: %s', async (query, lang) => {
    const vector = await embedder.embeddings.embedQuery(query)
    const memory = await vectorMemory(database, embedder.id, dim)
    if (!memory) throw new Error('expected the vectors in memory')
    const exact = (excluded: string | null) =>
      exactly(
        `select chunk_id as id, max(1 - (embedding::vector(${dim}) <=> $1::vector(${dim}))) as similarity
         from chunk_questions where lang = $2 and ($3::text is null or question <> $3)
         group by chunk_id order by similarity desc, chunk_id limit 10`,
        [toVectorLiteral(vector), lang, excluded],
      )
    const expected = await exact(null)
    expect(expected).toHaveLength(10)
    expect(nearestSections(memory, vector, { lang, limit: 10 }).map((n) => n.id)).toEqual(
      expected.map((e) => e.id),
    )
    // Leaving out the best question of the first section (as the reranker's fit does).
    const [best] = (
      await database.query<{ question: string }>(
        `select question from chunk_questions where chunk_id = $1 and lang = $2
         order by embedding::vector(${dim}) <=> $3::vector(${dim}) limit 1`,
        [expected[0]?.id, lang, toVectorLiteral(vector)],
      )
    ).rows
    const without = await exact(best?.question ?? null)
    expect(without.map((e) => e.id)).not.toEqual(expected.map((e) => e.id))
    expect(
      nearestSections(memory, vector, { lang, limit: 10, excludeQuestion: best?.question }).map((n) => n.id),
    ).toEqual(without.map((e) => e.id))
  })

  it('ranks full text and fuses in process as the search statement does, with one small statement', async () => {
    const queries: Array<[string, Lang]> = [
      ...QUERIES,
      ['Was kostet ein KI-Pilotprojekt, und wer zahlt die Schulung?', 'de'],
      ['Which duties do deployers of high-risk AI systems have?', 'en'],
    ]
    let compared = 0
    for (const [question, lang] of queries) {
      const query = expandQuery(question, lang)
      const vector = await embedder.embeddings.embedQuery(query)
      const base = { query, vector, k: 5 }
      const first = await searchWithVector(database, embedder, { ...base, filters: { lang } })
      for (const variant of [
        { filters: { lang } },
        {},
        { filters: { lang }, mode: 'vector' as const },
        { filters: { lang }, excludeQuestion: first[0]?.questions[0] },
        { filters: { lang }, k: 30 },
      ]) {
        const request = { ...base, ...variant }
        const inProcess = await searchWithVector(database, embedder, request)
        // A given bound of full-text matches keeps the search statement (its lists ranked in SQL).
        const statement = await searchWithVector(database, embedder, {
          ...request,
          textMatches: TEXT_MATCHES,
        })
        expect(inProcess.length).toBeGreaterThanOrEqual(5)
        expect(inProcess).toEqual(statement)
        compared++
      }
      expect(first.some((hit) => hit.textRank !== null && hit.questionTextRank !== null)).toBe(true)
    }
    expect(compared).toBe(25)
    const log = recordStatements(database)
    await search(log.database, embedder, { query: QUERIES[0]?.[0] ?? '' })
    log.reset()
    await search(log.database, embedder, { query: QUERIES[0]?.[0] ?? '' })
    expect(log.statements).toHaveLength(1)
    expect(log.statements[0]).toContain('websearch_to_tsquery')
    expect(log.statements[0]).not.toContain('ts_rank')
  })

  it('sees rows written after the vectors were read, whoever wrote them', async () => {
    const query = 'Quokka-Gehege im Zoo'
    const before = await search(database, embedder, { query, k: 3, mode: 'vector', filters: { lang: 'de' } })
    expect(before.map((h) => h.chunkId)).not.toContain('zoo-1')
    // Written straight into the table, past ingest: only the generation counter tells the search.
    await database.query(
      `insert into chunks (id, document_id, position, heading, text, lang, embedder, embedding_dim, embedding)
       select 'zoo-1', document_id, 99, 'Zoo', 'Das Quokka-Gehege im Zoo', 'de', embedder, embedding_dim, $1::vector
       from chunks limit 1`,
      [toVectorLiteral(await embedder.embeddings.embedQuery('Das Quokka-Gehege im Zoo'))],
    )
    const after = await search(database, embedder, { query, k: 3, mode: 'vector', filters: { lang: 'de' } })
    expect(after[0]).toMatchObject({ chunkId: 'zoo-1', vectorRank: 1 })
    await database.query(`delete from chunks where id = 'zoo-1'`)
    const again = await search(database, embedder, { query, k: 3, mode: 'vector', filters: { lang: 'de' } })
    expect(again.map((h) => h.chunkId)).not.toContain('zoo-1')
  })

  it('returns the passages as the SQL path does, and a document changed past the ingest as it is now', async () => {
    const plain: Queryable = { query: database.query, exec: database.exec }
    const fields = (hit: SearchHit) => {
      const {
        score,
        vectorRank,
        textRank,
        questionRank,
        questionTextRank,
        similarity,
        questionSimilarity,
        coverage,
        ...passage
      } = hit
      return passage
    }
    for (const [query, lang] of QUERIES) {
      const fromMemory = await search(database, embedder, { query, k: 5, filters: { lang } })
      const fromSql = new Map(
        (await search(plain, embedder, { query, k: 20, filters: { lang } })).map((h) => [h.chunkId, h]),
      )
      expect(fromMemory).toHaveLength(5)
      for (const hit of fromMemory) {
        const same = fromSql.get(hit.chunkId)
        if (same) expect(fields(hit)).toEqual(fields(same))
      }
      expect(fromMemory.filter((hit) => fromSql.has(hit.chunkId)).length).toBeGreaterThanOrEqual(4)
    }
    const [first] = await search(database, embedder, { query: QUERIES[0]?.[0] ?? '', k: 1 })
    await database.query(`update documents set title = 'Neuer Titel' where id = $1`, [first?.documentId])
    const [again] = await search(database, embedder, { query: QUERIES[0]?.[0] ?? '', k: 1 })
    expect(again).toMatchObject({ chunkId: first?.chunkId, title: 'Neuer Titel' })
  })

  it('shares one read of the vectors between searches that find them old at the same time', async () => {
    await database.query(`update chunks set position = position where id = (select min(id) from chunks)`)
    const { rows } = await database.query<{ value: number }>(
      'select value::float8 as value from retrieval_generation',
    )
    const generation = rows[0]?.value
    const [a, b] = await Promise.all([
      vectorMemory(database, embedder.id, dim, { knownGeneration: generation }),
      vectorMemory(database, embedder.id, dim, { knownGeneration: generation }),
    ])
    expect(a?.generation).toBe(generation)
    expect(b).toBe(a)
  })

  it('leaves a store over the bound to SQL, and only the embedded database holds vectors', async () => {
    // An unknown generation makes it read the store again, now with a bound of ten numbers.
    expect(await vectorMemory(database, embedder.id, dim, { knownGeneration: -1, maxFloats: 10 })).toBeNull()
    // The null is remembered: the search reads pgvector's lists and answers as before.
    const hits = await search(database, embedder, { query: QUERIES[0]?.[0] ?? '', k: 3, mode: 'vector' })
    expect(hits).toHaveLength(3)
    expect(hits[0]?.vectorRank).toBe(1)
    expect(holdsVectorsInMemory(database)).toBe(true)
    expect(holdsVectorsInMemory({ query: database.query, exec: database.exec })).toBe(false)
  })
})
