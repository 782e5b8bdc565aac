// Filtered vector search: a language that is rare among the chunks still gets a full candidate list,
// the same as exact search, read from that language's own HNSW index; a search without a language
// merges both languages' lists; migration 014 gives an existing store those indexes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Queryable } from '../../src/db/database.ts'
import { migrate } from '../../src/db/migrate.ts'
import { readMigrations } from '../../src/db/migration-files.ts'
import { type ChunkRow, ensureVectorIndex, insertChunks } from '../../src/retrieval/chunk-store.ts'
import { CANDIDATES, type SearchRequest, searchWithVector } from '../../src/retrieval/search.ts'
import { databaseAdapters, type TestDatabase } from '../helpers/databases.ts'

const embedder = { id: 'test-random-16', dimensions: 16 }
const CHUNKS = 3000
// One chunk in 30 is German: 100 of them, far more than a list needs, far fewer than the index yields.
const isGerman = (i: number) => i % 30 === 0

let seed = 7
const random = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
  return seed / 2 ** 32 - 0.5
}
const randomVector = () => Array.from({ length: embedder.dimensions }, random)

const documents = `insert into documents (id, title, lang, audience, field, phase, reviewed, path, content_hash)
  values ('doc-de', 'Deutsch', 'de', '{management}', 'general', 'basics', '2026-11-24', '-', '-'),
         ('doc-en', 'English', 'en', '{management}', 'general', 'basics', '2026-11-24', '-', '-')`
const chunkRows = (count = CHUNKS): ChunkRow[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `c${i}`,
    documentId: isGerman(i) ? 'doc-de' : 'doc-en',
    position: i,
    heading: '',
    text: `chunk ${i}`,
    questions: [],
    lang: isGerman(i) ? 'de' : 'en',
    vector: randomVector(),
  }))

type VectorRequest = SearchRequest & { vector: number[] }

/** The plan the server makes for the search's own statement (the same SQL and parameters, explained). */
async function planOf(tx: Queryable, request: VectorRequest): Promise<string> {
  const lines: string[] = []
  const explaining: Queryable = {
    async query(sql, params) {
      const plan = await tx.query(`explain (costs off) ${sql}`, params)
      lines.push(...plan.rows.map((row) => String(Object.values(row)[0])))
      return { rows: [], rowCount: 0 }
    },
    exec: (sql) => tx.exec(sql),
  }
  await searchWithVector(explaining, embedder, request)
  return lines.join('\n')
}

