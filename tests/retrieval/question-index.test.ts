// On the shipped corpus (~3,100 section questions) a hybrid search walks the questions' HNSW index:
// an exact scan of them was more than half of a search's time in the embedded database, where a
// statement blocks the event loop.
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
    for (const [query, lang] of [
      ['Wie führe ich KI im Betrieb ein, ohne dass der Betriebsrat blockiert?', 'de'],
      ['How do we start a first AI pilot in a small company?', 'en'],
    ] as const) {
      const plans: string[] = []
      const hits = await search(withPlans(t.database, plans), embedder, { query, k: 4, filters: { lang } })
      expect(hits).toHaveLength(4)
      expect(hits.some((hit) => hit.questionRank !== null)).toBe(true)
      expect(plans).toHaveLength(1)
      expect(plans[0]).toContain(`chunk_questions_embedding_hnsw_${embedder.dimensions}`)
    }
  })
})
