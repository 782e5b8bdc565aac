// Filtered vector search: a language that is rare among the chunks still gets a full candidate list,
// the same as exact search, although the HNSW index is scanned before the filter applies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../src/db/migrate.ts'
import { readMigrations } from '../../src/db/migration-files.ts'
import { ensureVectorIndex, insertChunks } from '../../src/retrieval/chunk-store.ts'
import { CANDIDATES, searchWithVector } from '../../src/retrieval/search.ts'
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

describe.each(databaseAdapters)('filtered vector search: $name', (adapter) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await adapter.open()
    await migrate(t.database, await readMigrations())
    await t.database.transaction(async (tx) => {
      await tx.query(
        `insert into documents (id, title, lang, audience, field, phase, reviewed, path, content_hash)
         values ('doc-de', 'Deutsch', 'de', '{management}', 'general', 'basics', '2026-11-24', '-', '-'),
                ('doc-en', 'English', 'en', '{management}', 'general', 'basics', '2026-11-24', '-', '-')`,
      )
      await insertChunks(
        tx,
        Array.from({ length: CHUNKS }, (_, i) => ({
          id: `c${i}`,
          documentId: isGerman(i) ? 'doc-de' : 'doc-en',
          position: i,
          heading: '',
          text: `chunk ${i}`,
          questions: [],
          lang: isGerman(i) ? 'de' : 'en',
          vector: randomVector(),
        })),
        embedder,
      )
    })
    await ensureVectorIndex(t.database, embedder.dimensions)
    await t.database.exec('analyze chunks')
  })
  afterAll(async () => {
    await t.dispose()
  })

  it('fills the list of the rare language with the exact nearest neighbours', async () => {
    for (let query = 0; query < 5; query++) {
      const vector = randomVector()
      const request = {
        query: '',
        k: CANDIDATES,
        mode: 'vector' as const,
        vector,
        filters: { lang: 'de' as const },
      }
      // The index is used (the plan the search gets at scale) ...
      const hits = await t.database.transaction(async (tx) => {
        await tx.exec('set local enable_seqscan = off')
        return searchWithVector(tx, embedder, request)
      })
      // ... and compared with exact search (no index).
      const exact = await t.database.transaction(async (tx) => {
        await tx.exec('set local enable_indexscan = off; set local enable_bitmapscan = off')
        return searchWithVector(tx, embedder, request)
      })
      expect(exact).toHaveLength(CANDIDATES)
      expect(hits.map((h) => h.chunkId)).toEqual(exact.map((h) => h.chunkId))
    }
  })
})