describe.each(databaseAdapters)('filtered vector search: $name', (adapter) => {
  let t: TestDatabase
  let rows: ChunkRow[]
  beforeAll(async () => {
    t = await adapter.open()
    await migrate(t.database, await readMigrations())
    rows = chunkRows()
    await t.database.transaction(async (tx) => {
      await tx.query(documents)
      await insertChunks(tx, rows, embedder)
    })
    await ensureVectorIndex(t.database, embedder.dimensions)
    await t.database.exec('analyze chunks')
  })
  afterAll(async () => {
    await t.dispose()
  })

  // The index is used (the plan the search gets at scale) ...
  const throughIndex = <T>(fn: (tx: Queryable) => Promise<T>, settings = '') =>
    t.database.transaction(async (tx) => {
      await tx.exec(`set local enable_seqscan = off; ${settings}`)
      return fn(tx)
    })
  // ... and compared with exact search (no index).
  const exactly = <T>(fn: (tx: Queryable) => Promise<T>) =>
    t.database.transaction(async (tx) => {
      await tx.exec('set local enable_indexscan = off; set local enable_bitmapscan = off')
      return fn(tx)
    })
  const german = { query: '', k: CANDIDATES, mode: 'vector' as const, filters: { lang: 'de' as const } }

  it('fills the list of the rare language with the exact nearest neighbours', async () => {
    for (let query = 0; query < 5; query++) {
      const request = { ...german, vector: randomVector() }
      const hits = await throughIndex((tx) => searchWithVector(tx, embedder, request))
      const exact = await exactly((tx) => searchWithVector(tx, embedder, request))
      expect(exact).toHaveLength(CANDIDATES)
      expect(hits.map((h) => h.chunkId)).toEqual(exact.map((h) => h.chunkId))
    }
  })

  it("reads a language's list from that language's index, full even without iterative scans", async () => {
    const plan = await throughIndex((tx) => planOf(tx, { ...german, vector: randomVector() }))
    expect(plan).toMatch(/Index Scan using chunks_embedding_hnsw_16_de on chunks/)
    expect(plan).not.toMatch(/chunks_embedding_hnsw_16_en/)
    for (let query = 0; query < 5; query++) {
      const request = { ...german, vector: randomVector() }
      // A scan of one index over both languages yields its ef_search (40) nearest neighbours, about
      // one in 30 of them German: without iterative scans a list of one or two instead of 40.
      const hits = await throughIndex(
        (tx) => searchWithVector(tx, embedder, request),
        'set local hnsw.iterative_scan = off',
      )
      const exact = await exactly((tx) => searchWithVector(tx, embedder, request))
      expect(hits.map((h) => h.chunkId)).toEqual(exact.map((h) => h.chunkId))
    }
  })

  it("merges both languages' lists when no language is asked for", async () => {
    const request = { query: '', k: CANDIDATES, mode: 'vector' as const }
    const plan = await throughIndex((tx) => planOf(tx, { ...request, vector: randomVector() }))
    expect(plan).toMatch(/Index Scan using chunks_embedding_hnsw_16_de on chunks/)
    expect(plan).toMatch(/Index Scan using chunks_embedding_hnsw_16_en on chunks/)
    for (let query = 0; query < 3; query++) {
      // Near a German chunk, so that the nearest are of both languages.
      const vector = (rows[query * 30]?.vector ?? []).map((x) => x + random() / 10)
      const hits = await throughIndex((tx) => searchWithVector(tx, embedder, { ...request, vector }))
      const exact = await exactly((tx) => searchWithVector(tx, embedder, { ...request, vector }))
      expect(exact).toHaveLength(CANDIDATES)
      expect(exact.some((h) => h.lang === 'de') && exact.some((h) => h.lang === 'en')).toBe(true)
      // HNSW is approximate: nearly all of the exact list, in the order of distance.
      const inExact = new Set(exact.map((h) => h.chunkId))
      expect(hits.filter((h) => inExact.has(h.chunkId)).length).toBeGreaterThanOrEqual(CANDIDATES - 4)
      const similarities = hits.map((h) => h.similarity ?? 0)
      expect(similarities).toEqual([...similarities].sort((a, b) => b - a))
    }
  })
})

describe.each(databaseAdapters)('migration 014, one vector index per language: $name', (adapter) => {
  it('replaces the single index of each dimension in use by one per language', async () => {
    const t = await adapter.open()
    try {
      const migrations = await readMigrations()
      await migrate(
        t.database,
        migrations.filter((m) => m.name < '014'),
      )
      await t.database.transaction(async (tx) => {
        await tx.query(documents)
        await insertChunks(tx, chunkRows(300), embedder)
        // The index as ingest made it before.
        await tx.exec(`create index chunks_embedding_hnsw_16 on chunks
          using hnsw ((embedding::vector(16)) vector_cosine_ops) where embedding_dim = 16`)
      })
      await migrate(t.database, migrations)
      const indexes = () =>
        t.database.query<{ name: string; definition: string }>(
          `select indexname as name, indexdef as definition from pg_indexes
           where tablename = 'chunks' and indexname like 'chunks_embedding%' order by indexname`,
        )
      const { rows } = await indexes()
      expect(rows.map((r) => r.name)).toEqual(['chunks_embedding_hnsw_16_de', 'chunks_embedding_hnsw_16_en'])
      expect(rows[0]?.definition).toContain(`WHERE ((embedding_dim = 16) AND (lang = 'de'::text))`)
      // Ingest afterwards finds the same indexes there and makes no others.
      await ensureVectorIndex(t.database, embedder.dimensions)
      expect((await indexes()).rows).toEqual(rows)
    } finally {
      await t.dispose()
    }
    // All migrations twice and an index build: a minute on a busy machine.
  }, 60_000)
})
