// On the shipped corpus (~5,900 section questions) a hybrid search walks the questions' HNSW index and
// reads the full-text matches of its language from the GIN indexes: an exact scan of the questions was
// more than half of a search's time in the embedded database, where a statement blocks the event loop,
// and scanning every row for a full-text match most of the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Queryable } from '../../src/db/database.ts'
import { migrate } from '../../src/db/migrate.ts'
import { readMigrations } from '../../src/db/migration-files.ts'
import { createLocalEmbedder } from '../../src/retrieval/embedders/local-embedder.ts'
import { ingestCorpus } from '../../src/retrieval/ingest.ts'
import { search } from '../../src/retrieval/search.ts'
import { pgliteAdapter, type TestDatabase } from '../helpers/databases.ts'

const embedder = createLocalEmbedder()

/** A handle that records the plan of each statement before running it. */
function withPlans(db: Queryable, plans: string[]): Queryable {
  return {
    async query(sql, params) {
      const plan = await db.query<{ 'QUERY PLAN': string }>(`explain ${sql}`, params)
      plans.push(plan.rows.map((row) => row['QUERY PLAN']).join('\n'))
      return db.query(sql, params)
    },
    exec: (sql) => db.exec(sql),
  }
}

/** A question in each language, asked as the chat asks (with the language as a filter). */
const QUESTIONS = [
  ['Wie führe ich KI im Betrieb ein, ohne dass der Betriebsrat blockiert?', 'de'],
  ['How do we start a first AI pilot in a small company?', 'en'],
] as const

describe('question list of a hybrid search on the shipped corpus', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await pgliteAdapter.open()
    await migrate(t.database, await readMigrations())
    await ingestCorpus({ database: t.database, embedder, corpusDir: 'corpus' })
  }, 120_000)
  afterAll(async () => {
    await t.dispose()
  })

  it('walks the questions’ HNSW index instead of measuring the distance to every question', async () => {
    for (const [query, lang] of QUESTIONS) {
      const plans: string[] = []
      const hits = await search(withPlans(t.database, plans), embedder, { query, k: 4, filters: { lang } })
      expect(hits).toHaveLength(4)
      expect(hits.some((hit) => hit.questionRank !== null)).toBe(true)
      expect(plans).toHaveLength(1)
      expect(plans[0]).toContain(`chunk_questions_embedding_hnsw_${embedder.dimensions}`)
    }
  })

  it('reads the full-text matches of a search in one language from the GIN indexes, with the same results', async () => {
    for (const [query, lang] of QUESTIONS) {
      const plans: string[] = []
      const hits = await search(withPlans(t.database, plans), embedder, { query, k: 8, filters: { lang } })
      expect(plans[0]).toContain('Bitmap Index Scan on chunks_tsv')
      expect(plans[0]).toContain('Bitmap Index Scan on chunk_questions_tsv')
      // The same search with the index reads turned off scans every row: the matches are the same.
      await t.database.exec('set enable_bitmapscan = off')
      try {
        const scanned: string[] = []
        const again = await search(withPlans(t.database, scanned), embedder, {
          query,
          k: 8,
          filters: { lang },
        })
        expect(scanned[0]).not.toContain('Bitmap Index Scan on chunks_tsv')
        expect(again).toEqual(hits)
      } finally {
        await t.database.exec('reset enable_bitmapscan')
      }
    }
  })
})
